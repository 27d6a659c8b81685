using System.Globalization;
using Toolgrid.Core.Errors;

namespace Toolgrid.Core.Identity;

/// <summary>How many tools one person may create. Pure.</summary>
/// <remarks>
/// Each tool is a Unix user, a home and a share of the nodes, and creating one needs nobody's
/// approval; the cap keeps one person (or whoever holds their login) from making thousands. It
/// counts the active tools a person created (deleting one frees its place), not the ones they
/// maintain. Admins are not capped; they raise a person's cap with <c>toolgrid users limits</c>.
/// </remarks>
public static class ToolCap
{
    /// <summary>The site's cap unless it sets <c>Toolgrid:Tools:MaxToolsPerPerson</c>.</summary>
    public const int DefaultMaxToolsPerPerson = 25;

    /// <summary>The highest cap an admin may set for a person.</summary>
    public const int Ceiling = 100_000;

    /// <summary>Throws 403 <c>tool-quota-exceeded</c> unless <paramref name="caller"/> may create one more tool.</summary>
    /// <param name="caller">The person creating a tool.</param>
    /// <param name="created">How many active tools they created.</param>
    /// <param name="cap">Their cap: an admin's for them, else the site's.</param>
    /// <param name="raised">Whether <paramref name="cap"/> is an admin's for them.</param>
    public static void Demand(Caller caller, int created, int cap, bool raised)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin || created < cap)
        {
            return;
        }

        var whose = raised ? "the limit an admin set for you" : "the site's limit per person";
        throw new ToolgridException(
            ErrorKind.QuotaExceeded,
            "tool-quota-exceeded",
            $"{caller.UserName} has created {Text(created)} active tools and may create {Text(cap)} ({whose}). Delete a tool you no longer need ('toolgrid tools delete NAME'), or ask an admin to raise your limit ('toolgrid users limits {caller.UserName} --max-tools N').");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
