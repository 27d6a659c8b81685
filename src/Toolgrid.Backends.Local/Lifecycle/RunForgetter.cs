using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Health;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Backends.Local.Watching;

namespace Toolgrid.Backends.Local.Lifecycle;

/// <summary>Forgets an ended run: removes its files and everything the backend keeps of it.</summary>
internal sealed partial class RunForgetter(RunCatalog catalog, HealthProber health, ReportFeed feed, RunLeftovers leftovers, ILogger logger)
{
    public void Forget(long runId)
    {
        var run = catalog.Find(runId);
        if (run is null)
        {
            return;
        }

        if (run.Read().Exit is null && run.IsLockHeld())
        {
            // Its shepherd still runs it: forgetting it now would leave a run nobody watches. (With
            // the exit written, the shepherd is only exiting: it writes nothing more that matters.)
            Log.ForgetRefused(logger, runId);
            return;
        }

        run.Remove();
        catalog.Forget(runId);
        health.Untrack(runId);
        feed.Forget(runId);
        leftovers.Forget(runId);
        Log.Forgot(logger, runId);
    }
}
