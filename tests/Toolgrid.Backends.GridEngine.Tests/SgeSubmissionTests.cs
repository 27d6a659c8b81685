namespace Toolgrid.Backends.GridEngine.Tests;

public sealed class SgeSubmissionTests
{
    [Fact]
    public void For_names_the_job_after_the_run_and_asks_for_its_memory_in_its_queue()
    {
        var submission = SgeSubmission.For(Launches.Of(42, "true", "/data/project/mytool", memoryBytes: 512L * 1024 * 1024), "dedicated");

        var arguments = submission.QsubArguments();

        Assert.Equal("-clear", arguments[0]);
        Assert.Equal(
            ["-N tg-42", "-q dedicated", "-wd /data/project/mytool", "-o /data/project/mytool/myjob.out", "-e /data/project/mytool/myjob.err", "-l h_vmem=536870912"],
            arguments.Zip(arguments.Skip(1), (a, b) => a + " " + b).Where(p => p.StartsWith("-N ", StringComparison.Ordinal) || p.StartsWith("-q ", StringComparison.Ordinal) || p.StartsWith("-wd ", StringComparison.Ordinal) || p.StartsWith("-o ", StringComparison.Ordinal) || p.StartsWith("-e ", StringComparison.Ordinal) || p.StartsWith("-l ", StringComparison.Ordinal)));
        Assert.Contains("-notify", arguments);
    }

    [Fact]
    public void For_leaves_the_memory_to_the_queue_when_the_run_asks_for_none() =>
        Assert.DoesNotContain("-l", SgeSubmission.For(Launches.Of(42, "true", "/h"), "default").QsubArguments());

    [Theory]
    [InlineData("tg-42", 42L)]
    [InlineData("tg-0", null)]
    [InlineData("tg-", null)]
    [InlineData("tg-4x", null)]
    [InlineData("tg--4", null)]
    [InlineData("mine", null)]
    public void RunIdOf_reads_only_names_of_the_form_tg_RUNID(string name, long? runId) => Assert.Equal(runId, SgeSubmission.RunIdOf(name));
}
