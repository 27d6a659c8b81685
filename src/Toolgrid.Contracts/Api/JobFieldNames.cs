namespace Toolgrid.Contracts.Api;

/// <summary>
/// The wire name of each field of a job: its JSON name in <see cref="JobRunRequest"/> and
/// <see cref="JobView"/>, and the field code a <see cref="Validation.Problem"/> about it carries.
/// The CLI's flags and jobs.yaml's keys are spelled from these.
/// </summary>
public static class JobFieldNames
{
    public const string Kind = "kind";
    public const string Command = "command";
    public const string Mem = "mem";
    public const string Cpu = "cpu";
    public const string Retry = "retry";
    public const string Queue = "queue";
    public const string Emails = "emails";
    public const string Filelog = "filelog";
    public const string FilelogStdout = "filelogStdout";
    public const string FilelogStderr = "filelogStderr";
    public const string MergeOutput = "mergeOutput";
    public const string GracePeriod = "gracePeriod";
    public const string Restart = "restart";
    public const string Replicas = "replicas";
    public const string Port = "port";
    public const string HealthCheckScript = "healthCheckScript";
    public const string HealthCheckHttp = "healthCheckHttp";
    public const string Schedule = "schedule";
    public const string Timezone = "timezone";
    public const string Concurrency = "concurrency";
    public const string CatchUp = "catchUp";
    public const string Timeout = "timeout";
    public const string WorkingDirectory = "workingDirectory";
    public const string Environment = "environment";
    public const string Umask = "umask";
    public const string Webservice = "webservice";
    public const string AllowDotPaths = "allowDotPaths";
}
