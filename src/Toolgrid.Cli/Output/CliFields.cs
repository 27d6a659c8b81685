using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Output;

/// <summary>Names the API's input fields the way the CLI's user typed them, so that a problem points at the flag to fix.</summary>
/// <remarks>
/// Fields set by a flag are shown as the flag (<c>mem</c> → <c>--mem</c>, <c>filelogStdout</c> →
/// <c>-o</c>); fields set by an argument (<c>name</c>, <c>user</c>, <c>tool</c>) as they are.
/// A job's fields are keyed by <see cref="JobFieldNames"/>; a test checks that each is a flag of <c>jobs run</c>.
/// </remarks>
internal static class CliFields
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        [JobFieldNames.Command] = "--command",
        [JobFieldNames.Mem] = "--mem",
        [JobFieldNames.Cpu] = "--cpu",
        [JobFieldNames.Retry] = "--retry",
        [JobFieldNames.Queue] = "--queue",
        [JobFieldNames.Emails] = "--emails",
        [JobFieldNames.GracePeriod] = "--grace-period",
        [JobFieldNames.Filelog] = "--no-filelog",
        [JobFieldNames.FilelogStdout] = "-o",
        [JobFieldNames.FilelogStderr] = "-e",
        ["continuous"] = "--continuous",
        [JobFieldNames.Restart] = "--restart",
        [JobFieldNames.Replicas] = "--replicas",
        [JobFieldNames.Port] = "--port",
        [JobFieldNames.HealthCheckScript] = "--health-check-script",
        [JobFieldNames.HealthCheckHttp] = "--health-check-http",
        [JobFieldNames.Schedule] = "--schedule",
        [JobFieldNames.Timezone] = "--timezone",
        [JobFieldNames.Concurrency] = "--concurrency",
        [JobFieldNames.CatchUp] = "--catch-up",
        [JobFieldNames.Timeout] = "--timeout",
        [JobFieldNames.WorkingDirectory] = "--workdir",
        [JobFieldNames.Environment] = "--env",
        [JobFieldNames.Umask] = "--umask",
        [JobFieldNames.MergeOutput] = "--merge-output",
        ["wait"] = "--wait",
        ["description"] = "--description",
        ["maxMemory"] = "--max-mem",
        ["maxCpu"] = "--max-cpu",
        ["maxJobs"] = "--max-jobs",
        ["expiresInDays"] = "--expires-in-days",
        ["stream"] = "--stream",
        ["lines"] = "--lines",
    };

    public static string Of(string field) => Flags.GetValueOrDefault(field, field);
}
