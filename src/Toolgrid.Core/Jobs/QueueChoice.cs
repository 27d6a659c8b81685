using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Jobs;

/// <summary>The queue a run is launched in: its own, or <c>default</c> when its own has no usable node.</summary>
/// <param name="Queue">The queue to launch it in.</param>
/// <param name="FellBack">Whether that is <c>default</c> in place of the run's own queue.</param>
public sealed record QueueChoice(string Queue, bool FellBack)
{
    /// <summary>
    /// Where a run that asks for <paramref name="asked"/> is launched: there when some node that
    /// serves it takes work (as the backend's node list says: not down, disabled or drained),
    /// otherwise in <c>default</c>. Only new runs are placed: nothing running is moved. A backend
    /// that reports no node at all tells nothing to fall back on, and the run keeps its queue.
    /// </summary>
    public static QueueChoice For(string asked, IReadOnlyList<NodeCapacity> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return asked == Queues.Default || nodes.Count == 0 || nodes.Any(n => n.Up && n.Queues.Contains(asked))
            ? new QueueChoice(asked, false)
            : new QueueChoice(Queues.Default, true);
    }

    /// <summary>What a job's view says of a run launched in <paramref name="launched"/> while its job asks for <paramref name="asked"/>; null when they are the same.</summary>
    public static string? Note(string asked, string? launched) =>
        launched is null || launched == asked ? null : $"running in {launched}: no usable node in {asked}";
}
