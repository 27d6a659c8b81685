using Toolgrid.Core.Backends;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

public sealed class ReconcilerRecordingTests
{
    private static BackendRunReport Report(long runId, BackendRunPhase phase) => new(runId, "node1", phase);

    [Fact]
    public void Latest_PerRun_AnEndWinsOverAnEarlierOrLaterRunning()
    {
        var ended = Report(1, BackendRunPhase.Exited);
        var running = Report(2, BackendRunPhase.Running);

        var latest = Reconciler.Latest([Report(1, BackendRunPhase.Waiting), ended, Report(1, BackendRunPhase.Running), Report(2, BackendRunPhase.Waiting), running]);

        Assert.Equal(ended, latest[1]);
        Assert.Equal(running, latest[2]);
    }

    [Fact]
    public void AfterRecording_EndsAreForgotten_RunsTheStoreDoesNotKnowAreStopped_OthersLeftAlone()
    {
        var plan = Reconciler.AfterRecording(
            [Report(1, BackendRunPhase.Exited), Report(2, BackendRunPhase.Lost), Report(3, BackendRunPhase.Running), Report(4, BackendRunPhase.Running), Report(5, BackendRunPhase.Exited)],
            new HashSet<long> { 1, 2, 3 });

        Assert.Equal([new ForgetRun(1), new ForgetRun(2), new StopOrphan(4), new ForgetRun(5)], plan);
    }
}
