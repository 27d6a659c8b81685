namespace Toolgrid.Backends.Slurm;

/// <summary>How a Slurm command ended and what it printed.</summary>
/// <param name="Command">The command, for messages.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">Its standard output.</param>
/// <param name="Stderr">Its standard error.</param>
public sealed record SlurmCommandOutcome(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>What it said, both streams, for a message.</summary>
    public string Said => (Stderr.Trim() + " " + Stdout.Trim()).Trim() is { Length: > 0 } said ? said : "(it printed nothing)";

    /// <summary>
    /// The error of a command that failed: a <see cref="SlurmNotAnsweringException"/> when it says it
    /// could not reach slurmctld, a <see cref="SlurmCommandException"/> for any other failure.
    /// </summary>
    public SlurmCommandException Failure()
    {
        var message = $"'{Command}' failed with exit code {ExitCode}: {Said}";
        return Said.Contains("Unable to contact slurm controller", StringComparison.Ordinal)
            ? new SlurmNotAnsweringException(message)
            : new SlurmCommandException(message);
    }
}
