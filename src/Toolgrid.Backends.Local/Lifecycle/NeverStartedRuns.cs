using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Isolation;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Backends.Local.Watching;

namespace Toolgrid.Backends.Local.Lifecycle;

/// <summary>Ends runs whose start never happened (refused, failed, stopped before it): the backend writes their exit record itself.</summary>
internal sealed class NeverStartedRuns(RunCatalog catalog, ReportFeed feed, string nodeName, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Records that a run could not be started, unless a shepherd has it or it got further.</summary>
    public void RecordStartFailure(RunEntry run, string message) =>
        Record(run, ExitRecord.NeverStarted(timeProvider.GetUtcNow(), stopped: false, message));

    /// <summary>Ends a run whose start never happened, under its lock, so that no shepherd can start it later.</summary>
    public void Record(RunEntry run, ExitRecord exit)
    {
        using var runLock = run.TryLock();
        if (runLock is null)
        {
            // A shepherd has it: it sees the stop request, or reports how its start went.
            return;
        }

        var state = run.Read();
        if (state.Exit is null && state.Started is null)
        {
            run.WriteNeverStarted(runLock, exit);
            Publish(run.RunId);
            if (state.Waiting is { } abandoned)
            {
                PrivateTmp.Remove(run.RunId, abandoned.PrivateTmp, logger);
            }
        }
    }

    /// <summary>A change the backend made itself (no shepherd will notify it): tell the watchers.</summary>
    public void Publish(long runId)
    {
        if (catalog.Find(runId)?.Read().Exit is { } exit)
        {
            feed.Publish(exit.ToReport(runId, nodeName));
        }
    }
}
