using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scenarios;

/// <summary>The sustained-throughput run: how fast the API took the jobs, how fast they started and finished, and what was busy meanwhile.</summary>
/// <param name="Jobs">Jobs submitted.</param>
/// <param name="Submitters">Concurrent submitters.</param>
/// <param name="Succeeded">Runs that ended succeeded (the others are a failure of the benchmark).</param>
/// <param name="SubmitSeconds">First POST sent to last 201 read.</param>
/// <param name="StartSeconds">First POST sent to the last run's startedAt.</param>
/// <param name="FinishSeconds">First POST sent to the last run's finishedAt.</param>
/// <param name="SteadyFinishPerSecond">Finishes per second between the 10th and the 90th percentile of finishedAt (ramp-up and tail left out).</param>
/// <param name="QueueMs">Per run, submittedAt → startedAt: how long runs waited for their start.</param>
/// <param name="LaunchMs">Per run, the backend's StartAsync launch (spawn of the launcher to its exit), from the log.</param>
/// <param name="MaxLaunchesInFlight">The most launches under way at once (from the log's launch intervals).</param>
/// <param name="Passes">The controller's passes that launched runs, found in the log (launches overlap within a pass, never across).</param>
/// <param name="Cpu">Where the machine's CPU time went over the run.</param>
/// <param name="ServerThreadsMax">The most threads toolgridd had (sampled every 250 ms).</param>
/// <param name="FinishesPerSecond">Finishes in each second from the first submit.</param>
internal sealed record ThroughputResult(
    int Jobs,
    int Submitters,
    int Succeeded,
    double SubmitSeconds,
    double StartSeconds,
    double FinishSeconds,
    double SteadyFinishPerSecond,
    Distribution QueueMs,
    Distribution LaunchMs,
    int MaxLaunchesInFlight,
    PassStats Passes,
    CpuShares Cpu,
    int ServerThreadsMax,
    IReadOnlyList<int> FinishesPerSecond)
{
    public double SubmitPerSecond => Jobs / SubmitSeconds;

    public double StartPerSecond => Jobs / StartSeconds;

    public double FinishPerSecond => Jobs / FinishSeconds;
}
