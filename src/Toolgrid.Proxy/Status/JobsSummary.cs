namespace Toolgrid.Proxy.Status;

/// <summary>A tool's jobs at a glance (its web service aside).</summary>
/// <param name="Total">Its live jobs.</param>
/// <param name="Running">Those with a run running now.</param>
/// <param name="Failing">Those whose latest run failed or was lost, and continuous ones that are not running.</param>
public sealed record JobsSummary(int Total, int Running, int Failing)
{
    public static readonly JobsSummary None = new(0, 0, 0);

    public bool IsUp => Failing == 0;

    public string Describe() => Total == 0
        ? "none"
        : $"{Total} {(Total == 1 ? "job" : "jobs")}: {Running} running" + (Failing > 0 ? $", {Failing} failing" : "");
}
