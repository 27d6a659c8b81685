using System.Globalization;
using Toolgrid.Core.Api;
using Toolgrid.Core.Validation;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// <c>jsub</c>, <c>jstart</c> and <c>qcronsub</c>: submit a job with the grid-era flags, and answer
/// as qsub did (<c>Your job 123 ("name") has been submitted</c>, unless <c>-quiet</c>).
/// </summary>
/// <remarks>
/// <para>
/// A job's name is unique in its tool. Submitting a name that is not queued or running declares
/// the job (or replaces a finished one with what was given now) and runs it. While a job of that
/// name is queued or running, the submission is refused (<c>there is a job named 'NAME' already
/// active</c>, exit 1): that is <c>-once</c>, which <c>jstart</c> and <c>qcronsub</c> imply, and
/// without <c>-once</c> it is also refused, since two runs of one name cannot be told apart.
/// </para>
/// <para>
/// As jsub did, the wrapper's own errors (an API refusal, the refusal above) are appended to the
/// job's error file (<c>~/NAME.err</c>, or <c>-e</c>), with the time, so that a crontab stays
/// quiet; <c>-stderr</c> sends them to standard error, and so does a terminal. A bad command
/// line is always reported on standard error (exit 2).
/// </para>
/// </remarks>
internal static class SubmitWrapper
{
    public static async Task<int> RunAsync(WrapperProgram program, IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var name = program.ToString().ToLowerInvariant();
        using var session = new WrapperSession(name, environment);
        if (args is [("-h" or "-help" or "--help")])
        {
            environment.Out.WriteLine("usage: " + SubmitMapping.Usage(program));
            return ExitCodes.Ok;
        }

        var problems = new Problems();
        var words = args.Select(a => new ShellToken(ShellTokenKind.Word, ShellQuoting.Quote(a), a, false)).ToList();
        var options = SubmitFlags.Parse(program, words, w => w.Value, problems);
        if (options.Command.Count == 0 && problems.Count == 0)
        {
            problems.Add("program", "no program to run.");
        }

        if (problems.Count > 0)
        {
            session.Error([.. WrapperSession.Lines(problems), "usage: " + SubmitMapping.Usage(program)]);
            return ExitCodes.Usage;
        }

        var errors = new ErrorFile(options, environment);
        try
        {
            return await SubmitAsync(session, options, errors, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            session.Error(["interrupted."]);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (session.Describe(e) is { } failure)
        {
            if (failure.ExitCode == ExitCodes.Usage)
            {
                session.Error(failure.Lines);
            }
            else
            {
                errors.Write(session, failure.Lines);
            }

            return failure.ExitCode;
        }
    }

    private static async Task<int> SubmitAsync(WrapperSession session, SubmitOptions options, ErrorFile errors, CancellationToken cancellationToken)
    {
        var environment = session.Environment;
        var tool = await session.ResolveToolAsync(cancellationToken);
        var home = options.NeedsHome ? (await session.Client.GetToolAsync(tool, cancellationToken)).Home : null;
        var context = new SubmitContext
        {
            CurrentDirectory = environment.CurrentDirectory,
            Home = home,
            IsDirectory = Directory.Exists,
            FindProgram = program => FindProgram(program, environment),
            Variable = environment.Variable,
            ProgramMustExist = true,
        };
        var problems = new Problems();
        var submission = SubmitMapping.ToRequest(options, context, problems);
        problems.ThrowIfAny();
        if (!options.Quiet)
        {
            foreach (var note in submission.Notes)
            {
                session.Warning(note);
            }
        }

        var request = submission.Request;
        var name = request.Name!;
        var existing = await session.FindJobAsync(tool, name, cancellationToken);
        JobView job;
        if (existing is null)
        {
            job = await session.Client.RunJobAsync(tool, request, cancellationToken);
        }
        else
        {
            var kind = request.Continuous == true ? "continuous" : "one-off";
            if (existing.Deleting)
            {
                throw new CommandFailedException($"the job named '{submission.GridName}' is being deleted; submit it again once it is gone.");
            }

            if (existing.Kind != kind)
            {
                throw new CommandFailedException(
                    $"there is a {existing.Kind} job named '{submission.GridName}'; {session.Program} would make it {kind}. Give this one another name with -N, or delete that one first (jstop {submission.GridName}).");
            }

            if (JobActivities.Of(existing) != JobActivity.None)
            {
                throw new CommandFailedException(
                    $"there is a job named '{submission.GridName}' already active"
                    + (options.Once ? "" : " (a tool runs one job of a name at a time: give this one another name with -N)"));
            }

            // A finished job: declared again as given now, and run again.
            var plan = await session.Client.ApplyJobsAsync(tool, new JobsApplyRequest { Jobs = [request], Only = name }, cancellationToken);
            var step = plan.Plan.FirstOrDefault(s => s.Job == name);
            job = step?.Action == "unchanged"
                ? await session.Client.RestartJobAsync(tool, name, cancellationToken)
                : await session.Client.GetJobAsync(tool, name, cancellationToken);
        }

        if (!options.Quiet)
        {
            environment.Out.WriteLine(Submitted(job));
            environment.Out.Flush();
        }

        return ExitCodes.Ok;
    }

    /// <summary>qsub's answer: <c>Your job 123 ("name") has been submitted</c>, 123 being the run.</summary>
    public static string Submitted(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Runs.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Your job {job.Runs[0].Id} (\"{job.Name}\") has been submitted")
            : $"Your job (\"{job.Name}\") has been submitted";
    }

    /// <summary>A bare program name as jsub found it: on the PATH as it is, else in the current directory by its full path.</summary>
    public static string? FindProgram(string program, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var directory in (environment.Variable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, program)))
            {
                return program;
            }
        }

        var here = Path.Combine(environment.CurrentDirectory, program);
        return File.Exists(here) ? here : null;
    }

    /// <summary>Where the wrapper's own errors go: the job's error file, as jsub did, or standard error.</summary>
    private sealed class ErrorFile
    {
        private readonly string? _path;
        private readonly bool _toStderr;
        private readonly CliEnvironment _environment;

        public ErrorFile(SubmitOptions options, CliEnvironment environment)
        {
            _environment = environment;
            _toStderr = options.ErrorsToStderr || environment.ErrorIsTerminal;
            var gridName = options.Name ?? Path.GetFileName(options.Command[0].Value.TrimEnd('/'));
            var (given, suffix) = options.Merge ? (options.Stdout, ".out") : (options.Stderr, ".err");
            if (given is not null)
            {
                var full = Path.GetFullPath(given, environment.CurrentDirectory);
                _path = given.EndsWith('/') || Directory.Exists(full) ? Path.Combine(full, gridName + suffix) : full;
            }
            else if (environment.Variable("HOME") is { } home && gridName.Length > 0 && !gridName.Contains('/', StringComparison.Ordinal))
            {
                _path = Path.Combine(home, gridName + suffix);
            }
        }

        public void Write(WrapperSession session, IReadOnlyList<string> lines)
        {
            if (!_toStderr && _path is not null)
            {
                try
                {
                    var now = TimeZoneInfo.ConvertTime(_environment.Time.GetUtcNow(), _environment.Time.LocalTimeZone);
                    var stamp = string.Create(CultureInfo.InvariantCulture, $"[{now:ddd MMM} {now.Day,2} {now:HH:mm:ss yyyy}]");
                    File.AppendAllLines(_path, lines.Select(l => $"{stamp} {session.Program}: {l}"));
                    return;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    session.Error([$"cannot write to {_path} ({e.Message}); so here:"]);
                }
            }

            session.Error(lines);
        }
    }
}
