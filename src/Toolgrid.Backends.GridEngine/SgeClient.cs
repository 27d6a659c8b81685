using System.Globalization;
using System.Text;
using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// Toolgrid's client of one Son of Grid Engine cell: lists jobs, queue instances and hosts in one
/// command each (never one per job), submits a run's job as its tool's user, deletes a job, and
/// reads the ends the accounting file has recorded since the last read.
/// </summary>
/// <remarks>
/// Every program runs with an argument list (<see cref="SgeCommands"/>). A failed command is an
/// <see cref="SgeCommandException"/>, output that cannot be read an <see cref="SgeOutputException"/>;
/// both say which command and what it said.
/// </remarks>
public sealed class SgeClient
{
    private const string Setpriv = "/usr/bin/setpriv";
    private const string Env = "/usr/bin/env";

    private readonly SgeCell _cell;
    private readonly SgeCommands _commands;

    public SgeClient(SgeCell cell, TimeProvider timeProvider, TimeSpan commandTimeout)
    {
        _cell = cell;
        _commands = new SgeCommands(cell, timeProvider, commandTimeout);
    }

    /// <summary>The cell's accounting file, one line per ended job (<see cref="ReadAccountingAsync"/>).</summary>
    public string AccountingFile => _cell.AccountingFile;

    /// <summary>Every job of every user, pending or on a node, with the state of every queue instance and why one is in error: one <c>qstat -f -explain E -xml -u '*'</c>.</summary>
    public async Task<SgeClusterState> ReadStateAsync(CancellationToken cancellationToken)
    {
        var xml = await _commands.RunClientAsync("qstat", ["-f", "-explain", "E", "-xml", "-u", "*"], cancellationToken);
        return new SgeClusterState(QstatXml.ParseJobs(xml, _cell.QmasterTimeZone), QstatXml.ParseQueueInstances(xml));
    }

