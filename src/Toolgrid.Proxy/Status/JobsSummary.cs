namespace Toolgrid.Proxy.Status;

/// <summary>A tool's jobs at a glance (its web service aside): what runs now, and how each scheduled job's last run went.</summary>
/// <param name="Total">Its live jobs.</param>
/// <param name="Running">Those with a run running now.</param>
/// <param name="Problems">What is wrong, one per failing job, e.g. "bot: crash-looping", "nightly: its last run failed".</param>
/// <remarks>
/// A continuous job fails while it is not running (crash-looping, or stopped for good after a
/// failure) or a run of it fails its health check; a scheduled job fails while its last run
/// failed or was lost. A one-off job never does: it ran (or runs) once, and how it ended is its
/// own news (<c>toolgrid jobs show</c>), not the tool's health.
/// </remarks>
public sealed record JobsSummary(int Total, int Running, IReadOnlyList<string> Problems)
{
    public static readonly JobsSummary None = new(0, 0, []);

    public int Failing => Problems.Count;

    public bool IsUp => Problems.Count == 0;

    public string Describe() => Total == 0
        ? "none"
        : $"{Total} {(Total == 1 ? "job" : "jobs")}: {Running} running" + string.Concat(Problems.Select(p => "; " + p));
}
