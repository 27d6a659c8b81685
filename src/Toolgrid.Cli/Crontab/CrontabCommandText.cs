using System.Text;
using Toolgrid.Cli.Wrappers;

namespace Toolgrid.Cli.Crontab;

/// <summary>The text of a crontab line's command as cron read it: <c>%</c>, a leading <c>cd DIR &amp;&amp;</c>, quoted values.</summary>
internal static class CrontabCommandText
{
    /// <summary>cron's %: an unescaped one starts standard input (not convertible); \% is a literal %.</summary>
    public static string? Percent(string command, out string unescaped)
    {
        var text = new StringBuilder(command.Length);
        for (var i = 0; i < command.Length; i++)
        {
            if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] == '%')
            {
                text.Append('%');
                i++;
            }
            else if (command[i] == '%')
            {
                unescaped = command;
                return "an unescaped '%' makes cron send the rest of the line to the command's standard input, which a job does not have: write \\% for a literal %, or move the command into a script.";
            }
            else
            {
                text.Append(command[i]);
            }
        }

        unescaped = text.ToString();
        return null;
    }

    /// <summary>A leading <c>cd DIR &amp;&amp;</c> (or <c>;</c>): where the wrapper was called from, and the tokens after it.</summary>
    public static (string? Directory, IReadOnlyList<ShellToken> Tokens) LeadingCd(IReadOnlyList<ShellToken> tokens, CrontabState state)
    {
        if (tokens is [{ Kind: ShellTokenKind.Word, Value: "cd" }, { Kind: ShellTokenKind.Word } target, { Kind: ShellTokenKind.Operator, Value: "&&" or ";" }, ..]
            && state.Expand(target) is { } directory)
        {
            return (Path.GetFullPath(directory, state.Context.Home), tokens.Skip(3).ToList());
        }

        return (null, tokens);
    }

    public static string Unquote(string value) =>
        value.Length >= 2 && value[0] == value[^1] && value[0] is '"' or '\'' ? value[1..^1] : value;
}
