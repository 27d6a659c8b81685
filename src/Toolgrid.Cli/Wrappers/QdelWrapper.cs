using System.Globalization;
using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// <c>qdel ID|NAME…</c>: stop jobs as Grid Engine's qdel did, answering as it did
/// (<c>tools.x has registered the job 19 for deletion</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A number is a run (the number jsub printed): a run of a one-off or scheduled job is
/// stopped alone (its job stays, as a finished one); a run of a continuous job stops the job,
/// as qdel ended a jstart'ed job for good.</item>
/// <item>A name is a job (as <c>jstop</c>): it is deleted, and its runs are stopped.</item>
/// <item>What is not queued or running: <c>denied: job "19" does not exist</c>, exit 1.</item>
/// </list>
/// </remarks>
internal static class QdelWrapper
{
    public const string Usage = "qdel ID|NAME [ID|NAME…]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        using var session = new WrapperSession("qdel", environment);
        if (args is [("-h" or "-help" or "--help")])
        {
            environment.Out.WriteLine("usage: " + Usage);
            return ExitCodes.Ok;
        }

        if (!session.TakesNames(args, Usage, "which job? give its number or name."))
        {
            return ExitCodes.Usage;
        }

        return await session.RunAsync(
            async () =>
            {
                var exitCode = ExitCodes.Ok;
                var tool = await session.ResolveToolAsync(cancellationToken);
                var user = (await session.Client.GetToolAsync(tool, cancellationToken)).UnixUser;
                var runs = GridRun.Active(await session.Client.ListJobsAsync(tool, cancellationToken));
                foreach (var given in args)
                {
                    if (!await DeleteAsync(session, tool, user, given, runs, cancellationToken))
                    {
                        session.DenyUnknownJob(given);
                        exitCode = ExitCodes.Refused;
                    }
                }

                environment.Out.Flush();
                environment.Error.Flush();
                return exitCode;
            },
            cancellationToken);
    }

    /// <summary>Stops what <paramref name="given"/> names; false when it names nothing queued or running.</summary>
    private static async Task<bool> DeleteAsync(WrapperSession session, string tool, string user, string given, IReadOnlyList<GridRun> runs, CancellationToken cancellationToken)
    {
        var output = session.Environment.Out;
        if (long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            if (runs.FirstOrDefault(r => r.Run.Id == id) is not { } run)
            {
                return false;
            }

            try
            {
                _ = run.Job.Kind == "continuous"
                    ? await session.Client.DeleteJobAsync(tool, run.Job.Name, cancellationToken)
                    : await session.Client.StopRunAsync(tool, id, cancellationToken);
            }
            catch (ToolgridApiException e) when (e.ErrorCode is "run-not-found" or "run-ended" or "job-not-found")
            {
                return false;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{user} has registered the job {id} for deletion"));
            return true;
        }

        var name = WrapperJobName.From(given);
        try
        {
            await session.Client.DeleteJobAsync(tool, name, cancellationToken);
        }
        catch (ToolgridApiException e) when (e.ErrorCode == "job-not-found")
        {
            return false;
        }

        var stopped = runs.Where(r => r.Job.Name == name).Select(r => r.Run.Id).ToList();
        foreach (var run in stopped)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{user} has registered the job {run} for deletion"));
        }

        if (stopped.Count == 0)
        {
            output.WriteLine($"{user} has registered the job \"{given}\" for deletion");
        }

        return true;
    }
}
