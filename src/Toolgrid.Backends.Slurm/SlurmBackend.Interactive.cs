using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Errors;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.Slurm;

/// <summary>
/// Interactive runs (<c>toolgrid jobs shell</c>) on Slurm: <c>srun --pty</c> (or srun on pipes),
/// started on this host as the tool's user, makes the run's job and runs its script on the node
/// Slurm chooses; the backend keeps srun's terminal for the run's one attach. srun is given the
/// path of the script, a file of the tool's user in its home (<see cref="SessionScript"/>), never the
/// script itself, which holds the run's environment: a command line is anybody's to read.
/// </summary>
/// <remarks>
/// The run is reported running once squeue shows its job (named <c>tg-RUNID</c>, of the run's
/// uid) running, on its node; it ends when srun does, with srun's exit code, which is the remote
/// command's. An srun that ended before slurmctld ever listed its job did not start the run: the
/// run failed to start, with what srun said. srun is a child of this toolgridd and dies with it
/// (its terminal hangs up): the runs a restarted toolgridd finds marked interactive and not its
/// own are lost, their jobs cancelled, never left running.
/// </remarks>
public sealed partial class SlurmBackend : IRunTerminals
{
    private const string LostWithToolgridd = "toolgridd restarted during the interactive session: its srun ended with it (the session hung up), and its job was cancelled";

    /// <inheritdoc />
    /// <exception cref="ToolgridException">The run is not an interactive run of this toolgridd (not found), or was attached before (conflict).</exception>
    public Task<IRunTerminal> AttachAsync(long runId, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.Attach(runId));

    /// <summary>Starts srun for an interactive run, once (a start of a run marked by an earlier toolgridd does nothing: the pass reports it lost).</summary>
    private void StartInteractive(RunLaunch launch)
    {
        SlurmSubmission? submission = null;
        var session = _sessions.Start(launch.RunId, launch.Uid, () =>
        {
            if (_runs.IsInteractive(launch.RunId))
            {
                return null;
            }

            submission = SlurmSubmission.For(launch, PartitionOf(launch.Queue));
            _runs.MarkInteractive(launch.RunId);
            SessionScript? script = null;
            try
            {
                // The script holds the run's environment: in a file of the tool's, never on a command line.
                script = SessionScript.Write(launch.Home, launch.RunId, launch.Uid, launch.Gid, submission.Script);
                using var messages = File.OpenHandle(_runs.MessagesPath(launch.RunId), FileMode.Create, FileAccess.Write);
                return (_client.StartInteractive(submission, script.Path, launch.Terminal, (int)messages.DangerousGetHandle()), script);
            }
            catch (IOException)
            {
                // Nothing started: the start fails, and leaves no mark that a pass would take for a lost session.
                script?.Dispose();
                _runs.Forget(launch.RunId);
                throw;
            }
        });
        if (session is not null && submission is not null)
        {
            LogInteractiveStarted(launch.RunId, submission.Partition ?? _settings.DefaultPartition, launch.UnixUser, session.Client.IsTerminal ? "a pseudo-terminal" : "pipes");
        }
    }

    /// <summary>Hangs up the srun of an interactive run whose job is not known yet (it waits for its allocation); false when it is not such a run.</summary>
    private bool HangUpPending(long runId)
    {
        if (_runs.JobOf(runId) is not null || _sessions.Get(runId) is not { } session)
        {
            return false;
        }

        session.Client.SignalHangUp();
        return true;
    }

