using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Health;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Processes;

namespace Toolgrid.Backends.Local.Watching;

/// <summary>Reads what a run's file and lock say now, as a report: waiting, running (with its health), ended or lost.</summary>
/// <remarks>
/// Each run seen held or running has its shepherd watched (<paramref name="shepherds"/>): its exit
/// brings the run to be inspected again at once, whether it wrote the run's end or died.
/// </remarks>
internal sealed partial class RunInspector(RunCatalog catalog, HealthProber health, RunLeftovers leftovers, ProcessExits shepherds, string nodeName, ILogger logger)
{
    private readonly ConcurrentDictionary<string, bool> _warnings = new(StringComparer.Ordinal);

    // The runs last seen running with their shepherds watched, with what was seen.
    private readonly ConcurrentDictionary<long, BackendRunReport> _watchedRunning = new();

    /// <summary>What the shepherds said runs lack (their started records' warnings), each once.</summary>
    public IEnumerable<string> Warnings => _warnings.Keys;

    /// <summary>
    /// Whether the run was last seen running and its shepherd is still watched: what its files say
    /// changes then only with its shepherd's exit (which brings an inspection at once) or by its
    /// shepherd's notification, so a rescan need not read them.
    /// </summary>
    public bool IsWatchedRunning(long runId) => _watchedRunning.ContainsKey(runId) && shepherds.IsWatched(runId);

    /// <summary>
    /// For a run <see cref="IsWatchedRunning"/>, what its files would say now, without reading
    /// them (with its health verdict now); null for any other run.
    /// </summary>
    public BackendRunReport? WatchedRunning(long runId)
    {
        if (!_watchedRunning.TryGetValue(runId, out var report) || !shepherds.IsWatched(runId))
        {
            return null;
        }

        var verdict = health.Verdict(runId);
        return report with { Healthy = verdict.Healthy, HealthMessage = verdict.Message, ListensOutside = verdict.ListensOutside };
    }

    /// <summary>Drops what is kept of runs that are no longer in the run directory.</summary>
    public void Retain(IReadOnlySet<long> runIds)
    {
        foreach (var runId in _watchedRunning.Keys.Where(id => !runIds.Contains(id)))
        {
            _watchedRunning.TryRemove(runId, out _);
        }
    }

    /// <summary>What the run's files say now; null for a run not started (yet) that no shepherd holds.</summary>
    public async Task<BackendRunReport?> InspectAsync(long runId, CancellationToken cancellationToken)
    {
        _watchedRunning.TryRemove(runId, out _);
        try
        {
            if (catalog.Find(runId) is not { } run)
            {
                return null;
            }

            catalog.NoteDeleted(run);
            var state = run.Read();
            if (state.Exit is { } exit)
            {
                health.Untrack(runId);
                shepherds.Forget(runId);
                catalog.KeepEnded(run);
                return exit.ToReport(runId, nodeName);
            }

            if (state.Started is null)
            {
                if (!run.IsLockHeld())
                {
                    return null;
                }

                // A shepherd has it and has not let its command go: held until its due time (or a
                // start under way). Read again, as it may have got further before the lock was seen.
                catalog.KeepLive(run);
                state = run.Read();
                if (state.Exit is { } heldExit)
                {
                    shepherds.Forget(runId);
                    catalog.KeepEnded(run);
                    return heldExit.ToReport(runId, nodeName);
                }

                if (state.Started is null)
                {
                    if (state.Waiting is { ShepherdStartTime: > 0 } waiting)
                    {
                        shepherds.Watch(runId, waiting.ShepherdPid, waiting.ShepherdStartTime);
                    }

                    return new BackendRunReport(runId, nodeName, BackendRunPhase.Waiting, state.Waiting?.Pid);
                }
            }

            var started = state.Started;

            if (started.Warning is { } warning)
            {
                _warnings.TryAdd(warning, true);
            }

            // Watched from now on; a shepherd gone between the two looks is ended or lost below.
            var watched = false;
            if (run.IsLockHeld() && (started.ShepherdStartTime == 0 || (watched = shepherds.Watch(runId, started.ShepherdPid, started.ShepherdStartTime)) || run.IsLockHeld()))
            {
                catalog.KeepLive(run);
                health.Track(runId, started, () => (run as RunFile)?.ReadContents()?.Spec);
                var verdict = health.Verdict(runId);
                var running = new BackendRunReport(runId, nodeName, BackendRunPhase.Running, started.Pid, started.StartedAt, Healthy: verdict.Healthy, HealthMessage: verdict.Message, ListensOutside: verdict.ListensOutside);
                if (watched)
                {
                    _watchedRunning[runId] = running;
                }

                return running;
            }

            health.Untrack(runId);

            // The shepherd writes the exit before its lock goes: look again now that the lock is free.
            if (run.Read().Exit is { } lateExit)
            {
                shepherds.Forget(runId);
                catalog.KeepEnded(run);
                return lateExit.ToReport(runId, nodeName);
            }

            shepherds.Forget(runId);
            await leftovers.KillAsync(runId, started, cancellationToken);
            return new BackendRunReport(
                runId,
                nodeName,
                BackendRunPhase.Lost,
                started.Pid,
                started.StartedAt,
                Message: "the run's shepherd died; how the run ended is unknown");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Forgotten meanwhile, or unreadable: the next scan says.
            Log.InspectFailed(logger, runId, e);
            return null;
        }
    }
}
