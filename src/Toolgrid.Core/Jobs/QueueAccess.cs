namespace Toolgrid.Core.Jobs;

/// <summary>Which queues a tool may use. Pure.</summary>
/// <remarks>
/// Every tool may use <c>default</c>; a dedicated queue only once an admin granted it to the tool.
/// A queue exists while some node serves it, so a grant of a queue no node serves any more gives nothing.
/// </remarks>
public static class QueueAccess
{
    /// <summary>Whether a tool granted <paramref name="granted"/> may use <paramref name="queue"/>.</summary>
    public static bool MayUse(string queue, IReadOnlyCollection<string> granted) =>
        queue == Queues.Default || granted.Contains(queue);

    /// <summary>The queues of <paramref name="existing"/> that a tool granted <paramref name="granted"/> may use, <c>default</c> first.</summary>
    public static IReadOnlyList<string> Usable(IReadOnlyCollection<string> existing, IReadOnlyCollection<string> granted) =>
        [Queues.Default, .. existing.Where(q => q != Queues.Default && granted.Contains(q)).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Why <paramref name="tool"/> may not submit to <paramref name="queue"/> (one that does not
    /// exist, or one not granted to it), with the queues it may use and how to ask; null when it may.
    /// </summary>
    public static string? Refusal(string tool, string queue, IReadOnlyCollection<string> existing, IReadOnlyCollection<string> granted)
    {
        var usable = string.Join(", ", Usable(existing, granted));
        if (!existing.Contains(queue))
        {
            return $"there is no queue named '{queue}' ('toolgrid queues list' shows them); tool '{tool}' may use: {usable}.";
        }

        if (!MayUse(queue, granted))
        {
            return $"tool '{tool}' may not use queue '{queue}'; it may use: {usable}. A maintainer of the tool can ask an admin for it: toolgrid queues request {queue} --tool {tool} --reason \"what the tool needs it for\".";
        }

        return null;
    }
}
