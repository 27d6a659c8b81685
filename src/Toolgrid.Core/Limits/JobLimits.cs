using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Core.Limits;

/// <summary>The site's defaults and ceilings for jobs; an admin may raise the ceilings for one tool.</summary>
/// <remarks>The defaults follow Toolforge: 512Mi and 0.5 CPU per job, at most 4Gi and 1 CPU.</remarks>
public sealed record JobLimits
{
    public long DefaultMemoryBytes { get; init; } = 512 * MemorySize.MiB;

    public int DefaultCpuMillis { get; init; } = 500;

    public long MaxMemoryBytes { get; init; } = 4 * MemorySize.GiB;

    public int MaxCpuMillis { get; init; } = 1000;

    /// <summary>The least memory a job may ask for: below this even a shell does not start.</summary>
    public long MinMemoryBytes { get; init; } = 16 * MemorySize.MiB;

    /// <summary>The least CPU a job may ask for: one period's worth of CFS quota.</summary>
    public int MinCpuMillis { get; init; } = 10;

    /// <summary>How many jobs (of any kind, finished one-offs included until deleted) a tool may have.</summary>
    public int MaxJobs { get; init; } = 16;

    /// <summary>The ceiling on processes and threads in one run, which contains fork bombs.</summary>
    public int MaxProcesses { get; init; } = 512;

    public int MaxRetry { get; init; } = 5;

    /// <summary>The ceilings that apply to <paramref name="tool"/>, with an admin's raises.</summary>
    public JobLimits For(Tool tool) => this with
    {
        MaxMemoryBytes = tool.MaxMemoryBytes ?? MaxMemoryBytes,
        MaxCpuMillis = tool.MaxCpuMillis ?? MaxCpuMillis,
        MaxJobs = tool.MaxJobs ?? MaxJobs,
    };
}
