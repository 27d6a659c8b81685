namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// A Grid Engine command could not be run, failed or did not finish in time. The message names
/// the command and what it said, e.g. <c>'qstat -xml -u *' failed with exit code 1: unable to send
/// message to qmaster using port 22380 on host "master-x": got send error</c>.
/// </summary>
public class SgeCommandException : Exception
{
    public SgeCommandException()
        : base("a Grid Engine command failed")
    {
    }

    public SgeCommandException(string message)
        : base(message)
    {
    }

    public SgeCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
