using System.Globalization;
using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Core.Jobs;

/// <summary>What differs between two declarations of a job, in words (for <c>jobs load --dry-run</c>).</summary>
public static class JobDiff
{
    /// <summary>Each field that differs, as <c>field: old → new</c>; empty when the declarations are the same.</summary>
    public static IReadOnlyList<string> Between(Job old, Job next)
    {
        var changes = new List<string>();
        void Compare<T>(string field, T a, T b, Func<T, string>? show = null)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                show ??= value => value?.ToString() ?? "(none)";
                changes.Add($"{field}: {show(a)} → {show(b)}");
            }
        }

        Compare("kind", old.Kind, next.Kind, Wire.Of);
        Compare("command", old.Command, next.Command);
        Compare("mem", old.MemoryBytes, next.MemoryBytes, MemorySize.Format);
        Compare("cpu", old.CpuMillis, next.CpuMillis, CpuQuantity.Format);
        Compare("retry", old.Retry, next.Retry, Number);
        Compare("queue", old.Queue, next.Queue);
        Compare("emails", old.Emails, next.Emails, Wire.Of);
        Compare("filelog", old.FileLog, next.FileLog, Flag);
        Compare("filelog-stdout", old.StdoutPath, next.StdoutPath);
        Compare("filelog-stderr", old.StderrPath, next.StderrPath);
        Compare("merge-output", old.MergeOutput, next.MergeOutput, Flag);
        Compare("grace-period", old.GracePeriodSeconds, next.GracePeriodSeconds, Number);
        Compare("restart", old.Restart, next.Restart, Wire.Of);
        Compare("replicas", old.Replicas, next.Replicas, Number);
        Compare("port", old.UsesPort ? old.FixedPort ?? 0 : (int?)null, next.UsesPort ? next.FixedPort ?? 0 : (int?)null);
        Compare("health-check-script", old.HealthCheckScript, next.HealthCheckScript);
        Compare("health-check-http", old.HealthCheckHttpPath, next.HealthCheckHttpPath);
        Compare("schedule", old.Schedule, next.Schedule);
        Compare("timezone", old.TimeZone, next.TimeZone);
        Compare("concurrency", old.Concurrency, next.Concurrency, Wire.Of);
        Compare("catch-up", old.CatchUp, next.CatchUp, Wire.Of);
        Compare("timeout", old.TimeoutSeconds, next.TimeoutSeconds, s => s is { } v ? Duration.Format(TimeSpan.FromSeconds(v)) : "(none)");
        Compare("workdir", old.WorkingDirectory, next.WorkingDirectory);
        Compare("umask", old.Umask, next.Umask, u => u is { } v ? Convert.ToString(v, 8) : "(default)");
        Compare("env", Show(old.Environment), Show(next.Environment));
        return changes;
    }

    /// <summary>Takes <paramref name="next"/>'s declaration into <paramref name="job"/>, keeping its identity, history and state.</summary>
    public static void Apply(Job job, Job next, DateTimeOffset now)
    {
        var newRuns = JobRules.NeedsNewRuns(job, next);

        // A new schedule (or zone) starts now: its past due times are not missed ones.
        if (job.Kind != next.Kind || job.Schedule != next.Schedule || job.TimeZone != next.TimeZone)
        {
            job.LastDueAt = next.Schedule is null ? null : now;
        }
        else if (newRuns && job.LastDueAt > now)
        {
            // A run set up ahead of its due time is of the old declaration: it is replaced, and
            // the due time decided again (see ScheduleRules).
            job.LastDueAt = now;
        }

        job.Kind = next.Kind;
        job.Command = next.Command;
        job.MemoryBytes = next.MemoryBytes;
        job.CpuMillis = next.CpuMillis;
        job.Retry = next.Retry;
        job.Queue = next.Queue;
        job.Emails = next.Emails;
        job.FileLog = next.FileLog;
        job.StdoutPath = next.StdoutPath;
        job.StderrPath = next.StderrPath;
        job.MergeOutput = next.MergeOutput;
        job.GracePeriodSeconds = next.GracePeriodSeconds;
        job.Restart = next.Restart;
        job.Replicas = next.Replicas;
        job.UsesPort = next.UsesPort;
        job.FixedPort = next.FixedPort;
        job.HealthCheckScript = next.HealthCheckScript;
        job.HealthCheckHttpPath = next.HealthCheckHttpPath;
        job.Schedule = next.Schedule;
        job.TimeZone = next.TimeZone;
        job.Concurrency = next.Concurrency;
        job.CatchUp = next.CatchUp;
        job.TimeoutSeconds = next.TimeoutSeconds;
        job.WorkingDirectory = next.WorkingDirectory;
        job.Environment = new Dictionary<string, string>(next.Environment, StringComparer.Ordinal);
        job.Umask = next.Umask;
        job.UpdatedAt = now;
        if (newRuns)
        {
            job.Generation++;
            Supervision.Backoff.Reset(job);
        }

        job.Version++;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";

    private static string Show(Dictionary<string, string> environment) =>
        environment.Count == 0 ? "(none)" : string.Join(",", environment.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
