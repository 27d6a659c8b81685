using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Isolation;
using Toolgrid.Backends.Local.Protocol;

namespace Toolgrid.Backends.Local.Cgroups;

/// <summary>Ends what a run whose shepherd died left behind: its processes (by its cgroups) and its private <c>/tmp</c>.</summary>
internal sealed partial class RunLeftovers(TimeProvider timeProvider, ILogger logger)
{
    private readonly ConcurrentDictionary<long, bool> _lostSeen = new();

    /// <summary>Kills the run's processes and removes its cgroups, then its private <c>/tmp</c>; logs the loss once per run, and again whenever something was killed.</summary>
    public async Task KillAsync(long runId, StartedRecord started, CancellationToken cancellationToken)
    {
        var killed = await CgroupKiller.KillAndRemoveAsync(started.CgroupDirectories, timeProvider, cancellationToken);
        if (_lostSeen.TryAdd(runId, true) || killed > 0)
        {
            Log.ShepherdLost(logger, runId, killed);
        }

        // Its processes are gone: what the shepherd would have removed at the end goes now.
        PrivateTmp.Remove(runId, started.PrivateTmp ?? [], logger);
    }

    /// <summary>Forgets that the run was seen lost.</summary>
    public void Forget(long runId) => _lostSeen.TryRemove(runId, out _);
}
