namespace Toolgrid.Controller;

/// <summary>How the controller paces itself (section <c>Toolgrid:Controller</c>).</summary>
public sealed class ControllerOptions
{
    public const string Section = "Toolgrid:Controller";

    /// <summary>How often the supervisor checks whether anything changed or fell due, when nothing woke it (a pass is made only then).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest the supervisor goes without a pass when nothing changed and nothing fell due.</summary>
    /// <remarks>
    /// A safety net: what a pass decides from is in the store (any commit brings a pass at the
    /// next tick) or is a time the last pass worked out (<see cref="Core.Supervision.NextLook"/>),
    /// so a pass at this interval finds something to do only where either missed it. Each reads
    /// every continuous job with its latest run; at 30 s that was a third of an idle
    /// controller's work with 500 of them.
    /// </remarks>
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the store is compared with what the backend knows.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most <see cref="MaxParallelStarts"/> may be.</summary>
    public const int MaxParallelStartsLimit = 1024;

    /// <summary>How many starts may be under way at once: on a grid, how many <c>qsub</c>/<c>sbatch</c> run side by side.</summary>
    public int MaxParallelStarts { get; set; } = 32;

    /// <summary>Variables every run gets (the server adds how to reach the API).</summary>
    public Dictionary<string, string> RunEnvironment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many ended runs of each job are always kept (its newest); at least 1, so a job's last outcome is never lost.</summary>
    public int RunHistory { get; set; } = 100;

    /// <summary>Every ended run that ended within this many days is kept too, however many there are; 0 keeps by <see cref="RunHistory"/> alone.</summary>
    public int RunHistoryDays { get; set; } = 7;

    /// <summary>The site's time zone, for schedules that name none.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>A due time handled later than this counts as missed (the controller was down).</summary>
    public TimeSpan ScheduleLateness { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long before its due time a scheduled run is queued and set up, its command held until then (0: at the due time).</summary>
    public TimeSpan ScheduleLeadTime { get; set; } = Core.Scheduling.ScheduleSettings.Default.LeadTime;

    /// <summary>A missed due time this recent is still run once, late (catch-up once).</summary>
    public TimeSpan CatchUpWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The ceiling on processes and threads in one run.</summary>
    public int MaxProcesses { get; set; } = 512;
}
