namespace Toolgrid.Core.Api;

/// <summary><c>POST /api/v1/tools/{tool}/jobs</c>: declare a job and queue its first run.</summary>
/// <remarks>Unknown fields are refused, never ignored.</remarks>
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
}
