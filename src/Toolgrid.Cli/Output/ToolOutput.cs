using System.Globalization;
using Spectre.Console;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Output;

/// <summary>Tools, their maintainers and limits (<c>tools list</c>, <c>tools show</c>, <c>tools limits</c>).</summary>
internal static class ToolOutput
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<ToolView> tools, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.Count == 0)
        {
            console.WriteLine("No tools yet. Create one with: toolgrid tools create NAME");
            return;
        }

        var table = Tables.New("NAME", "STATUS", new Header("MAINTAINERS", Wraps: true), "JOBS", "CREATED", new Header("DESCRIPTION", Wraps: true));
        foreach (var tool in tools)
        {
            Tables.AddRow(
                table,
                tool.Name,
                Status(tool, times),
                string.Join(", ", tool.Maintainers.Select(m => m.User)),
                tool.Jobs.ToString(CultureInfo.InvariantCulture),
                times.Relative(tool.CreatedAt),
                tool.Description);
        }

        console.Write(table);
    }

    public static void WriteDetail(IAnsiConsole console, ToolView tool, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(tool);
        var properties = Tables.Properties();
        Tables.AddProperty(properties, "Tool", tool.Name);
        Tables.AddProperty(properties, "Description", tool.Description);
        Tables.AddProperty(properties, "Mail", tool.Email ?? "(maintainers only)");
        Tables.AddProperty(properties, "Status", Status(tool, times));
        Tables.AddProperty(properties, "Unix user", FormattableString.Invariant($"{tool.UnixUser} (uid {tool.Uid})"));
        Tables.AddProperty(properties, "Home", tool.Home);
        Tables.AddProperty(properties, "Maintainers", string.Join(", ", tool.Maintainers.Select(m => m.User)));
        Tables.AddProperty(properties, "Jobs", FormattableString.Invariant($"{tool.Jobs} of at most {tool.Limits.MaxJobs}"));
        Tables.AddProperty(properties, "Limits", Limits(tool.Limits));
        Tables.AddProperty(properties, "Created", $"{times.Both(tool.CreatedAt)} by {tool.CreatedBy}");
        console.Write(properties);
    }

    /// <summary>"jobs get 512Mi and 0.5 CPU unless they ask; at most 4Gi and 1 CPU per job".</summary>
    public static string Limits(LimitsView limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return $"jobs get {limits.DefaultMemory} and {limits.DefaultCpu} CPU unless they ask; at most {limits.MaxMemory} and {limits.MaxCpu} CPU per job, "
            + FormattableString.Invariant($"{limits.MaxJobs} jobs");
    }

    private static string Status(ToolView tool, TimeText times) =>
        tool.Disabled
            ? "deleted" + (tool.DisabledAt is { } at ? " " + times.Relative(at) : "") + " (files kept)"
            : "active";
}
