using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Toolgrid.Cli.Jobs;
using Toolgrid.Cli.Wrappers;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Scheduling;

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
    private static readonly string[] RunPath = ["/usr/local/bin", "/usr/bin", "/bin"];

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
    private static partial Regex Assignment();

    [GeneratedRegex(@"(?<=^|&&|;)(\s*)(\S*/)?jlocal(\s+|\z)", RegexOptions.CultureInvariant)]
    private static partial Regex Jlocal();

    public static CrontabConversion Convert(string crontab, CrontabContext context)
    {
        ArgumentNullException.ThrowIfNull(crontab);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
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
                state.Assign(number, assignment.Groups[1].Value, Unquote(assignment.Groups[2].Value.Trim()));
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
    private static string? ConvertLine(int number, string text, string trimmed, State state)
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
            if (!CronSchedule.TryParse(schedule, "tool", "job", null, "UTC", out _, out var error))
            {
                return error;
            }
        }

        if (command.Length == 0)
        {
            return "there is no command after the schedule.";
        }

        if (Percent(command, out var unescaped) is { } percent)
        {
            return percent;
        }

        var tokens = ShellLexer.Split(unescaped, out var lexError);
        if (tokens is null)
        {
            return "the command cannot be read: " + lexError;
        }

        var (directory, rest) = LeadingCd(tokens, state);
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
            return Wrapper(number, text, schedule, kind, directory, rest, state);
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

        return Plain(number, text, schedule, unescaped.Trim(), tokens, state);
    }

    private static string? Wrapper(int number, string text, string schedule, WrapperProgram kind, string? directory, IReadOnlyList<ShellToken> tokens, State state)
    {
        var words = new List<ShellToken>();
        var notes = new List<string>();
        for (var i = 1; i < tokens.Count; i++)
        {
            switch (tokens[i].Kind)
            {
                case ShellTokenKind.Operator:
                    return $"the line runs more than {Path.GetFileName(tokens[0].Value)} ('{tokens[i].Raw}'): put the commands in a script, and call {Path.GetFileName(tokens[0].Value)} on it.";
                case ShellTokenKind.Redirection:
                    // cron's shell pointed the wrapper's own messages somewhere; the job's output goes to its files.
                    notes.Add($"'{tokens[i].Raw}{(i + 1 < tokens.Count ? tokens[i + 1].Raw : "")}' dropped: it redirected {Path.GetFileName(tokens[0].Value)}'s own messages; the job's output goes to its files.");
                    i++;
                    break;
                default:
                    words.Add(tokens[i]);
                    break;
            }
        }

        var problems = new Problems();
        var options = SubmitFlags.Parse(kind, words, w => state.Expand(w), problems);
        var submitContext = new SubmitContext
        {
            CurrentDirectory = directory ?? state.Context.Home,
            Home = state.Context.Home,
            IsDirectory = state.Context.IsDirectory,
            FindProgram = name => state.FindProgram(name, directory ?? state.Context.Home),
            Variable = name => state.Variables.GetValueOrDefault(name),
        };
        var submission = SubmitMapping.ToRequest(options, submitContext, problems);
        if (problems.Count > 0)
        {
            return string.Join(" ", problems.Select(p => p.Field == "program" ? p.Message : $"{p.Field}: {p.Message}"));
        }

        notes.AddRange(submission.Notes);
        var request = submission.Request;
        if (request.Continuous == true)
        {
            // jstart from cron kept a bot up: on @reboot, as jstart restarts (until exit 0); on a
            // schedule, cron started it again whatever its exit, so: always.
            var atBoot = schedule == "@reboot";
            request = request with { Restart = atBoot ? "on-failure" : "always" };
            notes.Add(atBoot
                ? "@reboot jstart: a continuous job, kept up from now on, restarted until it exits 0."
                : $"the crontab kept it up ({schedule}): a continuous job does that, restarted whenever it ends.");
        }
        else if (schedule == "@reboot")
        {
            return $"@reboot: use a continuous job instead: jstart {string.Join(' ', words.Select(w => w.Raw))}, or toolgrid jobs run {request.Name} --command {ShellQuoting.Quote(request.Command ?? "")} --continuous";
        }
        else
        {
            request = request with
            {
                Schedule = schedule,
                Timezone = state.TimeZone,
                Concurrency = options.Once ? null : "allow",
            };
        }

        return state.Add(number, text, request, notes);
    }

    private static string? Plain(int number, string text, string schedule, string command, IReadOnlyList<ShellToken> tokens, State state)
    {
        var notes = new List<string>();
        var words = LeadingCd(tokens, state).Tokens;
        var program = words.FirstOrDefault(t => t.Kind == ShellTokenKind.Word && !Assignment().IsMatch(t.Value));
        var name = WrapperJobName.From(program is null ? "job" : Path.GetFileName(program.Value.TrimEnd('/')) is { Length: > 0 } file ? file : "job");
        if (state.Shell is { } shell)
        {
            command = $"{shell} -c {ShellQuoting.Quote(command)}";
            notes.Add($"run with {shell}, as SHELL= says.");
        }

        var request = new JobRunRequest
        {
            Name = name,
            Command = command,
            Schedule = schedule,
            Timezone = state.TimeZone,
            Concurrency = "allow",
            Environment = state.Variables.Count > 0 ? new Dictionary<string, string>(state.Variables, StringComparer.Ordinal) : null,
        };
        return state.Add(number, text, request, notes);
    }

    /// <summary>cron's %: an unescaped one starts standard input (not convertible); \% is a literal %.</summary>
    private static string? Percent(string command, out string unescaped)
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
    private static (string? Directory, IReadOnlyList<ShellToken> Tokens) LeadingCd(IReadOnlyList<ShellToken> tokens, State state)
    {
        if (tokens is [{ Kind: ShellTokenKind.Word, Value: "cd" }, { Kind: ShellTokenKind.Word } target, { Kind: ShellTokenKind.Operator, Value: "&&" or ";" }, ..]
            && state.Expand(target) is { } directory)
        {
            return (Path.GetFullPath(directory, state.Context.Home), tokens.Skip(3).ToList());
        }

        return (null, tokens);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == value[^1] && value[0] is '"' or '\'' ? value[1..^1] : value;

    /// <summary>What the lines so far set: variables, time zone, shell, and the jobs and names made.</summary>
    private sealed class State
    {
        private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);

        public State(CrontabContext context)
        {
            Context = context;
        }

        public CrontabContext Context { get; }

        public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

        public string? TimeZone { get; private set; }

        public string? Shell { get; private set; }

        public string SearchPath { get; private set; } = CronPath;

        public List<CrontabJob> Jobs { get; } = [];

        public List<CrontabSkip> Skipped { get; } = [];

        public List<string> Warnings { get; } = [];

        public void Assign(int line, string name, string value)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"line {line}: {name}");
            switch (name)
            {
                case "MAILTO" or "MAILFROM":
                    Warnings.Add($"{at}: ignored: mail about a job goes to the tool's maintainers; choose when with 'emails' (toolgrid jobs run --emails onfailure).");
                    return;
                case "CRON_TZ":
                    TimeZone = value.Length == 0 ? null : value;
                    return;
                case "SHELL":
                    Shell = value is "" or "/bin/sh" or "sh" ? null : value;
                    return;
                case "PATH":
                    SearchPath = value;
                    break;
            }

            if (JobRules.ReservedVariables.Contains(name) || name.StartsWith("TOOLGRID_", StringComparison.Ordinal))
            {
                Warnings.Add($"{at}: ignored: the platform sets {name} for every run.");
                return;
            }

            Variables[name] = value;
        }

        /// <summary>A flag's value as cron's shell would have read it: $HOME, ${HOME} and ~ are the tool's home; any other expansion cannot be known here.</summary>
        public string? Expand(ShellToken word)
        {
            if (!word.Expands)
            {
                return word.Value;
            }

            var value = word.Value;
            if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
            {
                value = Context.Home + value[1..];
            }

            value = value.Replace("${HOME}", Context.Home, StringComparison.Ordinal).Replace("$HOME", Context.Home, StringComparison.Ordinal);
            return value.Contains('$', StringComparison.Ordinal) || value.Contains('`', StringComparison.Ordinal) ? null : value;
        }

        /// <summary>A bare program as jsub found it from cron: on cron's PATH, else in the directory it was called from.</summary>
        public string? FindProgram(string name, string directory)
        {
            foreach (var entry in SearchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(entry, name);
                if (Context.FileExists(candidate))
                {
                    // Where every run looks anyway, the name is enough.
                    return RunPath.Contains(entry) ? name : candidate;
                }
            }

            var here = Path.Combine(directory, name);
            return Context.FileExists(here) ? here : null;
        }

        /// <summary>Adds a job, renaming it when an earlier line took its name; returns why not when the job is not valid.</summary>
        public string? Add(int line, string text, JobRunRequest request, List<string> notes)
        {
            var problems = new Problems();
            request = JobRequestRules.Check(request, problems, Spell);
            if (problems.Count > 0)
            {
                return string.Join(" ", problems.Select(p => $"{Spell(p.Field)}: {p.Message}"));
            }

            var name = request.Name!;
            if (_names.TryGetValue(name, out var earlier))
            {
                var n = 2;
                var suffix = "-2";
                while (_names.ContainsKey(Trimmed(name, suffix)))
                {
                    suffix = string.Create(CultureInfo.InvariantCulture, $"-{++n}");
                }

                var renamed = Trimmed(name, suffix);
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"named '{renamed}': line {earlier} made a job '{name}' already."));
                request = request with { Name = renamed };
                name = renamed;
            }

            _names[name] = line;
            Jobs.Add(new CrontabJob(line, text, request, notes));
            return null;
        }

        private static string Spell(string field) => field switch
        {
            "timezone" => "CRON_TZ",
            "schedule" => "the schedule",
            "environment" => "a variable",
            _ => SubmitMapping.FlagOf(field),
        };

        private static string Trimmed(string name, string suffix) =>
            (name.Length + suffix.Length > JobName.MaxLength ? name[..(JobName.MaxLength - suffix.Length)].TrimEnd('-') : name) + suffix;
    }
}
