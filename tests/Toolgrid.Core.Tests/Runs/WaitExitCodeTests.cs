using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Tests.Runs;

public sealed class WaitExitCodeTests
{
    private static Run Ended(RunState state, RunReason reason, int? exitCode = null, int? signal = null)
    {
        var run = Sample.Run(state: state, node: "node1");
        run.Reason = reason;
        run.ExitCode = exitCode;
        run.Signal = signal;
        return run;
    }

    private static int For(Run run) => WaitExitCode.For(run.State, run.Reason, run.ExitCode, run.Signal);

    [Fact]
    public void For_Succeeded_IsZero() => Assert.Equal(0, For(Ended(RunState.Succeeded, RunReason.Exited, 0)));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(127)]
    [InlineData(255)]
    public void For_ExitedNonZero_PassesTheCodeThrough(int code) =>
        Assert.Equal(code, For(Ended(RunState.Failed, RunReason.Exited, code)));

    [Theory]
    [InlineData(null)]
    [InlineData(-1)]
    [InlineData(256)]
    public void For_FailedWithoutAUsableCode_IsOne(int? code) =>
        Assert.Equal(1, For(Ended(RunState.Failed, RunReason.Exited, code)));

    [Theory]
    [InlineData(9, 137)]
    [InlineData(11, 139)]
    [InlineData(15, 143)]
    [InlineData(2, 130)]
    public void For_Signaled_IsOneHundredTwentyEightPlusTheSignal(int signal, int expected) =>
        Assert.Equal(expected, For(Ended(RunState.Failed, RunReason.Signaled, signal: signal)));

    [Theory]
    [InlineData(RunState.Killed, RunReason.Stopped, 240)]
    [InlineData(RunState.Killed, RunReason.JobDeleted, 240)]
    [InlineData(RunState.Killed, RunReason.ToolDeleted, 240)]
    [InlineData(RunState.Lost, RunReason.ShepherdLost, 241)]
    [InlineData(RunState.Lost, RunReason.NodeLost, 241)]
    [InlineData(RunState.Lost, RunReason.Vanished, 241)]
    [InlineData(RunState.Failed, RunReason.OutOfMemory, 242)]
    [InlineData(RunState.Failed, RunReason.TimedOut, 243)]
    [InlineData(RunState.Failed, RunReason.StartFailed, 244)]
    public void For_PlatformOutcome_IsItsOwnCode(RunState state, RunReason reason, int expected) =>
        Assert.Equal(expected, For(Ended(state, reason, exitCode: 0, signal: 9)));

    [Fact]
    public void For_KilledRunThatExitedZero_IsStillKilled() =>
        Assert.Equal(WaitExitCode.Killed, For(Ended(RunState.Killed, RunReason.Stopped, exitCode: 0)));

    [Fact]
    public void PlatformCodes_AreDistinctAndInTheirRange()
    {
        int[] codes = [WaitExitCode.Killed, WaitExitCode.Lost, WaitExitCode.OutOfMemory, WaitExitCode.TimedOut, WaitExitCode.StartFailed, WaitExitCode.WaitInterrupted];

        Assert.Equal([240, 241, 242, 243, 244, 245], codes);
    }

    [Theory]
    [InlineData(RunState.Queued)]
    [InlineData(RunState.Starting)]
    [InlineData(RunState.Running)]
    public void For_ActiveRun_ThrowsSayingItHasNotEnded(RunState state)
    {
        var run = Sample.Run(id: 42, state: state);

        var thrown = Assert.Throws<InvalidOperationException>(() => For(run));

        Assert.Equal($"a run that is {state.ToWire()} has not ended", thrown.Message);
    }
}
