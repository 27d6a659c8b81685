namespace Toolgrid.Contracts.Api;

/// <summary><c>POST /api/v1/tools</c>: create a tool; the caller becomes its first maintainer.</summary>
public sealed record ToolCreateRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The tool's own mail address, which gets its jobs' mail besides the maintainers; optional.</summary>
    public string? Email { get; init; }
}

/// <summary><c>PATCH /api/v1/tools/{tool}</c>: change a tool's description or mail address. Null leaves a value; an empty email (or "none") removes the address.</summary>
public sealed record ToolUpdate
{
    public string? Description { get; init; }

    public string? Email { get; init; }
}

/// <summary><c>PATCH /api/v1/tools/{tool}/limits</c> (admin): raise or reset a tool's ceilings. Null leaves a value; "default" resets it.</summary>
public sealed record ToolLimitsUpdate
{
    /// <summary>Per-job memory ceiling, e.g. "8Gi", or "default".</summary>
    public string? MaxMemory { get; init; }

    /// <summary>Per-job CPU ceiling, e.g. "2", or "default".</summary>
    public string? MaxCpu { get; init; }

    /// <summary>Number of jobs, e.g. "50", or "default".</summary>
    public string? MaxJobs { get; init; }
}
