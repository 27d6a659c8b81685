namespace Toolgrid.Cli;

/// <summary>A command cannot go on, for a reason the CLI itself found; carries the message for the user and the exit code.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CommandFailedException()
        : this(ExitCodes.Refused, "the command failed.")
    {
    }

    public CommandFailedException(string message)
        : this(ExitCodes.Refused, message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Refused;
    }

    public int ExitCode { get; }
}
