using System.Globalization;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Supervision;

/// <summary>When the engine's drain or resume of a node that failed (<c>qmod -d</c>, <c>scontrol update</c>) is asked again.</summary>
/// <remarks>
/// 2 s after the first failure, then twice as long each time up to <see cref="Cap"/>, as for a start
/// that could not happen yet (<see cref="StartRetry"/>); the cap is that of the crash-loop backoff,
/// since an engine that refuses a drain rarely accepts it a minute later. A success starts again
/// from nothing.
/// </remarks>
public static class EngineDrainRetry
{
    public static readonly TimeSpan First = StartRetry.First;

    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(5);

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row.</summary>
    public static TimeSpan Delay(int failures) => Doubling.Delay(First, Cap, failures);

    /// <summary>What <c>toolgrid status</c> warns of while the step keeps failing.</summary>
    public static string Warning(string node, bool drain, int failures, string why, DateTimeOffset next) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"the engine's {(drain ? "drain" : "resume")} of node {node} failed {failures} time(s) in a row ({why}); trying again at {next.UtcDateTime:HH:mm:ss} UTC");
}
