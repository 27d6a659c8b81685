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
    public int GracePeriodSeconds { get; set; } = 15;

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
    public string? EffectiveStderrPath => FileLog ? StderrPath ?? Name + ".err" : null;
}
