using Spectre.Console;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Output;

/// <summary>A tool's maintainers (<c>maintainers list|add|remove</c>).</summary>
internal static class MaintainerOutput
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<MaintainerView> maintainers, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(maintainers);
        var table = Tables.New("USER", "ADDED", "BY");
        foreach (var maintainer in maintainers)
        {
            Tables.AddRow(table, maintainer.User, times.Both(maintainer.AddedAt), maintainer.AddedBy);
        }

        console.Write(table);
    }
}
