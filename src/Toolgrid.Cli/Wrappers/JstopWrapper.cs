using System.Globalization;
using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Wrappers;

/// <summary><c>jstop NAME…</c>: delete the tool's jobs of those names; their runs are stopped (SIGTERM, then SIGKILL after the grace period).</summary>
/// <remarks>Answers as qdel did: one line per job, <c>denied: job "NAME" does not exist</c> (exit 1) for a name that is not a job.</remarks>
internal static class JstopWrapper
{
    public const string Usage = "jstop NAME [NAME…]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        using var session = new WrapperSession("jstop", environment);
        if (args is [("-h" or "-help" or "--help")])
        {
            environment.Out.WriteLine("usage: " + Usage);
            return ExitCodes.Ok;
        }

        if (!session.TakesNames(args, Usage, "which job? give its name."))
        {
            return ExitCodes.Usage;
        }

        return await session.RunAsync(
            async () =>
            {
                var exitCode = ExitCodes.Ok;
                var tool = await session.ResolveToolAsync(cancellationToken);
                foreach (var given in args)
                {
                    var name = WrapperJobName.From(given);
                    try
                    {
                        var job = await session.Client.DeleteJobAsync(tool, name, cancellationToken);
                        environment.Out.WriteLine(job.Runs.Count > 0
                            ? string.Create(CultureInfo.InvariantCulture, $"Job {job.Runs[0].Id} (\"{job.Name}\") has been registered for deletion")
                            : $"Job \"{job.Name}\" has been registered for deletion");
                    }
                    catch (ToolgridApiException e) when (e.ErrorCode == "job-not-found")
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
}
