using System.Globalization;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// <c>jsub</c>, <c>jstart</c> and <c>qcronsub</c>: submit a job with the grid-era flags, and answer
/// as qsub did (<c>Your job 123 ("name") has been submitted</c>, unless <c>-quiet</c>).
/// </summary>
/// <remarks>
/// <para>
/// A job's name is unique in its tool; the API decides what a submission of a name does
/// (Core's <c>JobSubmission</c>): a new name declares the job and runs it; a job that
/// has ended runs again, as given now; while it is active, <c>-once</c> (implied by
/// <c>jstart</c> and <c>qcronsub</c>) refuses (<c>there is a job named 'NAME' already active</c>,
/// exit 1), and without it a one-off job gets a second run beside the first, as the grid
/// allowed a second job of a name. Either way the number printed is the run's, which
/// <c>qstat</c>, <c>qdel</c> and <c>job</c> take.
/// </para>
/// <para>
/// As jsub did, the wrapper's own errors (an API refusal, the refusal above) are appended to the
/// job's error file (<c>~/NAME.err</c>, or <c>-e</c>), with the time; they are also printed on
/// standard error unless <c>-quiet</c> (so a crontab that resubmits a bot with <c>-once -quiet</c>
/// stays quiet). <c>-stderr</c> prints them on standard error only. A bad command line is
/// always reported on standard error (exit 2).
/// </para>
/// </remarks>
internal static class SubmitWrapper
{
    /// <summary>How the API names the fields of the submitted job: <c>job.mem</c>.</summary>
    private const string JobField = "job.";

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

        // One request: the API declares the job (or runs it again, or beside its running run) and
        // queues the run in one transaction, and answers with that run, whose number is printed.
        var job = await SubmitJobAsync(session, tool, new JobSubmitRequest { Job = submission.Request, Once = options.Once ? true : null }, cancellationToken);
        if (!options.Quiet)
        {
            environment.Out.WriteLine(Submitted(job));
            environment.Out.Flush();
        }

        return ExitCodes.Ok;
    }

    /// <summary>Submits; the API checks the job, and each problem it answers (<c>job.mem</c>) is spelled as the flag that sets it (<c>-mem</c>).</summary>
    private static async Task<JobView> SubmitJobAsync(WrapperSession session, string tool, JobSubmitRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Client.SubmitJobAsync(tool, request.Job!.Name!, request, cancellationToken);
        }
        catch (ToolgridApiException e) when (e.Errors.Count > 0)
        {
            throw new ValidationException(e.Errors.Select(p => new Problem(SubmitMapping.FlagOf(p.Field.StartsWith(JobField, StringComparison.Ordinal) ? p.Field[JobField.Length..] : p.Field), p.MessageIn(SubmitMapping.FlagOf))).ToList());
        }
    }

    /// <summary>qsub's answer: <c>Your job 123 ("name") has been submitted</c>, 123 being the run just queued (the newest).</summary>
    public static string Submitted(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Runs.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Your job {job.Runs.Max(r => r.Id)} (\"{job.Name}\") has been submitted")
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

    /// <summary>
    /// Where the wrapper's own errors go: the job's error file, as jsub did (a crontab's record),
    /// and standard error too, unless <c>-quiet</c>; with <c>-stderr</c>, standard error alone.
    /// </summary>
    private sealed class ErrorFile
    {
        private readonly string? _path;
        private readonly bool _toStderrOnly;
        private readonly bool _quiet;
        private readonly CliEnvironment _environment;

        public ErrorFile(SubmitOptions options, CliEnvironment environment)
        {
            _environment = environment;
            _toStderrOnly = options.ErrorsToStderr;
            _quiet = options.Quiet;
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
            var recorded = false;
            if (!_toStderrOnly && _path is not null)
            {
                try
                {
                    var now = TimeZoneInfo.ConvertTime(_environment.Time.GetUtcNow(), _environment.Time.LocalTimeZone);
                    var stamp = string.Create(CultureInfo.InvariantCulture, $"[{now:ddd MMM} {now.Day,2} {now:HH:mm:ss yyyy}]");
                    File.AppendAllLines(_path, lines.Select(l => $"{stamp} {session.Program}: {l}"));
                    recorded = true;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    session.Error([$"cannot write to {_path} ({e.Message}); so here:"]);
                }
            }

            // A crontab line with -quiet (keeping a bot up with -once every few minutes) stays
            // quiet: its refusals are in the error file. Otherwise the caller reads them too.
            if (!recorded || !_quiet)
            {
                session.Error(lines);
            }
        }
    }
}
