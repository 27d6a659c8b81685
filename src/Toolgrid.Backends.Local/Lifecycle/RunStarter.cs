using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Isolation;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Native;
using Toolgrid.Native.Users;

namespace Toolgrid.Backends.Local.Lifecycle;

/// <summary>Starts a run: writes its run file (once) and launches a shepherd for it.</summary>
/// <remarks>
/// At most once: a run is started by a shepherd that holds the run's lock, and only after it has
/// appended the started record durably; a shepherd that finds a started or an exit record starts
/// nothing. So however often a run id is started, and whatever crashes between, the command runs
/// at most once.
/// </remarks>
internal sealed partial class RunStarter(
    RunCatalog catalog,
    NeverStartedRuns neverStarted,
    ShepherdLauncher launcher,
    ShepherdSettings settings,
    string cgroupParent,
    string nodeName,
    TimeProvider timeProvider,
    ILogger logger)
{
    /// <summary>Starts the run, or finds it started (or ended) and does nothing.</summary>
    /// <exception cref="StartDeferredException">The start cannot happen yet (a full disk, a port taken); nothing was started.</exception>
    public async Task StartAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        using var scope = Log.RunScope(logger, launch.Tool, launch.Job, launch.RunId);
        try
        {
            await StartOnceAsync(launch, cancellationToken);
        }
        catch (IOException e) when (DiskFull.Is(e))
        {
            // Nothing was started: the run file was not (fully) written, or its end could not be.
            throw new StartDeferredException($"the disk of node {nodeName} is full ({e.Message})", e);
        }
    }

    private async Task StartOnceAsync(RunLaunch launch, CancellationToken cancellationToken)
    {
        var run = new RunFile(catalog.RunDirectory, launch.RunId);
        if (catalog.Find(launch.RunId) is { } known)
        {
            // Known already: never written again. Started or ended: nothing to do; otherwise the
            // start did not happen (toolgridd died before or during it) and the shepherd does it now.
            var state = known.Read();
            if (state.Exit is not null || state.Started is not null)
            {
                Log.StartAlreadyDone(logger, launch.RunId);
                return;
            }

            if (state.Waiting is not null && known.IsLockHeld())
            {
                // Held until its due time by its shepherd, which starts it then.
                Log.StartAlreadyDone(logger, launch.RunId);
                return;
            }

            if (state.Waiting is { } abandoned)
            {
                // Its shepherd died during the wait (its job process with it): the new one makes its own.
                PrivateTmp.Remove(launch.RunId, abandoned.PrivateTmp, logger);
            }

            if (known is LegacyRunDirectory)
            {
                // Made by an earlier toolgridd, which died before its shepherd started the run. This
                // shepherd speaks protocol 2 only: the start is recorded as failed (under the run's
                // lock, so that a shepherd of the earlier version still under way wins).
                neverStarted.RecordStartFailure(known, "the run was created by an earlier version of toolgridd, which stopped before it started it; it is not started");
                return;
            }
        }
        else if (!TryCreate(launch))
        {
            return;
        }

        if (launch.Port is { } port && PortListeners.Describe(port, cgroupParent) is { } holder)
        {
            // Its command could not listen; it would crash, or wait for ever for its health check.
            throw new StartDeferredException($"port {port} on node {nodeName} is taken by {holder}");
        }

        var begun = timeProvider.GetTimestamp();
        var result = await launcher.LaunchAsync(run.Path, cancellationToken);
        var elapsed = timeProvider.GetElapsedTime(begun);
        switch (result.Outcome)
        {
            case LaunchOutcome.Started:
                Log.Started(logger, launch.RunId, elapsed.TotalMilliseconds);
                break;
            case LaunchOutcome.Waiting:
                Log.Waiting(logger, launch.RunId, elapsed.TotalMilliseconds, launch.NotBefore);
                break;
            case LaunchOutcome.StartFailed:
                Log.StartFailed(logger, launch.RunId, result.Error);
                break;
            case LaunchOutcome.Busy or LaunchOutcome.AlreadyStarted:
                Log.StartAlreadyDone(logger, launch.RunId);
                break;
            case LaunchOutcome.NoSpace:
                // The run file is as it was before the launch: a start that did not happen.
                throw new StartDeferredException($"the disk of node {nodeName} is full ({result.Error})");
            default:
                Log.LaunchFailed(logger, launch.RunId, result.Outcome, result.Error);
                neverStarted.RecordStartFailure(run, string.IsNullOrEmpty(result.Error) ? $"the shepherd failed ({result.Outcome})" : result.Error);
                break;
        }
    }

    /// <summary>Writes the run file with the spec; false when the launch is refused (the run file then says why, in its exit record).</summary>
    private bool TryCreate(RunLaunch launch)
    {
        var error = ShepherdSpec.Validate(launch);
        var account = error is null
            ? UserDatabase.Lookup(launch.UnixUser, launch.Uid, launch.Gid, withGroups: launch.Uid != (int)LibC.GetEUid(), out error)
            : null;
        if (account is null)
        {
            Log.StartRefused(logger, launch.RunId, error!);
            RunFile.Create(catalog.RunDirectory, launch.RunId, ExitRecord.NeverStarted(timeProvider.GetUtcNow(), stopped: false, error!).ToRecord(launch.RunId));
            neverStarted.Publish(launch.RunId);
            return false;
        }

        RunFile.Create(catalog.RunDirectory, launch.RunId, ShepherdSpec.Build(launch, account, settings));
        return true;
    }
}
