namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// Where toolgridd finds its Son of Grid Engine cell and how it uses it: section
/// <c>Toolgrid:GridEngine</c>, read when <c>Toolgrid:Backend</c> is <c>gridengine</c>.
/// </summary>
/// <remarks>Checked at start by <see cref="GridEngineBackendOptionsValidator"/>, which asks the qmaster itself.</remarks>
public sealed class GridEngineBackendOptions
{
    public const string SectionName = "Toolgrid:GridEngine";

    /// <summary><c>SGE_ROOT</c>.</summary>
    public string Root { get; set; } = "/var/lib/gridengine";

    /// <summary><c>SGE_CELL</c>: a directory under <see cref="Root"/> whose <c>common/</c> the login host shares with the nodes.</summary>
    public string Cell { get; set; } = "default";

    /// <summary><c>SGE_QMASTER_PORT</c>.</summary>
    public int QmasterPort { get; set; } = 6444;

    /// <summary><c>SGE_EXECD_PORT</c>.</summary>
    public int ExecdPort { get; set; } = 6445;

    /// <summary>Where the client programs are; Debian's <c>/usr/bin</c> wrappers cost 0.1-1 s a call, so the real ones are called.</summary>
    public string BinDirectory { get; set; } = "/usr/lib/gridengine";

    /// <summary>The cluster queue of Toolgrid's <c>default</c> queue; every other queue is the cluster queue of its own name.</summary>
    public string DefaultQueue { get; set; } = "default";

    /// <summary>The cell's accounting file; null for <c>ROOT/CELL/common/accounting</c>.</summary>
    public string? AccountingFile { get; set; }

    /// <summary>A root-only directory on the login host for the backend's record of each submitted run; null for <c>STATE-DIR/gridengine</c>.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Time between two reads of the engine (one qstat, the accounting file's new lines); a growth of the accounting file brings the next read sooner, but no sooner than half of this after the last.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a job may be gone from qstat with no accounting record before its run is taken for lost.</summary>
    public TimeSpan AccountingWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a run's node may stay unknown to the qmaster (its execd unheard for the cell's
    /// <c>max_unheard</c>, its queue instances in state <c>u</c>) before the run is recorded lost and
    /// its job deleted (<c>qdel -f</c>), so that the qmaster forgets it. Counted from this long after
    /// qstat answers again when it did not (a restarted qmaster hears from each execd only once that
    /// registers again). A job the qmaster itself removes from an unknown node first
    /// (<c>reschedule_unknown</c>) is recorded lost at once.
    /// </summary>
    public TimeSpan NodeLostAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether toolgridd also probes the execd of each node that runs its jobs (a TCP connect to
    /// <see cref="ExecdPort"/> beside every read, nothing sent), so that a node whose execd stopped
    /// answering counts as unknown at once rather than when the qmaster marks it so: the qmaster
    /// waits for <c>max_unheard</c> and then looks on a fixed 15 s timer. A run's job deleted for
    /// that is kept off the silent hosts when submitted again (<c>-soft -l hostname=!HOST</c>) until
    /// they answer. Off: only the qmaster's word counts.
    /// </summary>
    public bool ProbeExecds { get; set; } = true;

    /// <summary>How long a client program may take before it is killed and the call fails.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The qmaster host's time zone (qstat prints local times without one); null for this host's.</summary>
    public string? QmasterTimeZone { get; set; }

    /// <summary>The cell these options name.</summary>
    public SgeCell ToCell() => new(
        Root,
        Cell,
        QmasterPort,
        ExecdPort,
        BinDirectory,
        QmasterTimeZone is { } zone ? TimeZoneInfo.FindSystemTimeZoneById(zone) : TimeZoneInfo.Local,
        AccountingFile);
}
