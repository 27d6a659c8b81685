using System.Text.RegularExpressions;
using Toolgrid.Cli.Wrappers;

namespace Toolgrid.Cli.Crontab;

/// <summary>
/// Turns a grid-era crontab into jobs (<c>toolgrid crontab import</c>): each line that calls
/// <c>jsub</c>, <c>jstart</c>, <c>qcronsub</c>, <c>jlocal</c> or a plain command on a schedule becomes a
/// job; every other line is kept out with the reason.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Five fields, or a macro (<c>@hourly</c> … <c>@yearly</c>, which Toolgrid spreads over the
/// period); <c>@reboot</c> only for <c>jstart</c> (a continuous job), else it says to make one.</item>
/// <item><c>jsub</c> and <c>qcronsub</c> become scheduled jobs with the wrappers' flags; <c>-once</c>
/// (and <c>qcronsub</c>) forbids overlapping runs, as it refused a second copy; without it runs
/// may overlap, as they did. A <c>cd DIR &amp;&amp;</c> before it is where paths are read from.</item>
/// <item><c>jstart</c> (or <c>-continuous</c>) on a schedule was a crontab keeping a bot up: it
/// becomes a continuous job, started again whenever it ends.</item>
/// <item>A plain command (or <c>jlocal CMD</c>) becomes a scheduled job running it as written, in
/// the tool's home as cron did, with the crontab's variables; overlapping runs are allowed, as cron allowed them.</item>
/// <item>Variables: <c>PATH</c> and others are set for the plain commands after them;
/// <c>CRON_TZ</c> is the time zone of the schedules after it; <c>SHELL</c> other than /bin/sh runs
/// plain commands through it; <c>MAILTO</c> and <c>HOME</c> have no equal and are warned about.</item>
/// <item>An unescaped <c>%</c> (the rest of the line as standard input) cannot be converted;
/// <c>\%</c> is a literal <c>%</c>.</item>
/// </list>
/// </remarks>
internal static partial class CrontabConverter
{
    /// <summary>cron's PATH when the crontab sets none.</summary>
    public const string CronPath = "/usr/bin:/bin";

    /// <summary>The PATH every run gets (docs/user-guide.md): a program found there needs no path of its own.</summary>
    public static readonly string[] RunPath = ["/usr/local/bin", "/usr/bin", "/bin"];

    private static readonly Dictionary<string, string> Macros = new(StringComparer.Ordinal)
    {
        ["@hourly"] = "@hourly",
        ["@daily"] = "@daily",
        ["@midnight"] = "@daily",
        ["@weekly"] = "@weekly",
        ["@monthly"] = "@monthly",
        ["@yearly"] = "@yearly",
        ["@annually"] = "@yearly",
    };

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\z", RegexOptions.CultureInvariant)]
    internal static partial Regex Assignment();

    [GeneratedRegex(@"(?<=^|&&|;)(\s*)(\S*/)?jlocal(\s+|\z)", RegexOptions.CultureInvariant)]
    private static partial Regex Jlocal();

    public static CrontabConversion Convert(string crontab, CrontabContext context)
    {
        ArgumentNullException.ThrowIfNull(crontab);
        ArgumentNullException.ThrowIfNull(context);
        var state = new CrontabState(context);
        var lines = crontab.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i];
            var trimmed = text.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var number = i + 1;
            if (Assignment().Match(trimmed) is { Success: true } assignment)
            {
                state.Assign(number, assignment.Groups[1].Value, CrontabCommandText.Unquote(assignment.Groups[2].Value.Trim()));
                continue;
            }

            var reason = ConvertLine(number, text, trimmed, state);
            if (reason is not null)
            {
                state.Skipped.Add(new CrontabSkip(number, text, reason));
            }
        }

        return new CrontabConversion(state.Jobs, state.Skipped, state.Warnings);
    }

    /// <summary>Converts one line; returns why not when it cannot.</summary>
    private static string? ConvertLine(int number, string text, string trimmed, CrontabState state)
    {
        string schedule;
        string command;
        if (trimmed.StartsWith('@'))
        {
            var space = trimmed.IndexOfAny([' ', '\t']);
            var macro = (space < 0 ? trimmed : trimmed[..space]).ToLowerInvariant();
            command = space < 0 ? "" : trimmed[space..].Trim();
            if (macro == "@reboot")
            {
                schedule = macro;
            }
            else if (!Macros.TryGetValue(macro, out schedule!))
            {
                return $"'{macro}' is not a schedule cron knows: use five fields, or @hourly, @daily, @weekly, @monthly, @yearly.";
            }
        }
        else
        {
            var fields = trimmed.Split([' ', '\t'], 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6)
            {
                return "a crontab line is five schedule fields and a command (or NAME=value).";
            }

            schedule = string.Join(' ', fields.Take(5));
            command = fields[5].Trim();

            // What the five fields may say is the API's rule: it checks each job (CrontabCheck).
        }

        if (command.Length == 0)
        {
            return "there is no command after the schedule.";
        }

        if (CrontabCommandText.Percent(command, out var unescaped) is { } percent)
        {
            return percent;
        }

        var tokens = ShellLexer.Split(unescaped, out var lexError);
        if (tokens is null)
        {
            return "the command cannot be read: " + lexError;
        }

        var (directory, rest) = CrontabCommandText.LeadingCd(tokens, state);
        var first = rest.FirstOrDefault(t => t.Kind == ShellTokenKind.Word);
        var program = first is null || rest[0] != first ? null : Path.GetFileName(first.Value);
        var wrapper = program switch
        {
            "jsub" => WrapperProgram.Jsub,
            "jstart" => WrapperProgram.Jstart,
            "qcronsub" => WrapperProgram.Qcronsub,
            _ => (WrapperProgram?)null,
        };

        if (wrapper is { } kind)
        {
            return CrontabWrapperLine.Convert(number, text, schedule, kind, directory, rest, state);
        }

        if (program == "jlocal")
        {
            // jlocal ran the command on the cron host itself; here every job runs on a node.
            unescaped = Jlocal().Replace(unescaped, "$1", 1);
            if (unescaped.Trim().Length == 0)
            {
                return "jlocal is given no command.";
            }

            tokens = ShellLexer.Split(unescaped, out _) ?? tokens;
        }
        else if (tokens.Any(t => t.Kind == ShellTokenKind.Word && Path.GetFileName(t.Value) is "jsub" or "jstart" or "qcronsub"))
        {
            return "the line runs a wrapper among other commands (after &&, ;, | or a variable): put those commands in a script, and call jsub on it.";
        }

        if (schedule == "@reboot")
        {
            return $"@reboot: use a continuous job instead: toolgrid jobs run NAME --command {ShellQuoting.Quote(unescaped.Trim())} --continuous";
        }

        return CrontabPlainLine.Convert(number, text, schedule, unescaped.Trim(), tokens, state);
    }
}
