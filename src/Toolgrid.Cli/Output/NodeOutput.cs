using System.Globalization;
using Spectre.Console;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Output;

/// <summary>The nodes (<c>nodes list</c>), and under each drained one who drained it, why, and what it still waits on.</summary>
internal static class NodeOutput
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<NodeEntryView> nodes, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(times);
        if (nodes.Count == 0)
        {
            console.WriteLine("No nodes yet: the controller records them from the backend when it starts.");
            return;
        }

        var table = Tables.New("NODE", "STATE", new Header("QUEUES", Wraps: true), "SLOTS", "MEMORY", "CPU", "LOAD", "RUNS");
        foreach (var node in nodes)
        {
            Tables.AddRow(
                table,
                new Text(node.Name),
                new Text(node.State, StateStyle(node.State)),
                new Text(string.Join(", ", node.Queues)),
                new Text(node.Slots.ToString(CultureInfo.InvariantCulture)),
                new Text(node.Memory),
                new Text(node.Cpu),
                new Text(node.Load is { } load ? load.ToString("0.00", CultureInfo.InvariantCulture) : "-"),
                new Text(node.Runs.ToString(CultureInfo.InvariantCulture)));
        }

        console.Write(table);
        foreach (var node in nodes.Where(n => n.Drain is not null))
        {
            WriteDrain(console, node.Name, node.Drain!, times);
        }
    }

    /// <summary>One drained node: who, when, why, whether the backend has it yet, and each run still on it.</summary>
    public static void WriteDrain(IAnsiConsole console, string name, NodeDrainView drain, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(drain);
        ArgumentNullException.ThrowIfNull(times);
        var applied = drain.Applied ? "" : " (the backend does not have the drain yet)";
        console.Write(new Text($"{name}: drained by {drain.By} {times.Relative(drain.At)}: {drain.Reason}{applied}", new Style(Color.Yellow)));
        console.WriteLine();
        foreach (var wait in drain.WaitsOn)
        {
            console.Write(new Text(string.Create(CultureInfo.InvariantCulture, $"  waits on run {wait.RunId} of {wait.Tool}/{wait.Job}: {wait.Why}")));
            console.WriteLine();
        }
    }

    private static Style StateStyle(string state) => state switch
    {
        "up" => new Style(Color.Green),
        "down" => new Style(Color.Red),
        _ => new Style(Color.Yellow),
    };
}
