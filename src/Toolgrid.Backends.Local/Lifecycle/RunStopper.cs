using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Lifecycle;

/// <summary>Stops a run: writes its stop request and signals its shepherd; ends itself a run that never started or whose shepherd died.</summary>
internal sealed partial class RunStopper(RunCatalog catalog, NeverStartedRuns neverStarted, RunLeftovers leftovers, TimeProvider timeProvider, ILogger logger)
{
    public async Task StopAsync(long runId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var run = catalog.Find(runId);
        if (run is null || run.Read().Exit is not null)
        {
            Log.StopNotNeeded(logger, runId);
            return;
        }

        // The stop request first, then look for the shepherd: a shepherd that has not yet written
        // its started record checks for the request after it has, and before it lets the command
        // run (see the shepherd's shepherd.c).
        run.WriteStop(gracePeriod);
        Log.StopRequested(logger, runId, gracePeriod.TotalSeconds);
        var state = run.Read();
        if (state.Started is null)
        {
            // Not started. A shepherd holding the lock will see the request; without one, the start
            // never happened and the run ends here, under the lock, so that no shepherd can start it later.
            neverStarted.Record(run, ExitRecord.NeverStarted(timeProvider.GetUtcNow(), stopped: true, "stopped before it started"));
            state = run.Read();
        }

        if (state.Started is not { } started)
        {
            // A shepherd that holds its run until its due time would see the request only then: it is
            // told now. (One that has not written its waiting record yet looks for the request right
            // after it has.)
            if (state.Exit is null && state.Waiting is { } waiting && run.IsLockHeld())
            {
                SignalShepherd(runId, waiting.ShepherdPid, waiting.ShepherdStartTime);
            }

            return;
        }

        if (run.IsLockHeld())
        {
            SignalShepherd(runId, started.ShepherdPid, started.ShepherdStartTime);
            return;
        }

        if (run.Read().Exit is null)
        {
            // The shepherd is gone: end what it left behind; the run is reported lost.
            await leftovers.KillAsync(runId, started, cancellationToken);
        }
    }

    /// <summary>SIGTERM to a run's shepherd, whose lock the caller saw held; the start time says it is this one (not a recycled PID).</summary>
    private void SignalShepherd(long runId, int shepherdPid, long shepherdStartTime)
    {
        if (shepherdPid > 0 && ProcStat.StartTime(shepherdPid) == shepherdStartTime)
        {
            LibC.Kill(shepherdPid, LibC.SigTerm);
        }
        else
        {
            Log.ShepherdMismatch(logger, runId, shepherdPid);
        }
    }
}
