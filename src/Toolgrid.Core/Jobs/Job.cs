using Toolgrid.Contracts.Api;

namespace Toolgrid.Core.Jobs;

/// <summary>A named, declared piece of work of a tool: what should run, with which resources and policies.</summary>
/// <remarks>
/// A job is desired state. Its runs are what was seen. Deleting a job marks it
/// (<see cref="DeletedAt"/>); the controller stops its runs, and only then is it removed, so
/// that no run is left without the job that explains it.
/// </remarks>
public sealed class Job
{
    public long Id { get; set; }

    public required string ToolName { get; set; }

    public required string Name { get; set; }

    public JobKind Kind { get; set; }

    /// <summary>The command, run as <c>/bin/sh -c Command</c> in the tool's home.</summary>
    public required string Command { get; set; }

    public long MemoryBytes { get; set; }

    public int CpuMillis { get; set; }

    /// <summary>How many times a failed one-off run is tried again (0 to 5).</summary>
    public int Retry { get; set; }

    public string Queue { get; set; } = Queues.Default;

    public EmailPolicy Emails { get; set; }

    /// <summary>Whether output goes to files at all (<c>--no-filelog</c> turns it off).</summary>
    public bool FileLog { get; set; } = true;

    /// <summary>Where standard output is appended, relative to the tool's home; null for <c>&lt;job&gt;.out</c>.</summary>
    public string? StdoutPath { get; set; }

    /// <summary>Where standard error is appended, relative to the tool's home; null for <c>&lt;job&gt;.err</c>.</summary>
    public string? StderrPath { get; set; }

    /// <summary>How long a run may take to stop after SIGTERM before it is killed.</summary>
    public int GracePeriodSeconds { get; set; } = JobDefaults.GracePeriodSeconds;

    /// <summary>Continuous jobs: when a run is started again after it ends.</summary>
    public RestartPolicy Restart { get; set; }

    /// <summary>Continuous jobs: how many runs are kept up.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>Whether each run gets a port in <c>$PORT</c>, on which it serves (HTTP health checks and web services go there).</summary>
    public bool UsesPort { get; set; }

    /// <summary>The port the job asked for; null to have one assigned to each run.</summary>
    public int? FixedPort { get; set; }

    /// <summary>A command (run as <c>/bin/sh -c</c> as the tool, in its home) that exits 0 while the run is healthy.</summary>
    public string? HealthCheckScript { get; set; }

    /// <summary>An HTTP path on <c>$PORT</c> that answers 2xx or 3xx while the run is healthy.</summary>
    public string? HealthCheckHttpPath { get; set; }

    /// <summary>Whether its runs have a health check (a script or an HTTP path).</summary>
    public bool HasHealthCheck => HealthCheckScript is not null || HealthCheckHttpPath is not null;

    /// <summary>Scheduled jobs: the schedule as typed (cron fields or a macro such as <c>@daily</c>).</summary>
    public string? Schedule { get; set; }

    /// <summary>Scheduled jobs: the IANA time zone the schedule is read in; null for the site's.</summary>
    public string? TimeZone { get; set; }

    public ConcurrencyPolicy Concurrency { get; set; }

    public CatchUpPolicy CatchUp { get; set; }

    /// <summary>How long a run may take before it is stopped as timed out; null for no limit.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>The working directory, relative to the home; null for the home (grid era: <c>jsub -cwd</c>).</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Extra environment variables (grid era: <c>jsub -v</c>).</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The file-mode creation mask of the run; null for 0002.</summary>
    public int? Umask { get; set; }

    /// <summary>Standard error goes to the standard output file (grid era: <c>jsub -j y</c>).</summary>
    public bool MergeOutput { get; set; }

    /// <summary>Set for a tool's web service (a continuous job the proxy routes to).</summary>
    public WebserviceType? Webservice { get; set; }

    /// <summary>
    /// A web service: the proxy passes on requests for paths with a name that starts with '.'
    /// (<c>/.git/config</c>, <c>/.env</c>), which it otherwise answers 404 itself; see
    /// <c>toolgrid webservice start --allow-dot-paths</c>.
    /// </summary>
    public bool AllowDotPaths { get; set; }

    /// <summary>An interactive job (<c>jobs shell</c>): attached to its caller, deleted when it ends.</summary>
    public bool Interactive { get; set; }

    /// <summary>An interactive job's session has a pseudo-terminal (the caller's is a terminal); otherwise plain pipes.</summary>
    public bool Terminal { get; set; }

    /// <summary>Bumped whenever the job changes in a way that needs new runs; runs of an older generation are replaced, one at a time.</summary>
    public int Generation { get; set; } = 1;

    /// <summary>Continuous jobs: runs that ended in a row without having been healthy for long (the crash-loop count).</summary>
    public int RestartCount { get; set; }

    /// <summary>Continuous jobs: no new run before this (the crash-loop backoff); null for at once.</summary>
    public DateTimeOffset? NextStartAt { get; set; }

    /// <summary>Scheduled jobs: the latest due time that has been dealt with (run, skipped or missed).</summary>
    public DateTimeOffset? LastDueAt { get; set; }

    /// <summary>
    /// Scheduled jobs: when the scheduler must look at the job next, so that a pass reads only the
    /// jobs due by then (see <see cref="Scheduling.ScheduleRules"/>). The controller keeps it at the
    /// job's next due time after <see cref="LastDueAt"/> (<see cref="DateTimeOffset.MaxValue"/> when
    /// there is none); whoever changes the schedule sets it to the time of the change, or to null
    /// (not known yet): either way the next pass looks at the job and works the due time out.
    /// </summary>
    public DateTimeOffset? NextDueAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When a maintainer deleted the job; its runs are being stopped.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Optimistic concurrency: bumped on every change.</summary>
    public int Version { get; set; }

    /// <summary>The file standard output goes to, relative to the home; null when output is discarded.</summary>
    public string? EffectiveStdoutPath => FileLog ? StdoutPath ?? Name + ".out" : null;

    /// <summary>The file standard error goes to, relative to the home; null when output is discarded.</summary>
    public string? EffectiveStderrPath => !FileLog ? null : MergeOutput ? EffectiveStdoutPath : StderrPath ?? Name + ".err";
}
