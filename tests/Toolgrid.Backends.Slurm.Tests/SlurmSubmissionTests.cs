using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

public sealed class SlurmSubmissionTests
{
    private static readonly string[] Expected =
    [
        "--job-name=tg-42", "--chdir=/data/project/mytool", "--output=/data/project/mytool/myjob.out", "--error=/data/project/mytool/myjob.err",
        "--open-mode=append", "--export=NONE", "--no-requeue", "--cpus-per-task=2", "--partition=dedicated", "--mem=524288K",
    ];

    private static readonly string[] JobOptions = ["--job-name=tg-42", "--chdir=/data/project/mytool", "--export=NONE", "--cpus-per-task=2", "--partition=dedicated", "--mem=524288K"];

    [Fact]
    public void For_names_the_job_after_the_run_and_asks_for_its_memory_cpus_and_partition()
    {
        var submission = SlurmSubmission.For(Launches.Of(42, "true", "/data/project/mytool", memoryBytes: 512L * 1024 * 1024, cpuMillis: 1500), "dedicated");

        var arguments = submission.SbatchArguments();

        Assert.Equal("--parsable", arguments[0]);
        Assert.Empty(Expected.Except(arguments));
    }

    [Fact]
    public void For_leaves_memory_and_partition_to_the_cluster_when_the_run_asks_for_none()
    {
        var arguments = SlurmSubmission.For(Launches.Of(42, "true", "/h"), null).SbatchArguments();

        Assert.DoesNotContain(arguments, a => a.StartsWith("--mem", StringComparison.Ordinal) || a.StartsWith("--partition", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/data/project/mytool/100%.out")]
    [InlineData("/data/project/mytool/a\\b.out")]
    public void For_refuses_a_log_path_sbatch_would_read_as_a_pattern(string path)
    {
        var launch = Launches.Of(42, "true", "/data/project/mytool") with { StdoutPath = path };

        var e = Assert.Throws<ArgumentException>(() => SlurmSubmission.For(launch, null));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SrunArguments_ask_for_the_same_job_as_sbatch_and_give_only_the_script_file_to_sh_never_the_environment()
    {
        var environment = new Dictionary<string, string> { ["TOKEN"] = "s3cret-value" };
        var submission = SlurmSubmission.For(Launches.Of(42, "echo 'it''s'; exit 3", "/data/project/mytool", environment: environment, memoryBytes: 512L * 1024 * 1024, cpuMillis: 1500), "dedicated");

        var terminal = submission.SrunArguments(terminal: true, "/data/project/mytool/.toolgrid-session-42.sh");
        var pipes = submission.SrunArguments(terminal: false, "/data/project/mytool/.toolgrid-session-42.sh");

        Assert.Equal(["--quiet", "--pty"], terminal.Take(2));
        Assert.DoesNotContain("--pty", pipes);
        Assert.Equal(["/bin/sh", "/data/project/mytool/.toolgrid-session-42.sh"], terminal.TakeLast(2));
        Assert.Contains("s3cret-value", submission.Script, StringComparison.Ordinal);
        Assert.DoesNotContain(terminal.Concat(pipes).Concat(submission.SbatchArguments()), a => a.Contains("s3cret-value", StringComparison.Ordinal));
        Assert.Empty(JobOptions.Except(pipes));
        Assert.DoesNotContain(pipes, a => a.StartsWith("--output", StringComparison.Ordinal) || a.StartsWith("--error", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tg-42", 42L)]
    [InlineData("tg-0", null)]
    [InlineData("tg-", null)]
    [InlineData("tg-4x", null)]
    [InlineData("mine", null)]
    public void RunIdOf_reads_only_names_of_the_form_tg_RUNID(string name, long? runId) => Assert.Equal(runId, SlurmSubmission.RunIdOf(name));
    [Fact]
    public void For_gives_a_timeout_its_time_limit_and_a_held_run_no_begin_time_since_it_is_submitted_when_due()
    {
        var launch = Launches.Of(42, "true", "/h") with { NotBefore = new DateTimeOffset(2026, 12, 5, 4, 30, 0, TimeSpan.FromHours(1)), Timeout = TimeSpan.FromSeconds(90) };

        var arguments = SlurmSubmission.For(launch, null).SbatchArguments();

        Assert.DoesNotContain(arguments, a => a.StartsWith("--begin", StringComparison.Ordinal));
        Assert.Contains("--time=2", arguments);
    }

    [Theory]
    [InlineData(1, "1")]
    [InlineData(60, "1")]
    [InlineData(61, "2")]
    [InlineData(2 * 86400, "2880")]
    public void TimeOf_rounds_up_to_whole_minutes(int seconds, string expected) =>
        Assert.Equal(expected, SlurmSubmission.TimeOf(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void For_starts_a_run_without_a_due_time_at_once_with_the_partitions_time_limit()
    {
        var arguments = SlurmSubmission.For(Launches.Of(42, "true", "/h"), null).SbatchArguments();

        Assert.DoesNotContain(arguments, a => a.StartsWith("--begin", StringComparison.Ordinal) || a.StartsWith("--time", StringComparison.Ordinal));
    }
}
