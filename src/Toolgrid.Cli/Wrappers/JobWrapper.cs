using System.Globalization;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// <c>job [-q] [-v] NAME</c>: whether the tool's job NAME is queued or running, in the exit code
/// scripts of the grid era test: 0 no such job (or nothing queued or running), 1 running, 2 queued.
/// </summary>
/// <remarks>
/// It prints the job's state unless <c>-q</c>. Since 1 and 2 are answers, every failure (a bad
/// command line, an API that cannot be reached or refuses) exits <see cref="CannotTell"/>.
/// </remarks>
internal static class JobWrapper
{
    /// <summary>The exit code when the state cannot be told: neither 0, 1 nor 2, which are answers.</summary>
    public const int CannotTell = 3;

    public const string Usage = "job [-q] [-v] NAME   (exit 0: no such job queued or running, 1: running, 2: queued)";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        using var session = new WrapperSession("job", environment);
        var quiet = false;
        var names = new List<string>();
        var errors = new List<string>();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "-q":
                    quiet = true;
                    break;
                case "-v":
                    // The grid's verbose form; the state is always said in words here.
                    break;
                case "-h" or "-help" or "--help":
                    environment.Out.WriteLine("usage: " + Usage);
                    return ExitCodes.Ok;
                case var flag when flag.StartsWith('-') && flag.Length > 1:
                    errors.Add($"{flag}: unknown option.");
                    break;
                default:
                    names.Add(arg);
                    break;
            }
        }

        if (names.Count != 1)
        {
            errors.Add(names.Count == 0 ? "which job? give its name." : $"one job at a time; got {names.Count}: {string.Join(' ', names)}.");
        }

        if (errors.Count > 0)
        {
            session.Error([.. errors, "usage: " + Usage]);
            return CannotTell;
        }

        var name = WrapperJobName.From(names[0]);
        try
        {
            var tool = await session.ResolveToolAsync(cancellationToken);
            var job = await session.FindJobAsync(tool, name, cancellationToken);
            var activity = JobActivities.Of(job);
            if (!quiet)
            {
                environment.Out.WriteLine(Describe(names[0], job, activity, new TimeText(environment.Time)));
                environment.Out.Flush();
            }

            return (int)activity;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            session.Error(["interrupted."]);
            return CannotTell;
        }
        catch (Exception e) when (session.Describe(e) is { } failure)
        {
            session.Error(failure.Lines);
            return CannotTell;
        }
    }

    /// <summary>The job's state in a line, e.g. "Job 'bot' has been running since 2025-06-01 12:00:00 as run 123".</summary>
    public static string Describe(string name, JobView? job, JobActivity activity, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var run = job?.Runs.Count > 0 ? job.Runs[0] : null;
        var id = run is null ? "" : string.Create(CultureInfo.InvariantCulture, $" as run {run.Id}");
        return activity switch
        {
            JobActivity.Running => $"Job '{name}' has been running since {times.Local(run!.StartedAt ?? run.SubmittedAt)}{id}: {job!.Status}",
            JobActivity.Queued when run is not null && run.State == "queued" => $"Job '{name}' is queued{id}: {job!.Status}",
            JobActivity.Queued => $"Job '{name}' is waiting to be started again: {job!.Status}",
            _ when job is null => $"No job '{name}'.",
            _ => $"Job '{name}' is not queued or running: {job.Status}",
        };
    }
}
