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

    /// <summary>Throws 403 when a tool tries to create tools: tools are created by people.</summary>
    public static void DemandPerson(Caller caller, string what)
    {
        if (caller.IsTool && !caller.IsAdmin)
        {
            throw ToolgridException.Forbidden(
                "person-required",
                $"{what} must be done by a person, not by tool '{caller.Tool}'. Run it as yourself, not after 'become'.");
        }
    }
}
