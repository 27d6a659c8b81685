namespace Toolgrid.Core.Supervision;

/// <summary>How a run's <c>$PORT</c> is taken from a range of ports.</summary>
internal static class PortRange
{
    /// <summary>
    /// A port of <paramref name="first"/>..<paramref name="last"/> that <paramref name="isFree"/>
    /// says is free, looked for from a point derived from the run's id, so that a run that
    /// crashed because something else held its port gets another next time; null when none is.
    /// </summary>
    public static int? Free(int first, int last, long runId, Func<int, bool> isFree)
    {
        var size = last - first + 1;
        if (size <= 0)
        {
            return null;
        }

        var start = (int)((runId * 7919) % size);
        for (var i = 0; i < size; i++)
        {
            var port = first + ((start + i) % size);
            if (isFree(port))
            {
                return port;
            }
        }

        return null;
    }
}
