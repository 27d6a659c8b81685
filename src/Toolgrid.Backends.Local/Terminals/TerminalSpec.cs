using System.Globalization;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Terminals;

/// <summary>
/// The spec keys of an interactive run (<see cref="ShepherdSpec"/>): <c>interactive</c>
/// (<c>pty</c> or <c>pipes</c>) and, with a pseudo-terminal, its window size <c>tty_rows</c>
/// and <c>tty_cols</c>. Written only for an interactive run, so an older spec reads as "not interactive".
/// </summary>
internal static class TerminalSpec
{
    /// <summary>An error in words when the launch's terminal cannot be given; null when it can.</summary>
    public static string? Validate(RunLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.Terminal is { } size && launch.Interactive && (size.Rows is < 1 or > ushort.MaxValue || size.Columns is < 1 or > ushort.MaxValue))
        {
            return $"the terminal's size {size.Rows}x{size.Columns} is invalid (rows and columns are 1 to {ushort.MaxValue})";
        }

        return null;
    }

    /// <summary>The spec pairs of the launch (none when it is not interactive).</summary>
    public static IEnumerable<(string Key, string Value)> Pairs(RunLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (!launch.Interactive)
        {
            yield break;
        }

        if (launch.Terminal is not { } size)
        {
            yield return ("interactive", "pipes");
            yield break;
        }

        yield return ("interactive", "pty");
        yield return ("tty_rows", size.Rows.ToString(CultureInfo.InvariantCulture));
        yield return ("tty_cols", size.Columns.ToString(CultureInfo.InvariantCulture));
    }
}
