using System.Globalization;
using Spectre.Console;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Output;

/// <summary>Queues (<c>queues list</c>) and the requests for them (<c>queues requests</c>).</summary>
internal static class QueueOutput
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<QueueView> queues)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(queues);
        var table = Tables.New("QUEUE", "NODES", "SLOTS", "STATE", "TOOLS");
        foreach (var queue in queues)
        {
            Tables.AddRow(
                table,
                queue.Name,
                queue.Nodes.Count == 0 ? "none" : string.Join(", ", queue.Nodes),
                string.Create(CultureInfo.InvariantCulture, $"{queue.SlotsUsed}/{queue.SlotsTotal}"),
                queue.State,
                queue.EveryTool ? "every tool" : queue.Tools.Count == 0 ? "none yet" : string.Join(", ", queue.Tools));
        }

        console.Write(table);
    }

    public static void WriteRequests(IAnsiConsole console, IReadOnlyList<QueueRequestView> requests, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(times);
        if (requests.Count == 0)
        {
            console.WriteLine("No open requests for queues.");
            return;
        }

        var table = Tables.New("QUEUE", "TOOL", "ASKED BY", "ASKED", "REASON");
        foreach (var request in requests)
        {
            Tables.AddRow(table, request.Queue, request.Tool, request.RequestedBy, times.Relative(request.RequestedAt), request.Reason);
        }

        console.Write(table);
    }
}