    /// <summary>The reports of the interactive runs, from their srun clients and one squeue (<paramref name="jobs"/>).</summary>
    private async Task<List<BackendRunReport>> ReportInteractiveAsync(IReadOnlyDictionary<long, SlurmJob> jobs, CancellationToken cancellationToken)
    {
        var reports = new List<BackendRunReport>();
        foreach (var runId in _runs.Interactive())
        {
            var session = _sessions.Get(runId);
            var jobId = _runs.JobOf(runId);
            if (session is null)
            {
                // An earlier toolgridd's: its srun died with it.
                if (jobId is { } orphan && jobs.TryGetValue(orphan, out var left) && !left.Ended)
                {
                    await _client.CancelAsync(orphan, cancellationToken);
                }

                reports.Add(new BackendRunReport(runId, null, BackendRunPhase.Lost, Message: LostWithToolgridd));
                continue;
            }

            var job = jobId is { } known ? jobs.GetValueOrDefault(known) : FindJob(jobs.Values, runId, session.Uid);
            if (jobId is null && job is not null)
            {
                _runs.Record(runId, job.Id);
            }

            if (session.Client.Exited() is { } status)
            {
                reports.Add(EndedBeforeItsAttach(runId, session, job) is { } held ? held : Ended(runId, status, job));
            }
            else if (_sessions.HangUpIfUnattached(session))
            {
                // Nobody attached (the caller went away before the run started): hung up.
            }
            else if (job is { Ended: false } && _runs.KillAt(runId) is { } killAt && _timeProvider.GetUtcNow() >= killAt)
            {
                // The stop's grace period is over: the job goes, and srun ends with it.
                await _client.CancelAsync(job.Id, cancellationToken);
            }
            else if (job is { Ended: false, Node: { } node })
            {
                reports.Add(new BackendRunReport(runId, node, BackendRunPhase.Running, StartedAt: job.StartedAt));
            }
            else if (job is { Ended: false } || (job is null && jobId is null))
            {
                // srun waits for its allocation: slurmctld has the job, or will have it once srun's request is in.
                reports.Add(new BackendRunReport(runId, null, BackendRunPhase.Waiting));
            }
        }

        return reports;
    }

    /// <summary>
    /// For a run whose srun ended before its session attached (a short command on a busy machine):
    /// still running on its node, until the session has attached and read what it printed, or
    /// nobody attached within <see cref="InteractiveSessions.AttachWait"/>; null for any other run.
    /// </summary>
    private BackendRunReport? EndedBeforeItsAttach(long runId, InteractiveSession session, SlurmJob? job) =>
        job?.Node is { } node && _sessions.HeldForAttach(session, _runs.KillAt(runId) is not null)
            ? new BackendRunReport(runId, node, BackendRunPhase.Running, StartedAt: job.StartedAt)
            : null;

    private BackendRunReport Ended(long runId, int status, SlurmJob? job)
    {
        if (job is null && _runs.JobOf(runId) is null)
        {
            // slurmctld never listed its job: srun could not make it (a bad partition, memory…).
            var said = InteractiveSessions.ReadMessages(_runs.MessagesPath(runId));
            return new BackendRunReport(runId, null, BackendRunPhase.Exited, StartFailed: true,
                Message: $"srun ended without starting the job{(said.Length == 0 ? string.Empty : ": " + said)}");
        }

        var stopped = _runs.KillAt(runId) is not null;
        var node = job?.Node;
        return status switch
        {
            -1 => new BackendRunReport(runId, node, BackendRunPhase.Lost, Message: "srun was reaped by someone else: how the run ended is unknown"),
            _ when (status & 0x7f) == 0 => new BackendRunReport(runId, node, BackendRunPhase.Exited, ExitCode: (status >> 8) & 0xff, StartedAt: job?.StartedAt, Message: stopped ? "stopped" : null),
            _ => new BackendRunReport(runId, node, BackendRunPhase.Exited, Signal: status & 0x7f, StartedAt: job?.StartedAt, Message: stopped ? "stopped" : null),
        };
    }

    private static SlurmJob? FindJob(IEnumerable<SlurmJob> jobs, long runId, int uid)
    {
        var name = SlurmSubmission.NameOf(runId);
        return jobs.Where(j => j.Name == name && j.Uid == uid).MaxBy(j => j.Id);
    }

    private void ForgetInteractive(long runId) => _sessions.Forget(runId);

}
