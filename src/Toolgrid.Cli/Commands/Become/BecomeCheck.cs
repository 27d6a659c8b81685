using System.Globalization;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Commands.Become;

/// <summary>Whether the caller may become a tool, as the API sees them: the refusals of <c>toolgrid become</c>, with what to do instead.</summary>
/// <remarks>
/// sudo decides in the end (the rules in the sudoers drop-in); this says no first, and says
/// why in words, where sudo would only say that a password is required.
/// </remarks>
internal static class BecomeCheck
{
    /// <summary>The mode <c>whoami</c> reports when every tool runs as the server's user.</summary>
    public const string SingleUserMode = "single-user";

    /// <summary>Refuses single-user mode, where there is nothing to become.</summary>
    public static void DemandToolsOfTheirOwn(WhoAmIView me)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (string.Equals(me.Mode, SingleUserMode, StringComparison.Ordinal))
        {
            throw new CommandFailedException(
                ExitCodes.Refused,
                "toolgridd runs in single-user mode, where every tool already runs as you; nothing to become (act for a tool with '--tool NAME' instead).");
        }
    }

    /// <summary>The Unix user to become: the tool's own, once the caller may; otherwise a refusal that says who can help.</summary>
    /// <param name="me">The caller, as the API sees them.</param>
    /// <param name="tool">The tool, as the API shows it.</param>
    /// <param name="callerIsRoot">Whether this process runs as root, which may become any tool (sudo's own rule for root).</param>
    public static string UnixUserToBecome(WhoAmIView me, ToolView tool, bool callerIsRoot)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(tool);
        DemandToolsOfTheirOwn(me);
        if (tool.Disabled)
        {
            var when = tool.DisabledAt is { } at ? string.Create(CultureInfo.InvariantCulture, $" on {at:yyyy-MM-dd}") : "";
            throw new CommandFailedException(
                ExitCodes.Refused,
                $"tool '{tool.Name}' was deleted{when}: nothing runs as it any more, so it cannot be become (its files are kept in {tool.Home}).");
        }

        if (callerIsRoot || string.Equals(me.Tool, tool.Name, StringComparison.Ordinal))
        {
            return tool.UnixUser;
        }

        if (me.Tool is { } other)
        {
            throw new CommandFailedException(
                ExitCodes.NoPermission,
                $"you are acting as tool '{other}', and a tool cannot become another tool: 'exit' back to your own login first, then 'toolgrid become {tool.Name}'.");
        }

        if (tool.Maintainers.Any(m => string.Equals(m.User, me.User, StringComparison.Ordinal)))
        {
            return tool.UnixUser;
        }

        var add = $"'toolgrid maintainers add {tool.Name} {me.User}'";
        var maintainers = tool.Maintainers.Select(m => m.User).Order(StringComparer.Ordinal).ToList();
        var who = maintainers.Count == 0
            ? "it has no maintainers: an admin can add you with " + add
            : $"its maintainers are {string.Join(", ", maintainers)}: {(maintainers.Count == 1 ? "they" : "any of them")} can add you with {add}";
        if (me.Admin && maintainers.Count > 0)
        {
            who += ", or, as an admin, you can add yourself";
        }

        throw new CommandFailedException(ExitCodes.NoPermission, $"you ({me.User}) are not a maintainer of '{tool.Name}', so you cannot become it; {who}.");
    }
}
