namespace Toolgrid.Backends.Slurm;

/// <summary>
/// A Slurm command failed because slurmctld does not answer: stopped, unreachable, or slower than
/// the command timeout. Checked on a real cluster with slurmctld stopped: sbatch and scancel exit 1
/// saying <c>Unable to contact slurm controller (connect failure)</c>; <c>squeue --json</c> and
/// <c>sinfo --json</c> exit 0 with an <c>errors</c> entry that only says "Unspecified error", so
/// such an error is checked with <c>scontrol ping</c>, which exits 1 saying the controller is
/// <c>DOWN</c>. A submission slurmctld refuses (an unknown partition) says something else.
/// </summary>
public sealed class SlurmNotAnsweringException : SlurmCommandException
{
    public SlurmNotAnsweringException()
        : base("Slurm's slurmctld does not answer")
    {
    }

    public SlurmNotAnsweringException(string message)
        : base(message)
    {
    }

    public SlurmNotAnsweringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
