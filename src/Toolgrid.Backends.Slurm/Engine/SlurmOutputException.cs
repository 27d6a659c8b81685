namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>
/// A Slurm command printed what Toolgrid cannot read: the message names the command and what
/// was wrong, so that a warning in <c>toolgrid status</c> and the log can say it.
/// </summary>
public sealed class SlurmOutputException : Exception
{
    public SlurmOutputException()
        : base("a Slurm command printed output that cannot be read")
    {
    }

    public SlurmOutputException(string message)
        : base(message)
    {
    }

    public SlurmOutputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
