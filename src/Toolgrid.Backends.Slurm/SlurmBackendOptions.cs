namespace Toolgrid.Backends.Slurm;

/// <summary>
/// Where toolgridd finds its Slurm cluster and how it uses it: section <c>Toolgrid:Slurm</c>,
/// read when <c>Toolgrid:Backend</c> is <c>slurm</c>.
/// </summary>
/// <remarks>Checked at start by <see cref="SlurmBackendOptionsValidator"/>, which asks slurmctld itself.</remarks>
public sealed class SlurmBackendOptions
{
    public const string SectionName = "Toolgrid:Slurm";

    /// <summary><c>SLURM_CONF</c>: the cluster's <c>slurm.conf</c> on this host, which names slurmctld and the munge socket.</summary>
    public string ConfigFile { get; set; } = "/etc/slurm/slurm.conf";

    /// <summary>Where the client programs are (<c>sbatch</c>, <c>squeue</c>, <c>scontrol</c>…).</summary>
    public string BinDirectory { get; set; } = "/usr/bin";

    /// <summary>
    /// The partition of Toolgrid's <c>default</c> queue (Slurm cannot have a partition named
    /// <c>default</c>); every other queue is the partition of its own name. Null for the partition
    /// slurm.conf marks <c>Default=YES</c>.
    /// </summary>
    public string? DefaultPartition { get; set; }

    /// <summary>A root-only directory on the login host for the backend's record of each submitted run; null for <c>STATE-DIR/slurm</c>.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Time between two reads of the cluster (one squeue); a growth of the jobcomp file (when this host can read it) with the end of one of Toolgrid's jobs in it brings a read at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run's job may be missing from squeue before the run is taken for lost.</summary>
    public TimeSpan MissingWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a client program may take before it is killed and the call fails (Slurm's clients retry an unreachable slurmctld for ~9 s first).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The cluster these options name, with the jobcomp file its <c>slurm.conf</c> names (<see cref="SlurmConf.JobCompFile(string)"/>), watched for ends.</summary>
    public SlurmCluster ToCluster() => new(ConfigFile, BinDirectory, TimeZoneInfo.Local, SlurmConf.JobCompFileOf(ConfigFile));
}
