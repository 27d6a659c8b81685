using Toolgrid.Core.Backends;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

/// <summary>A health verdict the backend lists but the store lacks is observed (e.g. reported while no controller watched).</summary>
public sealed class ReconcilerHealthTests
{
    private static BackendRunReport Running(long runId, bool? healthy) => new(runId, "node1", BackendRunPhase.Running, Pid: 100, Healthy: healthy);

    [Fact]
    public void Decide_RunningRunWithANewVerdict_IsObserved()
    {
        var ready = Running(1, healthy: true);
        var failing = Running(2, healthy: false);

        Assert.Equal([new ObserveRun(ready), new ObserveRun(failing)], Reconciler.Decide([Sample.Running(1), Sample.Running(2, jobId: 2)], [ready, failing]));
    }

    [Fact]
    public void Decide_RunningRunWhoseVerdictIsRecorded_NeedsNothing()
    {
        var healthy = Sample.Running(1);
        healthy.Healthy = true;
        healthy.ReadyAt = DateTimeOffset.UnixEpoch;
        var unhealthy = Sample.Running(2, jobId: 2);
        unhealthy.Healthy = false;

        Assert.Empty(Reconciler.Decide([healthy, unhealthy, Sample.Running(3, jobId: 3)], [Running(1, true), Running(2, false), Running(3, null)]));
    }
}
