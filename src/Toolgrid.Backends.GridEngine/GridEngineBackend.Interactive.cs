using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Errors;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// Interactive runs (<c>toolgrid jobs shell</c>) on Grid Engine: <c>qrsh -pty y</c> (or qrsh on
/// pipes), started on this host as the tool's user, makes the run's job and runs its script on
/// the node SGE chooses; the backend keeps qrsh's terminal for the run's one attach. qrsh is given
/// the path of the script, a file of the tool's user in its home (<see cref="SessionScript"/>), never
/// the script itself, which holds the run's environment: a command line is anybody's to read.
/// </summary>
/// <remarks>
/// qrsh runs with <c>-now y</c>: the session starts at once, or qrsh ends saying that it could not
/// be scheduled (on its standard error, kept in <c>&lt;runId&gt;.qrsh</c>), and the run failed to
/// start with what qrsh said. qrsh does not say its job number but with <c>-verbose</c>, on its
/// standard output, which is the session's: the job is the one named after the run and owned by its
/// user, found in qstat or the accounting file. From then on it is followed like a batch job's: running once qstat shows it on its node, stopped with <c>qdel</c>
/// (SIGUSR2, which the script turns into the run's stop), and ended as its accounting record says,
/// but only once qrsh has ended too (it may still be passing on the last of the output), and,
/// when nobody has attached yet, once the session has (or nobody did within
/// <see cref="InteractiveSessions.AttachWait"/>). qrsh is a child of this toolgridd and dies with
/// it: the runs a restarted toolgridd finds marked interactive (<c>&lt;runId&gt;.interactive</c>) and
/// not its own are lost, their jobs deleted, never left running.
/// </remarks>
public sealed partial class GridEngineBackend : IRunTerminals
{
    private const string LostWithToolgridd = "toolgridd restarted during the interactive session: its qrsh ended with it (the session hung up), and its job was deleted";

    /// <inheritdoc />
    /// <exception cref="ToolgridException">The run is not an interactive run of this toolgridd (not found), or was attached before (conflict).</exception>
    public Task<IRunTerminal> AttachAsync(long runId, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.Attach(runId));

    /// <summary>Starts qrsh for an interactive run, once (a start of a run marked by an earlier toolgridd does nothing: the pass reports it lost).</summary>
    private void StartInteractive(RunLaunch launch)
    {
        var queue = ClusterQueueOf(launch.Queue);
        var session = _sessions.Start(launch.RunId, launch.Uid, () =>
        {
            var marked = PathOf(launch.RunId, ".interactive");
            if (File.Exists(marked))
            {
                return null;
            }

            var submission = SgeSubmission.For(launch, queue);
            File.WriteAllText(marked, launch.UnixUser);
            SessionScript? script = null;
            try
            {
                // The script holds the run's environment: in a file of the tool's, never on a command line.
                script = SessionScript.Write(launch.Home, launch.RunId, launch.Uid, launch.Gid, submission.Script);
                using var messages = File.OpenHandle(PathOf(launch.RunId, ".qrsh"), FileMode.Create, FileAccess.Write);
                return (_client.StartInteractive(submission, script.Path, launch.Terminal, (int)messages.DangerousGetHandle()), script);
            }
            catch (IOException)
            {
                // Nothing started: the start fails, and leaves no mark that a pass would take for a lost session.
                script?.Dispose();
                File.Delete(marked);
                throw;
            }
        });
        if (session is not null)
        {
            LogInteractiveStarted(launch.RunId, queue, launch.UnixUser, session.Client.IsTerminal ? "a pseudo-terminal" : "pipes");
        }
    }

    /// <summary>Hangs up the qrsh of an interactive run whose job number is not known yet; false when it is not such a run.</summary>
    private async Task<bool> HangUpPendingAsync(long runId, CancellationToken cancellationToken)
    {
        if (JobOf(runId) is not null || _sessions.Get(runId) is not { } session)
        {
            return false;
        }

        await File.WriteAllTextAsync(PathOf(runId, ".stop"), string.Empty, cancellationToken);
        session.Client.SignalHangUp();
        return true;
    }

    /// <summary>
    /// Records the job numbers of the interactive runs that have none yet: the job named after the
    /// run and owned by its user, in qstat's list or among the ended jobs the accounting file has
    /// just recorded (a short command may start and end between two passes).
    /// </summary>
    private void RecordInteractiveJobs(IEnumerable<long> interactive, IEnumerable<(long Number, string Name, string Owner)> jobs)
    {
        var named = jobs.GroupBy(j => (j.Name, j.Owner)).ToDictionary(g => g.Key, g => g.Max(j => j.Number));
        foreach (var runId in interactive.Where(r => JobOf(r) is null))
        {
            if (ReadText(PathOf(runId, ".interactive")) is { } user && named.TryGetValue((SgeSubmission.NameOf(runId), user), out var number))
            {
                Record(runId, number);
                _missingSince.Remove(runId);
            }
        }
    }

    /// <summary>The report of an interactive run, from its qrsh client, and from qstat and the accounting file as for a batch run (<paramref name="asBatch"/>).</summary>
    private async Task<BackendRunReport?> ReportInteractiveAsync(long runId, SgeJob? job, Func<Task<BackendRunReport?>> asBatch, CancellationToken cancellationToken)
    {
        var jobNumber = JobOf(runId);
        if (_sessions.Get(runId) is not { } session)
        {
            // An earlier toolgridd's: its qrsh died with it.
            if (jobNumber is { } orphan && job is { Deleting: false })
            {
                await _client.DeleteAsync(orphan, cancellationToken);
            }

            return new BackendRunReport(runId, null, BackendRunPhase.Lost, Message: LostWithToolgridd);
        }

        var exited = session.Client.Exited() is not null;
        if (jobNumber is null)
        {
            if (!exited)
            {
                // qrsh waits for its job to be placed (or is hung up now, and its end reported next).
                _sessions.HangUpIfUnattached(session);
                return new BackendRunReport(runId, null, BackendRunPhase.Waiting);
            }

            // qrsh made no job that was seen: it could not make one (a bad queue, memory…), or could not
            // place it now, and said so; or the job's accounting record is still to come.
            var said = InteractiveSessions.ReadMessages(PathOf(runId, ".qrsh"));
            var now = _timeProvider.GetUtcNow();
            if (said.Length == 0 && now - (_missingSince.TryGetValue(runId, out var since) ? since : _missingSince[runId] = now) < _settings.AccountingWait)
            {
                return null;
            }

            return File.Exists(PathOf(runId, ".stop"))
                ? new BackendRunReport(runId, null, BackendRunPhase.Exited, Signal: 15, Message: "stopped before it started")
                : new BackendRunReport(runId, null, BackendRunPhase.Exited, StartFailed: true,
                    Message: $"qrsh ended without starting the job{(said.Length == 0 ? string.Empty : ": " + said)}");
        }

        if (!exited)
        {
            _sessions.HangUpIfUnattached(session);
        }

        var report = await asBatch();
        var node = report?.Node ?? job?.Node;
        var ended = report is { Phase: BackendRunPhase.Exited };
        // Ended on the node while qrsh still passes on its last output, or before the session attached: running until then.
        return ended && node is not null && (!exited || _sessions.HeldForAttach(session, File.Exists(PathOf(runId, ".stop"))))
            ? new BackendRunReport(runId, node, BackendRunPhase.Running, StartedAt: report!.StartedAt ?? job?.StartedAt)
            : report;
    }
}
