using Toolgrid.Tests.Grid;

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
            ["-N tg-42", "-q dedicated", "-wd /data/project/mytool", "-l h_vmem=536870912", "-o /data/project/mytool/myjob.out", "-e /data/project/mytool/myjob.err"],
            arguments.Zip(arguments.Skip(1), (a, b) => a + " " + b).Where(p => p.StartsWith("-N ", StringComparison.Ordinal) || p.StartsWith("-q ", StringComparison.Ordinal) || p.StartsWith("-wd ", StringComparison.Ordinal) || p.StartsWith("-o ", StringComparison.Ordinal) || p.StartsWith("-e ", StringComparison.Ordinal) || p.StartsWith("-l ", StringComparison.Ordinal)));
        Assert.Contains("-notify", arguments);
    }

    [Fact]
    public void QrshArguments_give_only_the_script_file_to_sh_never_the_environment()
    {
        var environment = new Dictionary<string, string> { ["TOKEN"] = "s3cret-value" };
        var submission = SgeSubmission.For(Launches.Of(42, "true", "/data/project/mytool", environment: environment) with { Interactive = true }, "default");

        var terminal = submission.QrshArguments(terminal: true, "/data/project/mytool/.toolgrid-session-42.sh");
        var pipes = submission.QrshArguments(terminal: false, "/data/project/mytool/.toolgrid-session-42.sh");

        Assert.Equal(["-noshell", "/bin/sh", "/data/project/mytool/.toolgrid-session-42.sh"], terminal.TakeLast(3));
        Assert.Equal(["-pty", "y"], terminal.SkipWhile(a => a != "-pty").Take(2));
        Assert.Equal(["-pty", "n"], pipes.SkipWhile(a => a != "-pty").Take(2));
        Assert.Contains("s3cret-value", submission.Script, StringComparison.Ordinal);
        Assert.DoesNotContain(terminal.Concat(pipes).Concat(submission.QsubArguments()), a => a.Contains("s3cret-value", StringComparison.Ordinal));
    }

    [Fact]
    public void For_leaves_the_memory_to_the_queue_when_the_run_asks_for_none() =>
        Assert.DoesNotContain("-l", SgeSubmission.For(Launches.Of(42, "true", "/h"), "default").QsubArguments());

    [Fact]
    public void For_keeps_a_run_off_the_hosts_to_avoid_in_one_soft_request_that_never_holds_it_pending()
    {
        var submission = SgeSubmission.For(Launches.Of(42, "true", "/h"), "default") with { AvoidHosts = ["node2", "node1"], MemoryBytes = 1024 };

        var arguments = submission.QsubArguments();
        var soft = arguments.ToList().IndexOf("-soft");

        Assert.Equal(["-soft", "-l", "hostname=!node1&!node2", "-hard"], arguments.Skip(soft).Take(4));
        Assert.True(arguments.ToList().IndexOf("h_vmem=1024") < soft, "the memory request stays hard");
        Assert.DoesNotContain("-soft", (submission with { AvoidHosts = [] }).QsubArguments());
    }

    [Theory]
    [InlineData("tg-42", 42L)]
    [InlineData("tg-0", null)]
    [InlineData("tg-", null)]
    [InlineData("tg-4x", null)]
    [InlineData("tg--4", null)]
    [InlineData("mine", null)]
    public void RunIdOf_reads_only_names_of_the_form_tg_RUNID(string name, long? runId) => Assert.Equal(runId, SgeSubmission.RunIdOf(name));
    [Fact]
    public void For_gives_a_held_run_its_start_time_and_a_timeout_its_h_rt()
    {
        var launch = Launches.Of(42, "true", "/h") with { NotBefore = new DateTimeOffset(2026, 12, 5, 4, 30, 0, TimeSpan.FromHours(1)), Timeout = TimeSpan.FromSeconds(90.5) };

        var arguments = SgeSubmission.For(launch, "default").QsubArguments();

        var pairs = arguments.Zip(arguments.Skip(1), (a, b) => a + " " + b).ToList();
        Assert.Contains("-l h_rt=91", pairs);
        Assert.Contains("-a 202612050330.00", pairs);
    }

    [Theory]
    [InlineData("2026-12-05T03:30:00.0000000+00:00", "202612050330.00")]
    [InlineData("2026-12-05T03:30:07.0010000+00:00", "202612050330.08")]
    [InlineData("2026-12-31T23:59:59.5000000+00:00", "202701010000.00")]
    public void StartTimeOf_is_utc_to_the_second_never_earlier(string at, string expected) =>
        Assert.Equal(expected, SgeSubmission.StartTimeOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void For_starts_a_run_without_a_due_time_at_once_with_no_time_limit()
    {
        var arguments = SgeSubmission.For(Launches.Of(42, "true", "/h"), "default").QsubArguments();

        Assert.DoesNotContain("-a", arguments);
        Assert.DoesNotContain(arguments, a => a.StartsWith("h_rt=", StringComparison.Ordinal));
    }
}
