using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// Turns what <c>jsub</c>, <c>jstart</c> or <c>qcronsub</c> was given into the job it declares, as
/// the grid-era tools meant it. Pure: the file system is looked at through <see cref="SubmitContext"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The job's name is <c>-N</c>, else the program's basename, made a Toolgrid name
/// (<see cref="WrapperJobName"/>); its output still goes to <c>~/NAME.out</c> and
/// <c>~/NAME.err</c> under the name as typed.</item>
/// <item>The command is the program and its arguments, each quoted for <c>/bin/sh -c</c>. A
/// relative program is made absolute against the current directory and a bare name not on the
/// PATH is looked for there, as jsub did: the job itself runs in the tool's home (unless
/// <c>-cwd</c>).</item>
/// <item><c>-o</c>/<c>-e</c> are read from the current directory, as qsub does; a directory gets
/// NAME.out/NAME.err; either must end inside the tool's home. <c>-j y</c> merges standard error
/// into the output file, and <c>-e</c> is then ignored, as qsub ignores it.</item>
/// <item>A continuous job (<c>jstart</c>, <c>-continuous</c>) restarts until it exits 0
/// (<c>on-failure</c>), as jstart's did.</item>
/// </list>
/// </remarks>
internal static class SubmitMapping
{
    /// <summary>The flag that sets each field of the request, for problems and hints.</summary>
    public static string FlagOf(string field) => field switch
    {
        "name" => "-N",
        JobFieldNames.Command => "program",
        JobFieldNames.Mem => "-mem",
        JobFieldNames.FilelogStdout => "-o",
        JobFieldNames.FilelogStderr => "-e",
        JobFieldNames.MergeOutput => "-j y",
        JobFieldNames.WorkingDirectory => "-cwd",
        JobFieldNames.Environment => "-v",
        JobFieldNames.Umask => "-umask",
        JobFieldNames.Queue => "-q",
        JobFieldNames.Emails => "-m",
        JobFieldNames.Timeout => "-l h_rt",
        "continuous" or JobFieldNames.Restart => "-continuous",
        _ => field,
    };

    /// <summary>The job <paramref name="options"/> declare; every problem goes to <paramref name="problems"/> (by flag).</summary>
    public static SubmitResult ToRequest(SubmitOptions options, SubmitContext context, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problems);
        var notes = new List<string>(options.Warnings);
        if (options.Command.Count == 0)
        {
            problems.Add("program", "no program to run: " + Usage(options.Program));
            return new SubmitResult(new JobRunRequest(), "", notes);
        }

        var program = options.Command[0];
        var gridName = options.Name ?? Path.GetFileName(program.Value.TrimEnd('/'));
        if (gridName.Length == 0 || gridName.Contains('/', StringComparison.Ordinal) || gridName.Any(char.IsControl))
        {
            problems.Add("-N", $"'{InputText.Shorten(gridName)}' cannot name a job (nor its files ~/NAME.out and ~/NAME.err).");
        }

        var name = WrapperJobName.From(gridName);
        var renamed = name != gridName;
        if (renamed && gridName.Length > 0)
        {
            notes.Add($"the job is called '{name}' here: job names are lower-case letters, digits and '-' ('{gridName}' still finds it with job and jstop).");
        }

        var command = string.Join(' ', [Program(program, context, problems, notes), .. options.Command.Skip(1).Select(w => w.Raw)]);
        var (stdout, stderr) = Output(options, context, gridName, renamed, problems, notes);
        var request = new JobRunRequest
        {
            Name = name,
            Command = command,
            Mem = options.Memory,
            Continuous = options.Continuous ? true : null,
            Restart = options.Continuous ? "on-failure" : null,
            Queue = options.Queue,
            FilelogStdout = stdout,
            FilelogStderr = stderr,
            MergeOutput = options.Merge ? true : null,
            WorkingDirectory = WorkingDirectory(options, context, problems),
            Environment = Variables(options, context, problems),
            Umask = options.Umask,
            Emails = options.Emails,
            Timeout = options.Timeout,
        };