    /// <summary>The names of the cell's cluster queues: one <c>qconf -sql</c>, which also shows that the qmaster answers.</summary>
    public async Task<IReadOnlyList<string>> ListClusterQueuesAsync(CancellationToken cancellationToken) =>
        (await _commands.RunClientAsync("qconf", ["-sql"], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every execution host with its processors, memory, load and bookable <c>h_vmem</c>: one <c>qhost -F h_vmem -xml</c>.</summary>
    public async Task<IReadOnlyList<SgeHost>> ListHostsAsync(CancellationToken cancellationToken) =>
        QhostXml.Parse(await _commands.RunClientAsync("qhost", ["-F", "h_vmem", "-xml"], cancellationToken));

    /// <summary>
    /// Submits <paramref name="submission"/> as its Unix user (SGE runs a job as whoever submitted
    /// it): <c>setpriv</c> to the user with a clean environment plus the cell's variables, then
    /// qsub with the script on its standard input.
    /// </summary>
    /// <returns>The engine's job id.</returns>
    public async Task<long> SubmitAsync(SgeSubmission submission, CancellationToken cancellationToken)
    {
        var arguments = AsUser(submission, "qsub", submission.QsubArguments());
        var outcome = await _commands.RunAsync(Setpriv, arguments, submission.Script, cancellationToken);
        if (outcome.ExitCode != 0)
        {
            throw SgeCommands.Failure(outcome with { Command = $"qsub -N {submission.JobName} as {submission.UnixUser}" });
        }

        var printed = outcome.Stdout.Trim();
        return long.TryParse(printed, NumberStyles.None, CultureInfo.InvariantCulture, out var jobNumber)
            ? jobNumber
            : throw new SgeOutputException($"qsub -terse printed '{printed}' for {submission.JobName}, not a job id.");
    }

    /// <summary>
    /// Starts <c>qrsh</c> for an interactive run on this host, as the submission's Unix user like
    /// qsub: it makes the run's job, and once Grid Engine placed it, runs the script on the node,
    /// its input and output on a new pseudo-terminal (<c>-pty y</c>) or on pipes.
    /// </summary>
    /// <param name="submission">The run's job.</param>
    /// <param name="scriptPath">Its script as a file the node can read as the user (<see cref="SessionScript"/>): only its path goes on qrsh's command line.</param>
    /// <param name="terminal">The terminal's size; null for pipes.</param>
    /// <param name="messagesFd">Where qrsh's own messages go.</param>
    /// <exception cref="IOException">qrsh could not be started.</exception>
    public InteractiveClient StartInteractive(SgeSubmission submission, string scriptPath, TerminalSize? terminal, int messagesFd) =>
        InteractiveClient.Start([Setpriv, .. AsUser(submission, "qrsh", submission.QrshArguments(terminal is not null, scriptPath))], terminal, messagesFd, raw: true);

    /// <summary>setpriv's arguments that run a client program as the submission's user, with a clean environment plus the cell's variables.</summary>
    private List<string> AsUser(SgeSubmission submission, string program, IReadOnlyList<string> arguments) =>
    [
        "--reuid=" + submission.Uid.ToString(CultureInfo.InvariantCulture),
        "--regid=" + submission.Gid.ToString(CultureInfo.InvariantCulture),
        "--init-groups",
        "--reset-env",
        "--",
        Env,
        // qsub reads a start time (-a) in its time zone: UTC, as SgeSubmission writes it.
        "TZ=UTC",
        .. _cell.Variables.Select(pair => pair.Key + "=" + pair.Value),
        _cell.Program(program),
        .. arguments,
    ];

    /// <summary>Deletes a job (<c>qdel</c>, as root, an SGE manager).</summary>
    /// <returns>False when the engine no longer has the job.</returns>
    public Task<bool> DeleteAsync(long jobNumber, CancellationToken cancellationToken) => DeleteAsync(jobNumber, false, cancellationToken);

    /// <summary>Deletes a job on a node that does not answer (<c>qdel -f</c>): the qmaster forgets it without waiting for the node's execd.</summary>
    /// <returns>False when the engine no longer has the job.</returns>
    public Task<bool> ForceDeleteAsync(long jobNumber, CancellationToken cancellationToken) => DeleteAsync(jobNumber, true, cancellationToken);

    private async Task<bool> DeleteAsync(long jobNumber, bool force, CancellationToken cancellationToken)
    {
        var number = jobNumber.ToString(CultureInfo.InvariantCulture);
        var outcome = await _commands.RunAsync(_cell.Program("qdel"), force ? ["-f", number] : [number], null, cancellationToken);
        if (outcome.ExitCode == 0)
        {
            return true;
        }

        if (outcome.Stdout.Contains($"job \"{number}\" does not exist", StringComparison.Ordinal)
            || outcome.Stderr.Contains($"job \"{number}\" does not exist", StringComparison.Ordinal))
        {
            return false;
        }

        throw SgeCommands.Failure(outcome);
    }

    /// <summary>The host the cell's clients send to, from its <c>act_qmaster</c> file; null when that cannot be read.</summary>
    public string? QmasterHost()
    {
        try
        {
            return File.ReadAllText(Path.Combine(_cell.CommonDirectory, "act_qmaster")).Trim() is { Length: > 0 } host ? host : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Disables (<paramref name="enable"/> false: <c>qmod -d '*@HOST'</c>) or enables (<c>qmod -e</c>)
    /// every queue instance of a host, as root (an SGE manager): a disabled instance keeps its jobs
    /// and the scheduler places no new ones there.
    /// </summary>
    public async Task SetHostEnabledAsync(string host, bool enable, CancellationToken cancellationToken) =>
        await _commands.RunClientAsync("qmod", [enable ? "-e" : "-d", "*@" + host], cancellationToken);

    /// <summary>Clears the error state of a queue instance (<c>qmod -cq QUEUE@HOST</c>), as root (an SGE manager): it takes work again.</summary>
    public async Task ClearErrorAsync(string queueInstance, CancellationToken cancellationToken) =>
        await _commands.RunClientAsync("qmod", ["-cq", queueInstance], cancellationToken);

    /// <summary>
    /// The jobs that ended since <paramref name="offset"/> of the accounting file (0 for all).
    /// Only complete lines are read; a file shorter than the offset was rotated and is read from its start.
    /// </summary>
    public async Task<SgeAccountingRead> ReadAccountingAsync(long offset, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            await using var file = new FileStream(_cell.AccountingFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
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
            // No job has ended in this cell yet.
            return new SgeAccountingRead([], 0);
        }

        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var records = Encoding.UTF8.GetString(bytes, 0, complete)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(SgeAccountingRecord.Parse)
            .OfType<SgeAccountingRecord>()
            .ToList();
        return new SgeAccountingRead(records, offset + complete);
    }
}
