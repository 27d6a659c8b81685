namespace Toolgrid.Backends.Slurm;

/// <summary>
/// A Slurm command could not be run, failed or did not finish in time. The message names the
/// command and what it said, e.g. <c>'squeue --json -t all' failed with exit code 1:
/// slurm_load_jobs error: Unable to contact slurm controller (connect failure)</c>.
/// </summary>
public class SlurmCommandException : Exception
{
    public SlurmCommandException()
        : base("a Slurm command failed")
    {
    }

    public SlurmCommandException(string message)
        : base(message)
    {
    }

    public SlurmCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
