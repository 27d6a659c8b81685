namespace Toolgrid.Cli.Output;

/// <summary>Names the API's input fields the way the CLI's user typed them, so that a problem points at the flag to fix.</summary>
/// <remarks>
/// Fields set by a flag are shown as the flag (<c>mem</c> → <c>--mem</c>, <c>filelogStdout</c> →
/// <c>-o</c>); fields set by an argument (<c>name</c>, <c>user</c>, <c>tool</c>) as they are.
/// </remarks>
internal static class CliFields
{
    public static string Of(string field) => field switch
    {
        "command" => "--command",
        "mem" => "--mem",
        "cpu" => "--cpu",
        "retry" => "--retry",
        "queue" => "--queue",
        "emails" => "--emails",
        "gracePeriod" => "--grace-period",
        "filelog" => "--no-filelog",
        "filelogStdout" => "-o",
        "filelogStderr" => "-e",
        "continuous" => "--continuous",
        "restart" => "--restart",
        "replicas" => "--replicas",
        "port" => "--port",
        "healthCheckScript" => "--health-check-script",
        "healthCheckHttp" => "--health-check-http",
        "schedule" => "--schedule",
        "timezone" => "--timezone",
        "concurrency" => "--concurrency",
        "catchUp" => "--catch-up",
        "timeout" => "--timeout",
        "workingDirectory" => "--workdir",
        "environment" => "--env",
        "umask" => "--umask",
        "mergeOutput" => "--merge-output",
        "wait" => "--wait",
        "description" => "--description",
        "maxMemory" => "--max-mem",
        "maxCpu" => "--max-cpu",
        "maxJobs" => "--max-jobs",
        "expiresInDays" => "--expires-in-days",
        "stream" => "--stream",
        "lines" => "--lines",
        _ => field,
    };
}
