using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Tools;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli;

/// <summary>Which tool a command acts for, when the user did not say.</summary>
internal static class ToolChoice
{
    /// <summary>The tool the caller is (after <c>become</c>, or inside a run); otherwise a clear error naming the tools the caller maintains.</summary>
    public static string From(WhoAmIView me)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (me.Tool is { } tool)
        {
            return tool;
        }

        throw new CommandFailedException(
            ExitCodes.Usage,
            me.Maintains.Count == 0
                ? $"which tool? {me.User} maintains no tool: create one with 'toolgrid tools create NAME', or pass --tool NAME."
                : $"which tool? you maintain: {string.Join(", ", me.Maintains)} — pass --tool NAME (or set TOOLGRID_TOOL).");
    }

    /// <summary>Checks a tool name the user gave (flag, variable or argument).</summary>
    public static void Check(string? tool, Problems problems, string field)
    {
        if (tool is not null)
        {
            ToolName.Validate(tool, unixUserPrefix: null, problems, field);
        }
    }
}
