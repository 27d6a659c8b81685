namespace Toolgrid.Backends.GridEngine.Engine;

/// <summary>
/// A Grid Engine command printed what Toolgrid cannot read: the message names the command and
/// what was wrong, so that a warning in <c>toolgrid status</c> and the log can say it.
/// </summary>
public sealed class SgeOutputException : Exception
{
    public SgeOutputException()
        : base("a Grid Engine command printed output that cannot be read")
    {
    }

    public SgeOutputException(string message)
        : base(message)
    {
    }

    public SgeOutputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
