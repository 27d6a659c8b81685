using System.Collections.Concurrent;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Controller;

/// <summary>
/// The engine's drains and resumes of nodes that failed (<c>qmod -d</c> refused, <c>scontrol</c>
/// not answering): each is asked again only once its delay (<see cref="EngineDrainRetry"/>) is
/// over, not at every pass, and <c>toolgrid status</c> warns meanwhile.
/// </summary>
/// <remarks>
/// Kept in memory only: a new controller asks at its first pass, and backs off from there if the
/// engine still refuses. A failure is forgotten once its step is no longer planned (it succeeded,
/// the drain was lifted, the node is gone).
/// </remarks>
public sealed class EngineDrainRetries : IWarningSource
{
    private readonly ConcurrentDictionary<string, Failing> _nodes = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings =>
    [
        .. _nodes.OrderBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => EngineDrainRetry.Warning(n.Key, n.Value.Drain, n.Value.Failures, n.Value.Why, n.Value.Next)),
    ];

    /// <summary>When the first of the steps waiting out their delay is due; null when none waits.</summary>
    public DateTimeOffset? NextTry => _nodes.Values.Select(f => (DateTimeOffset?)f.Next).Min();

    /// <summary>Whether a drain (or resume) of <paramref name="node"/> failed the last time it was asked, and waits for its next try.</summary>
    public bool IsFailing(string node, bool drain) => _nodes.TryGetValue(node, out var failing) && failing.Drain == drain;

    /// <summary>
    /// <paramref name="plan"/> without the drains and resumes that wait out their delay; the
    /// failures of steps the plan no longer has are forgotten.
    /// </summary>
    public IReadOnlyList<SupervisorAction> Due(IReadOnlyList<SupervisorAction> plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var planned = plan.Select(Step).OfType<(string Node, bool Drain)>().ToHashSet();
        foreach (var (node, failing) in _nodes)
        {
            if (!planned.Contains((node, failing.Drain)))
            {
                _nodes.TryRemove(node, out _);
            }
        }

        return [.. plan.Where(a => Step(a) is not { } step || !_nodes.TryGetValue(step.Node, out var failing) || failing.Drain != step.Drain || failing.Next <= now)];
    }

    /// <summary>Records one more failure of the step in a row; returns how many there were and when it is tried next.</summary>
    public (int Failures, DateTimeOffset Next) Failed(string node, bool drain, string why, DateTimeOffset now)
    {
        var failing = _nodes.AddOrUpdate(
            node,
            _ => new Failing(drain, 1, now + EngineDrainRetry.Delay(1), why),
            (_, known) =>
            {
                var failures = known.Drain == drain ? known.Failures + 1 : 1;
                return new Failing(drain, failures, now + EngineDrainRetry.Delay(failures), why);
            });
        return (failing.Failures, failing.Next);
    }

    /// <summary>The step succeeded: the next failure starts a new count. Returns how many failures in a row came before.</summary>
    public int Succeeded(string node, bool drain) =>
        _nodes.TryRemove(node, out var failing) && failing.Drain == drain ? failing.Failures : 0;

    private static (string Node, bool Drain)? Step(SupervisorAction action) => action switch
    {
        DrainNode drain => (drain.Node, true),
        ResumeNode resume => (resume.Node, false),
        _ => null,
    };

    private sealed record Failing(bool Drain, int Failures, DateTimeOffset Next, string Why);
}
