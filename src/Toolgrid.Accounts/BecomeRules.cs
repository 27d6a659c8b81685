using System.Text;
using System.Text.RegularExpressions;

namespace Toolgrid.Accounts;

/// <summary>The text of the sudoers drop-in that lets maintainers <c>toolgrid become</c> their tools, and back.</summary>
/// <remarks>
/// <para>
/// One line per active tool, naming its users: <c>alice, bob, tools.x ALL=(tools.x) NOPASSWD: ALL</c>.
/// Not <c>%tools.x ALL=(tools.x) …</c>: sudo takes a person's groups from the process that
/// asks, so a maintainer removed while logged in would keep the rule until they logged out.
/// Naming the users makes a removal count at once, for sessions already open too; the price
/// is that the file is rewritten whenever a tool's maintainers change.
/// </para>
/// <para>
/// No single rule can say "the members of a tool's group, as that tool" in sudoers, so a
/// tool without a line cannot be become by anyone (but root).
/// </para>
/// <para>
/// Every name written is a valid user name (<see cref="Core.Identity.UserName.Pattern"/>):
/// none holds a character sudoers would read as syntax.
/// </para>
/// </remarks>
internal static partial class BecomeRules
{
    /// <summary>The drop-in for these rules, in a stable order, so that the same rules give the same text.</summary>
    public static string Render(IEnumerable<BecomeRule> rules)
    {
        var text = new StringBuilder();
        text.Append("# Written by toolgridd (Toolgrid:Accounts:SudoersFile): who may 'toolgrid become' which tool.\n");
        text.Append("# Replaced whole whenever a tool or its maintainers change, so edits here are lost.\n");
        text.Append("# One line per active tool: its maintainers and the tool itself may run anything as the tool's user.\n");
        foreach (var rule in rules.OrderBy(r => r.Tool, StringComparer.Ordinal))
        {
            text.Append("\n# tool ").Append(rule.Tool).Append('\n');
            text.Append(string.Join(", ", rule.Users)).Append(" ALL=(").Append(rule.UnixUser).Append(") NOPASSWD: ALL\n");
        }

        return text.ToString();
    }

    /// <summary>The tools' users that have a line in <paramref name="text"/> (as <see cref="Render"/> writes them).</summary>
    public static IReadOnlyList<string> UnixUsersIn(string text) =>
        text.Split('\n').Select(line => RuleLine().Match(line)).Where(m => m.Success).Select(m => m.Groups["runas"].Value).ToList();

    [GeneratedRegex(@"^\S.* ALL=\((?<runas>[a-z_][a-z0-9_.-]*)\) NOPASSWD: ALL$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleLine();
}
