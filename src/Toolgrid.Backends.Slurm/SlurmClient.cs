using System.Globalization;
using System.Text;
using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.Slurm;

/// <summary>
/// Toolgrid's client of one Slurm cluster: lists jobs and nodes in one command each (never one
/// per job), submits a run's job as its tool's user, signals and cancels a job, and reads the
/// jobcomp file.
/// </summary>
/// <remarks>
/// Every program runs with an argument list (<see cref="SlurmCommands"/>). A failed command is a
/// <see cref="SlurmCommandException"/>, output that cannot be read a <see cref="SlurmOutputException"/>;
/// both say which command and what it said.
/// </remarks>
public sealed class SlurmClient
{
    private const string Setpriv = "/usr/bin/setpriv";
    private const string Env = "/usr/bin/env";

    private readonly SlurmCluster _cluster;
    private readonly SlurmCommands _commands;

    public SlurmClient(SlurmCluster cluster, TimeProvider timeProvider, TimeSpan commandTimeout)
    {
        _cluster = cluster;
        _commands = new SlurmCommands(cluster, timeProvider, commandTimeout);
    }

    /// <summary>The cluster's jobcomp file when this host can read it (<see cref="ReadJobCompAsync"/>); null otherwise.</summary>
    public string? JobCompFile => _cluster.JobCompFile;

    /// <summary>Every job slurmctld keeps, of every user: pending, running, and ended within <c>MinJobAge</c>. One <c>squeue --json -t all</c>.</summary>
    public Task<IReadOnlyList<SlurmJob>> ListJobsAsync(CancellationToken cancellationToken) =>
        ReadAsync("squeue", ["--json", "-t", "all"], SqueueJson.ParseAsync, cancellationToken);

    /// <summary>Every node with its partitions, state, CPUs and memory: one <c>sinfo --json</c>.</summary>
    public Task<IReadOnlyList<SlurmNode>> ListNodesAsync(CancellationToken cancellationToken) =>
        ReadAsync("sinfo", ["--json"], SinfoJson.ParseAsync, cancellationToken);

