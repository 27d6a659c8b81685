namespace Toolgrid.Contracts.Api;

/// <summary>
/// A job as declared: <c>POST /api/v1/tools/{tool}/jobs</c> (declare it and queue its first run),
/// one entry of <c>jobs.yaml</c> (<see cref="JobsApplyRequest"/>).
/// </summary>
/// <remarks>
/// A job with <see cref="Schedule"/> is scheduled; one with <see cref="Continuous"/> is continuous;
/// otherwise it is one-off. Unknown fields are refused, never ignored.
/// </remarks>
public sealed record JobRunRequest
{
    public string? Name { get; init; }

    /// <summary>Run as <c>/bin/sh -c Command</c> as the tool's user in its home.</summary>
    public string? Command { get; init; }

    /// <summary>Memory limit, e.g. "512Mi" (the site's default when omitted).</summary>
    public string? Mem { get; init; }

    /// <summary>CPU limit, e.g. "0.5" or "250m" (the site's default when omitted).</summary>
    public string? Cpu { get; init; }

    /// <summary>How many times a failed run is retried, 0 to 5.</summary>
    public int? Retry { get; init; }

    /// <summary>False discards output (<c>--no-filelog</c>).</summary>
    public bool? Filelog { get; init; }

    /// <summary>Where standard output is appended, inside the tool's home (default <c>&lt;job&gt;.out</c>).</summary>
    public string? FilelogStdout { get; init; }

    /// <summary>Where standard error is appended, inside the tool's home (default <c>&lt;job&gt;.err</c>).</summary>
    public string? FilelogStderr { get; init; }

    /// <summary>Seconds between SIGTERM and SIGKILL when the run is stopped (default 15).</summary>
    public int? GracePeriod { get; init; }

    /// <summary>The queue; <c>default</c> when omitted.</summary>
    public string? Queue { get; init; }

    /// <summary>none, onfailure, onfinish or all.</summary>
    public string? Emails { get; init; }

    /// <summary>Always up: restarted when it ends.</summary>
    public bool? Continuous { get; init; }

    /// <summary>Continuous jobs: <c>always</c> (the default) or <c>on-failure</c>.</summary>
    public string? Restart { get; init; }

    /// <summary>Continuous jobs: how many runs to keep up (default 1).</summary>
    public int? Replicas { get; init; }

    /// <summary>The port the job serves on, given to each run as <c>$PORT</c>; 0 to have one assigned per run.</summary>
    public int? Port { get; init; }

    /// <summary>A command that exits 0 while the job is healthy.</summary>
    public string? HealthCheckScript { get; init; }

    /// <summary>An HTTP path on <c>$PORT</c> that answers 2xx/3xx while the job is healthy.</summary>
    public string? HealthCheckHttp { get; init; }

    /// <summary>Scheduled jobs: five cron fields, or @hourly, @daily, @weekly, @monthly, @yearly.</summary>
    public string? Schedule { get; init; }

    /// <summary>Scheduled jobs: an IANA time zone such as Europe/Berlin (default: the site's).</summary>
    public string? Timezone { get; init; }

    /// <summary>Scheduled jobs: forbid (the default), allow or replace.</summary>
    public string? Concurrency { get; init; }

    /// <summary>Scheduled jobs: once (the default) or skip.</summary>
    public string? CatchUp { get; init; }

    /// <summary>How long a run may take, e.g. 30m, 2h, 90s.</summary>
    public string? Timeout { get; init; }

    /// <summary>The working directory, inside the tool's home (default: the home).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables.</summary>
    public Dictionary<string, string>? Environment { get; init; }

    /// <summary>The file-mode creation mask, in octal, e.g. 022 (default 002).</summary>
    public string? Umask { get; init; }

    /// <summary>Standard error into the standard output file.</summary>
    public bool? MergeOutput { get; init; }
}
