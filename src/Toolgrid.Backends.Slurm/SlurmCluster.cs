namespace Toolgrid.Backends.Slurm;

/// <summary>Where a Slurm cluster's configuration is and how its clients are called.</summary>
/// <param name="ConfigFile"><c>SLURM_CONF</c>: the cluster's <c>slurm.conf</c>, which names slurmctld and the munge socket.</param>
/// <param name="BinDirectory">Where the client programs are (<c>sbatch</c>, <c>squeue</c>…): on Debian <c>/usr/bin</c>.</param>
/// <param name="ControllerTimeZone">The time zone of slurmctld's host, in which the jobcomp file writes its times.</param>
/// <param name="JobCompFile">The <c>jobcomp/filetxt</c> file (<c>JobCompLoc</c>) when the login host can read it; null otherwise.</param>
public sealed record SlurmCluster(string ConfigFile, string BinDirectory, TimeZoneInfo ControllerTimeZone, string? JobCompFile)
{
    /// <summary>The variables every client needs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables => [new("SLURM_CONF", ConfigFile)];

    /// <summary>The path of a client program.</summary>
    public string Program(string name) => Path.Combine(BinDirectory, name);
}
