using System.Globalization;

namespace Toolgrid.Bench.Floor;

/// <summary>Reads a wall-clock time printed as nanoseconds since the epoch (<c>date +%s%N</c>).</summary>
internal static class UnixNanoseconds
{
    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.UnixEpoch.AddTicks(long.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture) / 100);
}
