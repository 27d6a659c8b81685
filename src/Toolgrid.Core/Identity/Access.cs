using Toolgrid.Core.Errors;
using Toolgrid.Core.Tools;

namespace Toolgrid.Core.Identity;

/// <summary>Who may do what. Pure rules; each refusal says why.</summary>
public static class Access
{
    /// <summary>Whether <paramref name="caller"/> may manage the tool's jobs, maintainers and files.</summary>
    /// <remarks>A tool's maintainers, the tool itself, and admins.</remarks>
    public static bool CanManage(Caller caller, Tool tool) =>
        caller.IsAdmin
        || string.Equals(caller.Tool, tool.Name, StringComparison.Ordinal)
        || tool.Maintainers.Any(m => string.Equals(m.UserName, caller.UserName, StringComparison.Ordinal));

    /// <summary>Throws 403 unless <paramref name="caller"/> may manage <paramref name="tool"/>.</summary>
    public static void DemandManage(Caller caller, Tool tool)
    {
        if (!CanManage(caller, tool))
        {
            var maintainers = string.Join(", ", tool.Maintainers.Select(m => m.UserName).Order(StringComparer.Ordinal));
            throw ToolgridException.Forbidden(
                "not-a-maintainer",
                $"{caller.UserName} is not a maintainer of tool '{tool.Name}'. Only its maintainers ({maintainers}), the tool itself and admins may do this; ask a maintainer to run 'toolgrid maintainers add {tool.Name} {caller.UserName}'.");
        }
    }

    /// <summary>
    /// Throws 403 unless <paramref name="caller"/> is a person who maintains <paramref name="tool"/>:
    /// neither the tool itself (whatever it runs could then ask for itself) nor an admin who does not
    /// maintain it (an admin decides; asking is for the tool's people).
    /// </summary>
    public static void DemandMaintainer(Caller caller, Tool tool, string what)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(tool);
        DemandPerson(caller, what);
        if (!tool.Maintainers.Any(m => string.Equals(m.UserName, caller.UserName, StringComparison.Ordinal)))
        {
            var maintainers = string.Join(", ", tool.Maintainers.Select(m => m.UserName).Order(StringComparer.Ordinal));
            throw ToolgridException.Forbidden(
                "not-a-maintainer",
                $"{what} is for the maintainers of tool '{tool.Name}' ({maintainers}); {caller.UserName} is not one.");
        }
    }

    /// <summary>Throws 403 unless <paramref name="caller"/> is an admin.</summary>
    public static void DemandAdmin(Caller caller, string what)
    {
        if (!caller.IsAdmin)
        {
            throw ToolgridException.Forbidden(
                "admin-required",
                $"{what} needs an admin; {caller.UserName} is not one. Admins are root and the members of the configured admin group.");
        }
    }

    /// <summary>
    /// Throws 403 when a tool acts as itself where only a person may: creating tools, changing
    /// who maintains a tool, deleting one.
    /// </summary>
    /// <remarks>
    /// A tool's own identity is within reach of whatever the tool runs (a web service, a bot, a
    /// leaked token of the tool). Were it allowed to add maintainers, one such leak would hand
    /// the tool, and <c>become</c>, to anyone; so who maintains a tool is for its people alone.
    /// </remarks>
    public static void DemandPerson(Caller caller, string what)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsTool && !caller.IsAdmin)
        {
            var how = caller.Via == CallerVia.Token ? "not with a token of the tool" : "not after 'toolgrid become' or from one of the tool's runs";
            throw ToolgridException.Forbidden(
                "person-required",
                $"{what} must be done by a person, not by tool '{caller.Tool}' itself. Run it as yourself, {how}.");
        }
    }

    /// <summary>Throws 403 unless the caller's scope includes <paramref name="needed"/>.</summary>
    /// <param name="caller">Who asks, with the scope of the token used (the socket has every scope).</param>
    /// <param name="needed">The scope the request needs.</param>
    /// <param name="what">What is asked, for the message.</param>
    public static void DemandScope(Caller caller, TokenScope needed, string what)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Scope < needed)
        {
            var token = caller.TokenId is { } id ? $"token {id.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "this token";
            throw ToolgridException.Forbidden(
                "token-scope",
                $"{what} needs a token with scope {TokenWire.Of(needed)}; {token} has scope {TokenWire.Of(caller.Scope)}. Make one with 'toolgrid tokens create --scope {TokenWire.Of(needed)}' on the login host.");
        }
    }
}
