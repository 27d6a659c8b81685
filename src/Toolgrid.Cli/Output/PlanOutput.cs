using Spectre.Console;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Output;

/// <summary>What applying a list of jobs did or would do (<c>jobs load</c>, <c>crontab import</c>): a table of steps, and a line that sums it up.</summary>
internal static class PlanOutput
{
    public static void Write(IAnsiConsole console, IReadOnlyList<JobPlanStep> plan)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Count == 0)
        {
            return;
        }

        var table = Tables.New("JOB", "ACTION", new Header("CHANGES", Wraps: true));
        foreach (var step in plan)
        {
            Tables.AddRow(
                table,
                new Text(step.Job),
                new Text(step.Action, ActionStyle(step.Action)),
                new Text(step.Changes.Count == 0 ? "" : string.Join("; ", step.Changes)));
        }

        console.Write(table);
    }

    /// <summary>"tool mytool: 1 added, 2 replaced, 1 deleted, 3 unchanged." or, for a dry run, "dry run, nothing changed: tool mytool would have 1 added, …".</summary>
    public static string Summary(string tool, IReadOnlyList<JobPlanStep> plan, bool applied)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var counts = new[] { ("add", "added"), ("replace", "replaced"), ("delete", "deleted"), ("unchanged", "unchanged") }
            .Select(a => (Count: plan.Count(s => s.Action == a.Item1), Word: a.Item2))
            .Where(c => c.Count > 0)
            .Select(c => FormattableString.Invariant($"{c.Count} {c.Word}"))
            .ToList();
        var what = counts.Count == 0 ? "no jobs" : string.Join(", ", counts);
        return applied
            ? $"tool {tool}: {what}."
            : $"dry run, nothing was changed: tool {tool} would have {what}.";
    }

    private static Style ActionStyle(string action) => action switch
    {
        "add" => new Style(Color.Green),
        "replace" => new Style(Color.Yellow),
        "delete" => new Style(Color.Red),
        _ => Style.Plain,
    };
}
