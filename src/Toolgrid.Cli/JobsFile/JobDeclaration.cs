using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.JobsFile;

/// <summary>A job as the API shows it, turned back into the request that declares it (<c>jobs dump</c>).</summary>
/// <remarks>
/// What is the default for the job's kind is left out (retry 0, one replica, the default queue
/// and files, a 15 s grace period, forbid, once…), so that a dumped file reads like one written
/// by hand, and loading it back declares the same job: <c>dump → load --dry-run</c> says
/// "unchanged" for each. Memory and CPU are always written: they are what the job runs with now,
/// even when they came from the site's defaults.
/// </remarks>
internal static class JobDeclaration
{
    /// <summary>Whether the job belongs in a <c>jobs.yaml</c>: not the tool's web service (managed by <c>webservice</c>), and not being deleted.</summary>
    public static bool IsDeclared(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Webservice is null && !job.Deleting;
    }

    public static JobRunRequest FromView(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var continuous = job.Kind == "continuous";
        var scheduled = job.Kind == "scheduled";
        var discarded = job.FilelogStdout is null && job.FilelogStderr is null;
        var defaultEmails = continuous ? "onfailure" : "none";
        return new JobRunRequest
        {
            Name = job.Name,
            Command = job.Command,
            Continuous = continuous ? true : null,
            Restart = continuous && job.Restart is { } restart && restart != "always" ? restart : null,
            Replicas = continuous && job.Replicas != 1 ? job.Replicas : null,
            Port = job.Port,
            HealthCheckScript = job.HealthCheckScript,
            HealthCheckHttp = job.HealthCheckHttp,
            Schedule = scheduled ? job.Schedule : null,
            Timezone = scheduled ? job.Timezone : null,
            Concurrency = scheduled && job.Concurrency is { } concurrency && concurrency != "forbid" ? concurrency : null,
            CatchUp = scheduled && job.CatchUp is { } catchUp && catchUp != "once" ? catchUp : null,
            Timeout = job.Timeout,
            Mem = job.Mem,
            Cpu = job.Cpu,
            Retry = job.Retry != 0 ? job.Retry : null,
            Emails = job.Emails != defaultEmails ? job.Emails : null,
            Queue = job.Queue != JobDefaults.Queue ? job.Queue : null,
            GracePeriod = job.GracePeriod != JobDefaults.GracePeriodSeconds ? job.GracePeriod : null,
            WorkingDirectory = job.WorkingDirectory,
            Umask = job.Umask,
            Environment = job.Environment is { Count: > 0 } environment ? new Dictionary<string, string>(environment, StringComparer.Ordinal) : null,
            Filelog = discarded ? false : null,
            FilelogStdout = !discarded && job.FilelogStdout is { } stdout && stdout != job.Name + ".out" ? stdout : null,
            FilelogStderr = !discarded && !job.MergeOutput && job.FilelogStderr is { } stderr && stderr != job.Name + ".err" ? stderr : null,
            MergeOutput = job.MergeOutput ? true : null,
        };
    }
}