    /// <summary>
    /// Whether slurmctld answers: <c>scontrol ping</c>. A <see cref="SlurmNotAnsweringException"/>
    /// saying what it printed when it does not.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var outcome = await _commands.RunAsync(_cluster.Program("scontrol"), ["ping"], null, "scontrol ping", cancellationToken);
        if (outcome.ExitCode != 0)
        {
            throw new SlurmNotAnsweringException($"'scontrol ping' exited with code {outcome.ExitCode}: {outcome.Said.Split('\n')[0].Trim()}");
        }
    }

    /// <summary>
    /// Runs a <c>--json</c> read and parses its standard output as it comes, never whole as text. The
    /// clients print an <c>errors</c> entry that says only "Unspecified error", and exit 0, when
    /// slurmctld does not answer: then <c>scontrol ping</c> tells whether that was the cause.
    /// </summary>
    private async Task<IReadOnlyList<T>> ReadAsync<T>(string program, IReadOnlyList<string> arguments, Func<Stream, CancellationToken, Task<IReadOnlyList<T>>> parse, CancellationToken cancellationToken)
    {
        try
        {
            return await _commands.ReadClientAsync(program, arguments, parse, cancellationToken);
        }
        catch (SlurmOutputException)
        {
            await PingAsync(cancellationToken);
            throw;
        }
    }

    /// <summary>Every partition, and which is the default: one <c>scontrol show partition -o</c>.</summary>
    public async Task<IReadOnlyList<SlurmPartition>> ListPartitionsAsync(CancellationToken cancellationToken) =>
        SlurmPartition.ParseAll(await _commands.RunClientAsync("scontrol", ["show", "partition", "-o"], cancellationToken));

    /// <summary>
    /// Submits <paramref name="submission"/> as its Unix user: <c>setpriv</c> to the user with a clean
    /// environment plus <c>SLURM_CONF</c>, then sbatch with the script on its standard input. The
    /// job runs as that user, and slurmctld checks what that user, not root, may use.
    /// </summary>
    /// <returns>The engine's job id.</returns>
    public async Task<long> SubmitAsync(SlurmSubmission submission, CancellationToken cancellationToken)
    {
        var arguments = AsUser(submission, "sbatch", submission.SbatchArguments());
        var outcome = await _commands.RunAsync(Setpriv, arguments, submission.Script, $"sbatch --job-name={submission.JobName} as {submission.UnixUser}", cancellationToken);
        if (outcome.ExitCode != 0)
        {
            throw outcome.Failure();
        }

        // --parsable prints "ID" or "ID;CLUSTER".
        var printed = outcome.Stdout.Trim();
        var id = printed.Split(';')[0];
        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId)
            ? jobId
            : throw new SlurmOutputException($"sbatch --parsable printed '{printed}' for {submission.JobName}, not a job id.");
    }

    /// <summary>
    /// Starts <c>srun</c> for an interactive run on this host, as the submission's Unix user like
    /// sbatch: it asks slurmctld for the job, waits for it, and runs the script on the node as
    /// its one task, its input and output on a new pseudo-terminal (<c>--pty</c>) or on pipes.
    /// </summary>
    /// <param name="submission">The run's job.</param>
    /// <param name="scriptPath">Its script as a file the node can read as the user (<see cref="SessionScript"/>): only its path goes on srun's command line.</param>
    /// <param name="terminal">The terminal's size; null for pipes.</param>
    /// <param name="messagesFd">Where srun's own messages go.</param>
    /// <exception cref="IOException">srun could not be started.</exception>
    public InteractiveClient StartInteractive(SlurmSubmission submission, string scriptPath, TerminalSize? terminal, int messagesFd) =>
        InteractiveClient.Start([Setpriv, .. AsUser(submission, "srun", submission.SrunArguments(terminal is not null, scriptPath))], terminal, messagesFd, raw: true);

    /// <summary>setpriv's arguments that run a client program as the submission's user, with a clean environment plus the cluster's variables.</summary>
    private List<string> AsUser(SlurmSubmission submission, string program, IReadOnlyList<string> arguments) =>
    [
        "--reuid=" + submission.Uid.ToString(CultureInfo.InvariantCulture),
        "--regid=" + submission.Gid.ToString(CultureInfo.InvariantCulture),
        "--init-groups",
        "--reset-env",
        "--",
        Env,
        .. _cluster.Variables.Select(pair => pair.Key + "=" + pair.Value),
        _cluster.Program(program),
        .. arguments,
    ];

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>KILL</c>) to every process of a running job, the batch script's included, without ending the job itself.</summary>
    /// <returns>False when the job is not running (ended, or unknown).</returns>
    public Task<bool> SignalAsync(long jobId, string signal, CancellationToken cancellationToken) =>
        SignalAsync(jobId, signal, batch: true, cancellationToken);

    /// <summary>Sends <paramref name="signal"/> to the processes of a running job's steps: with the batch step (<c>--full</c>), or its srun steps only (an interactive run's job has no batch step).</summary>
    /// <returns>False when the job is not running (ended, or unknown).</returns>
    public async Task<bool> SignalAsync(long jobId, string signal, bool batch, CancellationToken cancellationToken)
    {
        var id = jobId.ToString(CultureInfo.InvariantCulture);
        IReadOnlyList<string> arguments = batch ? ["--signal=" + signal, "--full", id] : ["--signal=" + signal, id];
        var outcome = await _commands.RunAsync(_cluster.Program("scancel"), arguments, null, "scancel " + string.Join(' ', arguments), cancellationToken);
        if (outcome.ExitCode == 0)
        {
            return true;
        }

        return outcome.Stderr.Contains("Invalid job id specified", StringComparison.Ordinal)
            || outcome.Stderr.Contains("already completing or completed", StringComparison.Ordinal)
            ? false
            : throw outcome.Failure();
    }

    /// <summary>
    /// Cancels a job (<c>scancel</c>, as root): a pending one never starts; a running one gets
    /// SIGTERM and, after the cluster's <c>KillWait</c>, SIGKILL. A job that is gone is no error
    /// (scancel says nothing of it).
    /// </summary>
    public async Task CancelAsync(long jobId, CancellationToken cancellationToken) =>
        await _commands.RunClientAsync("scancel", [jobId.ToString(CultureInfo.InvariantCulture)], cancellationToken);

    /// <summary>
    /// Drains a node (<c>scontrol update NodeName=HOST State=DRAIN Reason=TEXT</c>, as root): it
    /// keeps its jobs and slurmctld places no new ones there; the reason shows in <c>sinfo -R</c>.
    /// </summary>
    public async Task DrainAsync(string node, string reason, CancellationToken cancellationToken) =>
        await _commands.RunClientAsync("scontrol", ["update", "NodeName=" + node, "State=DRAIN", "Reason=" + reason], cancellationToken);

    /// <summary>Undoes a drain (<c>scontrol update NodeName=HOST State=RESUME</c>, as root).</summary>
    public async Task ResumeAsync(string node, CancellationToken cancellationToken) =>
        await _commands.RunClientAsync("scontrol", ["update", "NodeName=" + node, "State=RESUME"], cancellationToken);

    /// <summary>How long the jobcomp file is now (0 when there is none yet, or no file is configured): where a reader of its new lines starts.</summary>
    public long JobCompLength() =>
        _cluster.JobCompFile is { } path && new FileInfo(path) is { Exists: true } file ? file.Length : 0;

    /// <summary>
    /// The jobs the jobcomp file has recorded since <paramref name="offset"/> (0 for all). Only
    /// complete lines are read; a file shorter than the offset was rotated and is read from its start.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cluster has no jobcomp file this host can read.</exception>
    public async Task<SlurmJobCompRead> ReadJobCompAsync(long offset, CancellationToken cancellationToken)
    {
        var path = _cluster.JobCompFile ?? throw new InvalidOperationException("no jobcomp file is configured for this Slurm cluster (JobCompLoc of jobcomp/filetxt, readable on this host)");
        byte[] bytes;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
            if (file.Length < offset)
            {
                offset = 0;
            }

            file.Position = offset;
            bytes = new byte[file.Length - offset];
            await file.ReadExactlyAsync(bytes, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            // No job has ended in this cluster yet.
            return new SlurmJobCompRead([], 0, 0);
        }

        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var lines = Encoding.UTF8.GetString(bytes, 0, complete).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var records = lines.Select(line => JobCompRecord.Parse(line, _cluster.ControllerTimeZone)).OfType<JobCompRecord>().ToList();
        return new SlurmJobCompRead(records, offset + complete, lines.Length - records.Count);
    }

    /// <summary>
    /// The jobcomp record of an ended job, read from the whole file: null when there is none, or
    /// when there are several (a job name with a newline can write a line that looks like another
    /// job's record). Ask only once slurmctld no longer lists the job, so that its own record is
    /// already written: a forged line written before it then makes two.
    /// </summary>
    public async Task<JobCompRecord?> FindJobCompAsync(long jobId, CancellationToken cancellationToken)
    {
        var records = (await ReadJobCompAsync(0, cancellationToken)).Records.Where(r => r.JobId == jobId).ToList();
        return records.Count == 1 ? records[0] : null;
    }
}
