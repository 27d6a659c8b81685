using System.Globalization;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// Reads the flags of <c>jsub</c>, <c>jstart</c> and <c>qcronsub</c> as the grid-era tools did:
/// single-dash options before the program, everything from the program on is the command.
/// </summary>
/// <remarks>
/// <para>
/// Flags: <c>-N name</c>, <c>-mem 512m</c>, <c>-once</c>, <c>-quiet</c>, <c>-stderr</c>,
/// <c>-continuous</c>, <c>-l h_vmem=…,h_rt=…,release=…</c>, <c>-q queue</c>, <c>-o path</c>,
/// <c>-e path</c>, <c>-j y|n</c>, <c>-cwd</c>, <c>-wd dir</c>, <c>-v VAR=val[,VAR2=val2]</c>,
/// <c>-umask 022</c>, <c>-m bea|n</c>, and, accepted with a warning, <c>-M</c>, <c>-release</c>,
/// <c>-l release=</c>; <c>-b y</c> is how the wrappers always ran programs.
/// </para>
/// <para>
/// An unknown flag is an error that names it; the qsub flags that cannot work here say why.
/// Every problem is reported at once. Problem fields are the flags as typed (<c>-mem</c>).
/// </para>
/// </remarks>
internal static class SubmitFlags
{
    /// <summary>qsub flags that exist but cannot be honoured, and why.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["-V"] = "a job gets a clean environment; pass the variables it needs with -v NAME=value (or -v NAME to pass on your value).",
        ["-t"] = "array jobs are not supported; submit one job per task, each with its own -N.",
        ["-pe"] = "parallel environments are not supported; ask for CPU with 'toolgrid jobs run --cpu'.",
        ["-hold_jid"] = "a job cannot wait for another; run them one after the other in a script.",
        ["-sync"] = "jsub does not wait; use 'toolgrid jobs run NAME --command CMD --wait', which exits with the job's exit code.",
        ["-a"] = "jobs cannot be started at a given time; use a scheduled job: 'toolgrid jobs run NAME --command CMD --schedule CRON'.",
        ["-S"] = "the program is run directly; give the interpreter as the program (e.g. jsub python3 script.py).",
    };

    /// <summary>Reads <paramref name="words"/> (the arguments after the program's name).</summary>
    /// <param name="program">Which wrapper: <c>jstart</c> and <c>qcronsub</c> imply <c>-once</c>, <c>jstart</c> <c>-continuous</c>.</param>
    /// <param name="words">The arguments.</param>
    /// <param name="value">The text of an option's value; null when it cannot be known before it runs (a crontab's <c>$VAR</c>), which is a problem.</param>
    /// <param name="problems">Where every problem goes, by flag.</param>
    public static SubmitOptions Parse(WrapperProgram program, IReadOnlyList<ShellToken> words, Func<ShellToken, string?> value, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(problems);
        var options = new SubmitOptions
        {
            Program = program,
            Once = program is WrapperProgram.Jstart or WrapperProgram.Qcronsub,
            Continuous = program == WrapperProgram.Jstart,
        };
        var variables = new List<string>();
        var warnings = new List<string>();
        var i = 0;
        for (; i < words.Count; i++)
        {
            var word = words[i];
            var flag = word.Value;
            if (flag == "--")
            {
                i++;
                break;
            }

            if (!flag.StartsWith('-') || flag.Length == 1 || word.Kind != ShellTokenKind.Word)
            {
                break;
            }

            string? Next()
            {
                if (i + 1 >= words.Count || words[i + 1].Kind != ShellTokenKind.Word)
                {
                    problems.Add(flag, "needs a value.");
                    return null;
                }

                i++;
                var text = value(words[i]);
                if (text is null)
                {
                    problems.Add(flag, $"'{InputText.Shorten(words[i].Raw)}' is expanded by the shell when it runs; write the value out.");
                }

                return text;
            }

            switch (flag)
            {
                case "-once":
                    options = options with { Once = true };
                    break;
                case "-quiet":
                    options = options with { Quiet = true };
                    break;
                case "-stderr":
                    options = options with { ErrorsToStderr = true };
                    break;
                case "-continuous":
                    options = options with { Continuous = true };
                    break;
                case "-cwd":
                    options = options with { InCurrentDirectory = true };
                    break;
                case "-N":
                    options = options with { Name = Next() };
                    break;
                case "-mem":
                    options = options with { Memory = Memory(Next(), flag, problems) ?? options.Memory };
                    break;
                case "-o":
                    options = options with { Stdout = Next() };
                    break;
                case "-e":
                    options = options with { Stderr = Next() };
                    break;
                case "-wd":
                    options = options with { WorkingDirectory = Next() };
                    break;
                case "-umask":
                    options = options with { Umask = Next() };
                    break;
                case "-v":
                    if (Next() is { } list)
                    {
                        variables.AddRange(list.Split(',', StringSplitOptions.RemoveEmptyEntries));
                    }

                    break;
                case "-j":
                    switch (Next()?.ToLowerInvariant())
                    {
                        case "y" or "yes":
                            options = options with { Merge = true };
                            break;
                        case "n" or "no":
                            options = options with { Merge = false };
                            break;
                        case { } other:
                            problems.Add(flag, $"'{InputText.Shorten(other)}' is not y or n.");
                            break;
                    }

                    break;
                case "-q":
                    options = Queue(options, Next(), problems);
                    break;
                case "-l":
                    options = Resources(options, Next(), problems, warnings);
                    break;
                case "-m":
                    options = options with { Emails = Emails(Next(), problems) };
                    break;
                case "-M":
                    Next();
                    warnings.Add("-M ignored: mail about a job goes to the tool's maintainers (say when with -m).");
                    break;
                case "-release":
                    warnings.Add($"-release {Next()} ignored: jobs run on the host's own OS.");
                    break;
                case "-b":
                    // The wrappers always ran the program as a binary (qsub -b y); a script is a program too.
                    if (Next() is { } binary && binary is not ("y" or "yes" or "n" or "no"))
                    {
                        problems.Add(flag, $"'{InputText.Shorten(binary)}' is not y or n.");
                    }

                    break;
                default:
                    problems.Add(flag, Unsupported.TryGetValue(flag, out var why) ? "not supported: " + why : "unknown option.");
                    break;
            }
        }

        return options with
        {
            Variables = variables,
            Warnings = warnings,
            Command = words.Skip(i).ToList(),
        };
    }

    /// <summary>jsub's -mem: a number with k, m or g (KiB, MiB, GiB), written the house's way ("512Mi").</summary>
    private static string? Memory(string? text, string flag, Problems problems)
    {
        if (text is null)
        {
            return null;
        }

        if (!MemorySize.TryParse(text, out var bytes, out var error))
        {
            problems.Add(flag, error);
            return null;
        }

        return MemorySize.Format(bytes);
    }

    private static SubmitOptions Queue(SubmitOptions options, string? queue, Problems problems)
    {
        switch (queue)
        {
            case null or "task":
                // The grid's queue for ordinary jobs: the default queue here.
                return options;
            case "continuous":
                return options with { Continuous = true };
            case var web when web.StartsWith("webgrid", StringComparison.Ordinal):
                problems.Add("-q", $"{web} ran web services; start yours with 'toolgrid webservice start'.");
                return options;
            default:
                return options with { Queue = queue };
        }
    }

    private static SubmitOptions Resources(SubmitOptions options, string? list, Problems problems, List<string> warnings)
    {
        foreach (var resource in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = resource.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? resource : resource[..equals];
            var value = equals < 0 ? "" : resource[(equals + 1)..];
            switch (name)
            {
                case "h_vmem":
                    options = options with { Memory = Memory(value, "-l h_vmem", problems) ?? options.Memory };
                    break;
                case "h_rt":
                    options = options with { Timeout = RunTime(value, problems) ?? options.Timeout };
                    break;
                case "release":
                    warnings.Add($"-l release={value} ignored: jobs run on the host's own OS.");
                    break;
                default:
                    problems.Add("-l " + name, "not a resource Toolgrid knows: use h_vmem (memory, like -mem) or h_rt (the longest a run may take).");
                    break;
            }
        }

        return options;
    }

    /// <summary>qsub's h_rt: seconds, or [[HH:]MM:]SS.</summary>
    private static string? RunTime(string text, Problems problems)
    {
        var parts = text.Split(':');
        var seconds = 0L;
        foreach (var part in parts)
        {
            if (parts.Length > 3 || !long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 100_000_000)
            {
                problems.Add("-l h_rt", $"'{InputText.Shorten(text)}' is not a run time: write HH:MM:SS or a number of seconds.");
                return null;
            }

            seconds = (seconds * 60) + number;
        }

        return Duration.Format(TimeSpan.FromSeconds(seconds));
    }

    /// <summary>qsub's -m letters (b begin, e end, a abort, s suspend, n none) as the closest email policy.</summary>
    private static string? Emails(string? letters, Problems problems)
    {
        if (letters is null)
        {
            return null;
        }

        if (letters.Length == 0 || letters.Any(c => c is not ('b' or 'e' or 'a' or 's' or 'n')))
        {
            problems.Add("-m", $"'{InputText.Shorten(letters)}' is not a mail option: use letters of b, e, a, s, or n.");
            return null;
        }

        return letters.Contains('b', StringComparison.Ordinal) ? "all"
            : letters.Contains('e', StringComparison.Ordinal) ? "onfinish"
            : letters.Contains('a', StringComparison.Ordinal) ? "onfailure"
            : "none";
    }
}
