namespace Toolgrid.Bench.Scenarios;

/// <summary>CPU seconds over a scenario: the whole machine's busy time and who used it.</summary>
/// <param name="WallSeconds">How long the scenario took.</param>
/// <param name="Cores">The machine's cores.</param>
/// <param name="MachineBusySeconds">Busy core-seconds of the whole machine (/proc/stat).</param>
/// <param name="ServerSeconds">toolgridd itself, with the launchers it reaped (/proc/PID/stat).</param>
/// <param name="PlatformSeconds">toolgridd, launchers, shepherds and the runs' commands (cpuacct), or null.</param>
/// <param name="BenchSeconds">The benchmark's own process (the client).</param>
internal sealed record CpuShares(double WallSeconds, int Cores, double MachineBusySeconds, double ServerSeconds, double? PlatformSeconds, double BenchSeconds)
{
    public double MachineBusy => MachineBusySeconds / (WallSeconds * Cores);

    /// <summary>What the rest of the machine (other tenants, the kernel's own threads) used.</summary>
    public double OthersSeconds => MachineBusySeconds - (PlatformSeconds ?? ServerSeconds) - BenchSeconds;
}
