using System.Diagnostics;

namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// Runs the cell's client programs: an argument list, never a shell; the cell's variables and
/// nothing else of toolgridd's environment; messages in English; a timeout after which the
/// program is killed.
/// </summary>
internal sealed class SgeCommands
{
    private readonly SgeCell _cell;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;

    public SgeCommands(SgeCell cell, TimeProvider timeProvider, TimeSpan timeout)
    {
        _cell = cell;
        _timeProvider = timeProvider;
        _timeout = timeout;
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>, feeding it <paramref name="input"/>; any exit code is returned.</summary>
    public async Task<SgeCommandOutcome> RunAsync(string program, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var command = string.Join(' ', arguments.Prepend(Path.GetFileName(program)));
        var start = new ProcessStartInfo(program, arguments)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // qsub reads a .sge_request in its working directory: never toolgridd's own.
            WorkingDirectory = "/",
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in _cell.Variables)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SgeCommandException($"'{command}' could not be started ({e.Message}): is Grid Engine's client installed in {Path.GetDirectoryName(program)}?", e);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = new CancellationTokenSource(_timeout, _timeProvider);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), both.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(both.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            if (e is IOException)
            {
                throw new SgeCommandException($"'{command}' closed its input early and exited with code {process.ExitCode}: {(await stderr).Trim()}", e);
            }

            throw new SgeNotAnsweringException($"'{command}' did not finish within {_timeout.TotalSeconds:0.#} s and was killed: is the qmaster overloaded?", e);
        }

        return new SgeCommandOutcome(command, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a client program of the cell and returns its output; a non-zero exit is an <see cref="SgeCommandException"/>.</summary>
    public async Task<string> RunClientAsync(string name, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(_cell.Program(name), arguments, null, cancellationToken);
        return outcome.ExitCode == 0 ? outcome.Stdout : throw Failure(outcome);
    }

    /// <summary>
    /// The error of a command that failed: an <see cref="SgeNotAnsweringException"/> when what it
    /// printed says the qmaster did not answer (the messages of SGE's communication library), an
    /// <see cref="SgeCommandException"/> for any other failure.
    /// </summary>
    public static SgeCommandException Failure(SgeCommandOutcome outcome)
    {
        var said = (outcome.Stderr.Trim() + " " + outcome.Stdout.Trim()).Trim();
        var message = $"'{outcome.Command}' failed with exit code {outcome.ExitCode}: {(said.Length == 0 ? "(it printed nothing)" : said)}";
        return NotAnsweringSigns.Any(sign => said.Contains(sign, StringComparison.Ordinal))
            ? new SgeNotAnsweringException(message)
            : new SgeCommandException(message);
    }

    // What qsub, qstat, qdel and qconf print when the qmaster does not answer (checked with it stopped).
    private static readonly string[] NotAnsweringSigns = ["unable to send message to qmaster", "unable to contact qmaster"];
}