        return new SubmitResult(request, gridName, notes);
    }

    public static string Usage(WrapperProgram program) =>
        $"{program.ToString().ToLowerInvariant()} [-N name] [-mem 512m] [-once] [-continuous] [-quiet] [-stderr] [-cwd] [-o path] [-e path] [-j y] [-v VAR=value] [-umask 022] [-l h_vmem=1g,h_rt=1:00:00] [-q queue] program [args…]";

    /// <summary>How the program is written in the command: as jsub found it.</summary>
    private static string Program(ShellToken program, SubmitContext context, Problems problems, List<string> notes)
    {
        var path = program.Value;
        if (program.Expands || path.StartsWith('/'))
        {
            // $HOME/bin/x is read by the job's shell, in the same home.
            return program.Raw;
        }

        if (path.Contains('/', StringComparison.Ordinal))
        {
            return ShellQuoting.Quote(Path.GetFullPath(path, context.CurrentDirectory));
        }

        if (context.FindProgram(path) is { } found)
        {
            return found == path ? program.Raw : ShellQuoting.Quote(found);
        }

        if (context.ProgramMustExist)
        {
            problems.Add("program", $"'{InputText.Shorten(path)}' is neither on the PATH nor in {context.CurrentDirectory}; give its path (e.g. ./{path}).");
        }
        else
        {
            notes.Add($"'{path}' is not on the PATH here; the job runs it as written.");
        }

        return program.Raw;
    }

    private static (string? Stdout, string? Stderr) Output(SubmitOptions options, SubmitContext context, string gridName, bool renamed, Problems problems, List<string> notes)
    {
        // A renamed job keeps the files it always had: ~/Daily_Report.out, not ~/daily-report.out.
        var stdout = options.Stdout is { } o ? InHome(o, gridName + ".out", "-o", context, problems)
            : renamed ? gridName + ".out"
            : null;
        if (options.Merge)
        {
            if (options.Stderr is not null)
            {
                notes.Add("-e ignored: with -j y standard error goes to the output file, as qsub does.");
            }

            return (stdout, null);
        }

        var stderr = options.Stderr is { } e ? InHome(e, gridName + ".err", "-e", context, problems)
            : renamed ? gridName + ".err"
            : null;
        return (stdout, stderr);
    }

    /// <summary>A path read from the current directory (a directory gets <paramref name="fileName"/>), relative to the tool's home.</summary>
    private static string? InHome(string path, string fileName, string flag, SubmitContext context, Problems problems)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add(flag, "the path is empty.");
            return null;
        }

        var full = Path.GetFullPath(path, context.CurrentDirectory);
        if (path.EndsWith('/') || context.IsDirectory(full))
        {
            full = Path.Combine(full, fileName);
        }

        return Relative(full, flag, context, problems);
    }

    private static string? WorkingDirectory(SubmitOptions options, SubmitContext context, Problems problems)
    {
        if (options.InCurrentDirectory && options.WorkingDirectory is not null)
        {
            problems.Add("-wd", "give -cwd or -wd, not both.");
            return null;
        }

        var (directory, flag) = options.WorkingDirectory is { } wd ? (Path.GetFullPath(wd, context.CurrentDirectory), "-wd")
            : options.InCurrentDirectory ? (context.CurrentDirectory, "-cwd")
            : (null, "");
        if (directory is null)
        {
            return null;
        }

        // The home itself is where jobs run anyway.
        return Path.TrimEndingDirectorySeparator(directory) == Path.TrimEndingDirectorySeparator(context.Home ?? "")
            ? null
            : Relative(directory, flag, context, problems);
    }

    private static string? Relative(string full, string flag, SubmitContext context, Problems problems)
    {
        if (context.Home is not { } home)
        {
            throw new InvalidOperationException("the tool's home is needed to resolve " + flag);
        }

        if (!HomePath.TryNormalize(home, full, out var relative, out var error))
        {
            problems.Add(flag, error);
            return null;
        }

        return relative;
    }

    private static Dictionary<string, string>? Variables(SubmitOptions options, SubmitContext context, Problems problems)
    {
        if (options.Variables.Count == 0)
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in options.Variables)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? item : item[..equals];
            var value = equals < 0 ? context.Variable(name) : item[(equals + 1)..];
            if (value is null)
            {
                problems.Add("-v", $"{name} has no value here to pass on; give one: -v {name}=value.");
                continue;
            }

            variables[name] = value;
        }

        return variables;
    }
}
