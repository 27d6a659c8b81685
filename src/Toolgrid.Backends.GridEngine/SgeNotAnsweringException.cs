namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// A Grid Engine command failed because the qmaster does not answer: stopped, unreachable, or
/// slower than the command timeout. Checked on a real cell with <c>sge_qmaster</c> stopped: qsub,
/// qstat and qdel exit 1 saying <c>commlib error: got select error (Connection refused)</c> and
/// <c>unable to send message to qmaster using port P on host "H": got send error</c>, where a
/// submission the qmaster refuses (an unknown queue) says <c>Job was rejected because …</c>.
/// </summary>
public sealed class SgeNotAnsweringException : SgeCommandException
{
    public SgeNotAnsweringException()
        : base("Grid Engine's qmaster does not answer")
    {
    }

    public SgeNotAnsweringException(string message)
        : base(message)
    {
    }

    public SgeNotAnsweringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
