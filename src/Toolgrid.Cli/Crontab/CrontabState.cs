using System.Globalization;
using Toolgrid.Cli.Wrappers;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Cli.Crontab;

/// <summary>What the lines so far set: variables, time zone, shell, and the jobs and names made.</summary>
internal sealed class CrontabState
{
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);

    public CrontabState(CrontabContext context)
    {
        Context = context;
    }

    public CrontabContext Context { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string? TimeZone { get; private set; }

    public string? Shell { get; private set; }

    public string SearchPath { get; private set; } = CrontabConverter.CronPath;

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

        if (RunVariables.IsReserved(name))
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
                return CrontabConverter.RunPath.Contains(entry) ? name : candidate;
            }
        }

        var here = Path.Combine(directory, name);
        return Context.FileExists(here) ? here : null;
    }

    /// <summary>Adds a job, renaming it when an earlier line took its name; returns why not when the job is not valid.</summary>
    public string? Add(int line, string text, JobRunRequest request, List<string> notes)
    {
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

    private static string Trimmed(string name, string suffix) =>
        (name.Length + suffix.Length > JobName.MaxLength ? name[..(JobName.MaxLength - suffix.Length)].TrimEnd('-') : name) + suffix;
}
