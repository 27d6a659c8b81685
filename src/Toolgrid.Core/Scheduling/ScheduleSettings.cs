using System.Globalization;

namespace Toolgrid.Core.Scheduling;

/// <summary>The site's knobs for <see cref="ScheduleRules.Decide"/>.</summary>
/// <param name="Lateness">
/// How late a due time may be dealt with and still count as on time (default 60 s). A due time
/// dealt with later than this fell due while the controller was down, and counts as missed.
/// </param>
/// <param name="CatchUpWindow">Catch-up once: how late a missed due time may still be run (default 1 h).</param>
/// <param name="MaxRecordedMisses">
/// At most how many missed due times are recorded one by one (default 10), so that a long
/// outage does not flood a job's history; the oldest recorded one says how many more there were.
/// </param>
public sealed record ScheduleSettings(TimeSpan Lateness, TimeSpan CatchUpWindow, int MaxRecordedMisses)
{
    /// <summary>The defaults: 60 s lateness, a 1 h catch-up window, 10 recorded misses.</summary>
    public ScheduleSettings()
        : this(TimeSpan.FromSeconds(60), TimeSpan.FromHours(1), 10)
    {
    }

    /// <summary>The defaults: 60 s lateness, a 1 h catch-up window, 10 recorded misses, a 30 s lead time.</summary>
    public static ScheduleSettings Default { get; } = new();

    /// <summary>
    /// How long before its due time a scheduled run is queued, placed and set up, its command held
    /// until the due time (default 30 s), so that many runs due at once all start on time; zero
    /// queues each run at its due time.
    /// </summary>
    public TimeSpan LeadTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every reason the settings cannot be used, all at once; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Lateness < TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the lateness ({Lateness}) must not be negative."));
        }

        if (CatchUpWindow < TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the catch-up window ({CatchUpWindow}) must not be negative."));
        }

        if (LeadTime < TimeSpan.Zero || LeadTime > TimeSpan.FromMinutes(10))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the lead time ({LeadTime}) must be between 0 and 10 minutes."));
        }

        if (MaxRecordedMisses < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the number of recorded misses ({MaxRecordedMisses}) must be at least 1."));
        }

        return problems;
    }
}
