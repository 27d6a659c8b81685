namespace Toolgrid.Controller;

/// <summary>
/// Which ended runs the store keeps: each job's newest <see cref="KeepRuns"/> ended runs, and
/// every run that ended less than <see cref="KeepFor"/> ago; the rest are deleted
/// (<see cref="StoreUpkeep.TrimHistoryAsync"/>). Runs that have not ended are never deleted, nor
/// is a job's last run (it is among its newest ended runs, or has not ended).
/// </summary>
/// <param name="KeepRuns">Ended runs kept per job, newest first; at least 1.</param>
/// <param name="KeepFor">Ended runs younger than this are kept too; zero keeps by count alone.</param>
/// <param name="BatchSize">Runs deleted per transaction, so that a large trim never holds the store for long.</param>
/// <param name="Pause">Between two batches: room for the API's and the controller's own writes.</param>
public sealed record RunHistoryRule(int KeepRuns, TimeSpan KeepFor, int BatchSize = RunHistoryRule.DefaultBatchSize, TimeSpan Pause = default)
{
    public const int MaxRuns = 100_000;

    public const int MaxDays = 3650;

    public const int DefaultBatchSize = 1000;

    /// <summary>How often the controller trims (and once when it becomes active).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Between two batches of a trim run by the controller.</summary>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(20);

    /// <summary>The rule <paramref name="options"/> set.</summary>
    public static RunHistoryRule Of(ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.RunHistory, TimeSpan.FromDays(options.RunHistoryDays), DefaultBatchSize, DefaultPause);
    }
}
