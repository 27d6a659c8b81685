using System.Globalization;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Core.Jobs;

/// <summary>
/// The one table of a job's declared fields: for each, its wire name, how a change of it is told,
/// whether it needs new runs, and how it is compared and taken into a <see cref="Job"/>.
/// <see cref="JobDiff"/> (the diff and the apply), <see cref="JobRules.NeedsNewRuns"/> and the
/// worded fields of the job view go through it, so a new field is added here (and its rule in
/// <see cref="JobRules.Build"/>); docs/architecture.md lists the other places, and a test fails
/// while a code of <see cref="JobFieldNames"/> has no row.
/// </summary>
/// <remarks>What a job is (its tool, name, history and state) is not declared, so is not here.</remarks>
public static class JobFields
{
    public static JobField Kind { get; } = JobField.Of(JobFieldNames.Kind, "kind", true, j => j.Kind, (j, v) => j.Kind = v, JobWire.Of);

    public static JobField Command { get; } = JobField.Of(JobFieldNames.Command, "command", true, j => j.Command, (j, v) => j.Command = v);

    public static JobField Mem { get; } = JobField.Of(JobFieldNames.Mem, "mem", true, j => j.MemoryBytes, (j, v) => j.MemoryBytes = v, MemorySize.Format);

    public static JobField Cpu { get; } = JobField.Of(JobFieldNames.Cpu, "cpu", true, j => j.CpuMillis, (j, v) => j.CpuMillis = v, CpuQuantity.Format);

    public static JobField Retry { get; } = JobField.Of(JobFieldNames.Retry, "retry", false, j => j.Retry, (j, v) => j.Retry = v, Number);

    public static JobField Queue { get; } = JobField.Of(JobFieldNames.Queue, "queue", true, j => j.Queue, (j, v) => j.Queue = v);

    public static JobField Emails { get; } = JobField.Of(JobFieldNames.Emails, "emails", false, j => j.Emails, (j, v) => j.Emails = v, JobWire.Of);

    public static JobField Filelog { get; } = JobField.Of(JobFieldNames.Filelog, "filelog", true, j => j.FileLog, (j, v) => j.FileLog = v, Flag);

    public static JobField FilelogStdout { get; } = JobField.Of(JobFieldNames.FilelogStdout, "filelog-stdout", true, j => j.StdoutPath, (j, v) => j.StdoutPath = v);

    public static JobField FilelogStderr { get; } = JobField.Of(JobFieldNames.FilelogStderr, "filelog-stderr", true, j => j.StderrPath, (j, v) => j.StderrPath = v);

    public static JobField MergeOutput { get; } = JobField.Of(JobFieldNames.MergeOutput, "merge-output", true, j => j.MergeOutput, (j, v) => j.MergeOutput = v, Flag);

    public static JobField GracePeriod { get; } = JobField.Of(JobFieldNames.GracePeriod, "grace-period", false, j => j.GracePeriodSeconds, (j, v) => j.GracePeriodSeconds = v, Number);

    public static JobField Restart { get; } = JobField.Of(JobFieldNames.Restart, "restart", false, j => j.Restart, (j, v) => j.Restart = v, JobWire.Of);

    public static JobField Replicas { get; } = JobField.Of(JobFieldNames.Replicas, "replicas", false, j => j.Replicas, (j, v) => j.Replicas = v, Number);

    /// <summary>The port: none, 0 (one assigned to each run in $PORT) or a fixed one; two columns of the entity.</summary>
    public static JobField Port { get; } = JobField.Of(
        JobFieldNames.Port,
        "port",
        true,
        j => j.UsesPort ? j.FixedPort ?? 0 : (int?)null,
        (j, v) =>
        {
            j.UsesPort = v is not null;
            j.FixedPort = v is > 0 ? v : null;
        });

    public static JobField HealthCheckScript { get; } = JobField.Of(JobFieldNames.HealthCheckScript, "health-check-script", true, j => j.HealthCheckScript, (j, v) => j.HealthCheckScript = v);

    public static JobField HealthCheckHttp { get; } = JobField.Of(JobFieldNames.HealthCheckHttp, "health-check-http", true, j => j.HealthCheckHttpPath, (j, v) => j.HealthCheckHttpPath = v);

    public static JobField Schedule { get; } = JobField.Of(JobFieldNames.Schedule, "schedule", false, j => j.Schedule, (j, v) => j.Schedule = v);

    public static JobField Timezone { get; } = JobField.Of(JobFieldNames.Timezone, "timezone", false, j => j.TimeZone, (j, v) => j.TimeZone = v);

    public static JobField Concurrency { get; } = JobField.Of(JobFieldNames.Concurrency, "concurrency", false, j => j.Concurrency, (j, v) => j.Concurrency = v, JobWire.Of);

    public static JobField CatchUp { get; } = JobField.Of(JobFieldNames.CatchUp, "catch-up", false, j => j.CatchUp, (j, v) => j.CatchUp = v, JobWire.Of);

    public static JobField Timeout { get; } = JobField.Of(JobFieldNames.Timeout, "timeout", false, j => j.TimeoutSeconds, (j, v) => j.TimeoutSeconds = v, s => s is { } v ? Duration.Format(TimeSpan.FromSeconds(v)) : "(none)");

    public static JobField WorkingDirectory { get; } = JobField.Of(JobFieldNames.WorkingDirectory, "workdir", true, j => j.WorkingDirectory, (j, v) => j.WorkingDirectory = v);

    public static JobField Umask { get; } = JobField.Of(JobFieldNames.Umask, "umask", true, j => j.Umask, (j, v) => j.Umask = v, u => u is { } v ? FileMask.Format(v) : "(default)");

    public static JobField Environment { get; } = JobField.Of(
        JobFieldNames.Environment,
        "env",
        true,
        j => j.Environment,
        (j, v) => j.Environment = new Dictionary<string, string>(v, StringComparer.Ordinal),
        ShowEnvironment,
        EqualityComparer<Dictionary<string, string>>.Create((a, b) => ShowEnvironment(a!) == ShowEnvironment(b!), d => ShowEnvironment(d).GetHashCode(StringComparison.Ordinal)));

    /// <summary>A web service's type: what its runs start, so a new one needs new runs. Not told in a diff (jobs.yaml declares no web service).</summary>
    public static JobField Webservice { get; } = JobField.Of(JobFieldNames.Webservice, null, true, j => j.Webservice, (j, v) => j.Webservice = v, t => t is { } v ? JobWire.Of(v) : "(none)");

    /// <summary>The proxy reads it for each request: no new runs.</summary>
    public static JobField AllowDotPaths { get; } = JobField.Of(JobFieldNames.AllowDotPaths, null, false, j => j.AllowDotPaths, (j, v) => j.AllowDotPaths = v, Flag);

    /// <summary>Every declared field, in the order a diff tells them.</summary>
    public static IReadOnlyList<JobField> All { get; } =
    [
        Kind, Command, Mem, Cpu, Retry, Queue, Emails, Filelog, FilelogStdout, FilelogStderr, MergeOutput,
        GracePeriod, Restart, Replicas, Port, HealthCheckScript, HealthCheckHttp, Schedule, Timezone,
        Concurrency, CatchUp, Timeout, WorkingDirectory, Umask, Environment, Webservice, AllowDotPaths,
    ];

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";

    private static string ShowEnvironment(Dictionary<string, string> environment) =>
        environment.Count == 0 ? "(none)" : string.Join(",", environment.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
