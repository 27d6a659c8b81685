using System.Collections.Concurrent;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Controller;

/// <summary>
/// Starts that could not happen yet (<see cref="Core.Backends.StartDeferredException"/>): the runs
/// stay starting, and each is tried again when its delay (<see cref="StartRetry"/>) is over. They
/// are also what <c>toolgrid status</c> warns of while they last.
/// </summary>
/// <remarks>
/// Kept in memory only: the runs are starting in the store, with why in their message, and a new
/// controller resumes every start the backend does not know at its first reconcile, which defers
/// them again if the cause is still there.
/// </remarks>
public sealed class DeferredStarts : IWarningSource
{
    private readonly ConcurrentDictionary<long, (int Tries, DateTimeOffset Next, string Why)> _runs = new();

    /// <summary>The runs waiting for their next try.</summary>
    public IReadOnlySet<long> RunIds => _runs.Keys.ToHashSet();

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings =>
    [
        .. _runs.Values
            .GroupBy(r => r.Why, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} run(s) cannot start yet: {g.Key}; they are tried again until they can"),
    ];

    /// <summary>Records one more try of <paramref name="runId"/> that could not start it; returns when it is tried next.</summary>
    public DateTimeOffset Defer(long runId, string why, DateTimeOffset now) =>
        _runs.AddOrUpdate(
            runId,
            _ => (1, now + StartRetry.Delay(1), why),
            (_, known) => (known.Tries + 1, now + StartRetry.Delay(known.Tries + 1), why)).Next;

    /// <summary>The runs whose next try is due.</summary>
    public IReadOnlyList<long> Due(DateTimeOffset now) => [.. _runs.Where(r => r.Value.Next <= now).Select(r => r.Key)];

    /// <summary>When the first of the waiting runs is tried next; null when none waits.</summary>
    public DateTimeOffset? NextTry => _runs.IsEmpty ? null : _runs.Values.Min(r => r.Next);

    /// <summary>The run started, ended or is no longer wanted: it waits no more. Returns whether it waited.</summary>
    public bool Remove(long runId) => _runs.TryRemove(runId, out _);
}
