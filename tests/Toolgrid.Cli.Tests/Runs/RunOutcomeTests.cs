using Toolgrid.Cli.Runs;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Runs;

namespace Toolgrid.Cli.Tests.Runs;

public sealed class RunOutcomeTests
{
    [Theory]
    [InlineData("succeeded", "exited", "exit code 0", 0, null, 0, "job fetch: succeeded")]
    [InlineData("failed", "exited", "exit code 3", 3, null, 3, "job fetch: failed: exit code 3")]
    [InlineData("failed", "signaled", "killed by signal 11 (SIGSEGV)", null, 11, 139, "job fetch: failed (signaled): killed by signal 11 (SIGSEGV)")]
    [InlineData("failed", "out-of-memory", "went over its memory limit of 64Mi and was killed", null, 9, WaitExitCode.OutOfMemory, "job fetch: failed (out-of-memory): went over its memory limit of 64Mi and was killed")]
    [InlineData("failed", "timed-out", "ran past its timeout and was stopped", null, 15, WaitExitCode.TimedOut, "job fetch: failed (timed-out): ran past its timeout and was stopped")]
    [InlineData("failed", "start-failed", "no such directory", null, null, WaitExitCode.StartFailed, "job fetch: failed (start-failed): no such directory")]
    [InlineData("killed", "stopped", "killed by signal 15 (SIGTERM)", null, 15, WaitExitCode.Killed, "job fetch: killed (stopped): killed by signal 15 (SIGTERM)")]
    [InlineData("killed", "job-deleted", "stopped before it started", null, null, WaitExitCode.Killed, "job fetch: killed (job-deleted): stopped before it started")]
    [InlineData("lost", "node-lost", "node1 went down", null, null, WaitExitCode.Lost, "job fetch: lost (node-lost): node1 went down")]
    public void Of_AFinishedRun_GivesItsExitCodeAndALine(string state, string reason, string message, int? exitCode, int? signal, int expectedCode, string expectedLine)
    {
        var outcome = RunOutcome.Of(Sample.Finished(state, reason, message, exitCode, signal));

        Assert.Equal(expectedCode, outcome.ExitCode);
        Assert.Equal(expectedLine, outcome.Line);
    }

    [Fact]
    public void Of_ARetriedRun_SaysWhichAttempt()
    {
        var job = Sample.Job(finished: true, status: "failed", runs: Sample.Run("failed", "exited", "exit code 1", exitCode: 1, attempt: 3));

        Assert.Equal("job fetch: failed: exit code 1 (attempt 3)", RunOutcome.Of(job).Line);
    }

    [Fact]
    public void Of_AnUnknownReason_FallsBackToTheExitCode()
    {
        var job = Sample.Finished("failed", "some-future-reason", "?", exitCode: 7);

        Assert.Equal(7, RunOutcome.Of(job).ExitCode);
    }

    [Fact]
    public void Of_ARunThatHasNotEnded_IsNotMistakenForAnOutcome()
    {
        var job = Sample.Job(finished: true, runs: Sample.Run("running", "started", node: "node1"));

        var outcome = RunOutcome.Of(job);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("running", outcome.Line, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_NoRun_IsAFailure() =>
        Assert.Equal(1, RunOutcome.Of(Sample.Job(finished: true) with { Runs = [] }).ExitCode);
}
