using System.Diagnostics;

namespace Toolgrid.Backends.Slurm;

/// <summary>
/// Runs the cluster's client programs: an argument list, never a shell; <c>SLURM_CONF</c> and
/// nothing else of toolgridd's environment (sbatch reads <c>SBATCH_*</c> variables as options);
/// messages in English; a timeout after which the program is killed. Slurm's clients retry an
/// unreachable slurmctld for about 9 s before they fail, so the timeout must be longer than that.
/// </summary>
internal sealed class SlurmCommands
{
    private readonly SlurmCluster _cluster;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;

    public SlurmCommands(SlurmCluster cluster, TimeProvider timeProvider, TimeSpan timeout)
    {
        _cluster = cluster;
        _timeProvider = timeProvider;
        _timeout = timeout;
    }

    /// <summary>Runs <paramref name="program"/>, feeding it <paramref name="input"/>; any exit code is returned.</summary>
    /// <param name="program">The program's path.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="input">Its standard input; null for none.</param>
    /// <param name="name">What to call the command in messages.</param>
    /// <param name="cancellationToken">Cancels the wait; the program is killed.</param>
    public async Task<SlurmCommandOutcome> RunAsync(string program, IReadOnlyList<string> arguments, string? input, string name, CancellationToken cancellationToken)
    {
        var (exitCode, stdout, stderr) = await RunAsync(program, arguments, input, name, ReadTextAsync, cancellationToken);
        return new SlurmCommandOutcome(name, exitCode, await stdout, stderr);
    }

    /// <summary>Runs a client program and returns its output; a non-zero exit is a <see cref="SlurmCommandException"/>.</summary>
    public async Task<string> RunClientAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(_cluster.Program(program), arguments, null, Name(program, arguments), cancellationToken);
        return outcome.ExitCode == 0 ? outcome.Stdout : throw outcome.Failure();
    }

    /// <summary>
    /// Runs a client program and gives <paramref name="read"/> its standard output as it comes, so
    /// that a large output is never held whole as text. A non-zero exit is a
    /// <see cref="SlurmCommandException"/> saying what the program wrote on its standard error,
    /// whatever <paramref name="read"/> made of the output; with exit 0, what
    /// <paramref name="read"/> threw is thrown.
    /// </summary>
    public async Task<T> ReadClientAsync<T>(string program, IReadOnlyList<string> arguments, Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var name = Name(program, arguments);
        var (exitCode, stdout, stderr) = await RunAsync(_cluster.Program(program), arguments, null, name, read, cancellationToken);
        if (exitCode != 0)
        {
            _ = stdout.Exception;
            throw new SlurmCommandOutcome(name, exitCode, "", stderr).Failure();
        }

        return await stdout;
    }

    private async Task<(int ExitCode, Task<T> Stdout, string Stderr)> RunAsync<T>(string program, IReadOnlyList<string> arguments, string? input, string name, Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["LC_ALL"] = "C";
        foreach (var (variable, value) in _cluster.Variables)
        {
            start.Environment[variable] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SlurmCommandException($"'{name}' could not be started ({e.Message}): is Slurm's client installed in {Path.GetDirectoryName(program)}?", e);
        }

        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = new CancellationTokenSource(_timeout, _timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var stdout = ReadToEndAsync(process.StandardOutput.BaseStream, read, either.Token);
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), either.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(either.Token);
            await ((Task)stdout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stdout.IsCanceled)
            {
                await stdout;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            await ((Task)stdout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _ = stdout.Exception;
            cancellationToken.ThrowIfCancellationRequested();
            throw e is IOException
                ? new SlurmCommandException($"'{name}' closed its input early and exited with code {process.ExitCode}: {(await stderr).Trim()}", e)
                : new SlurmNotAnsweringException($"'{name}' did not finish within {_timeout.TotalSeconds:0.#} s and was killed: is slurmctld reachable?", e);
        }

        return (process.ExitCode, stdout, await stderr);
    }

    /// <summary>
    /// Reads the whole output, whatever <paramref name="read"/> does: the rest of what it left
    /// (it stopped at an error) is skipped, so that the program is never blocked on a full pipe.
    /// </summary>
    private static async Task<T> ReadToEndAsync<T>(Stream stdout, Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read(stdout, cancellationToken);
        }
        finally
        {
            await stdout.CopyToAsync(Stream.Null, cancellationToken);
        }
    }

    private static async Task<string> ReadTextAsync(Stream stdout, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stdout, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static string Name(string program, IReadOnlyList<string> arguments) => string.Join(' ', arguments.Prepend(program));
}
