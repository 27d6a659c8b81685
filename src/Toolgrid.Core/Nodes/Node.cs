namespace Toolgrid.Core.Nodes;

/// <summary>An execution host as last seen by the controller.</summary>
public sealed class Node
{
    public required string Name { get; set; }

    public NodeState State { get; set; }

    /// <summary>The backend that runs runs on it: local, gridengine, slurm.</summary>
    public required string Backend { get; set; }

    /// <summary>The queues it serves, comma-separated.</summary>
    public string Queues { get; set; } = Jobs.Queues.Default;

    /// <summary>Memory that runs' limits may add up to on it: its own, times the overcommit its backend allows.</summary>
    public long MemoryBytes { get; set; }

    /// <summary>CPU that runs' limits may add up to on it, in millicores: its own, times the overcommit.</summary>
    public int CpuMillis { get; set; }

    /// <summary>The host's own memory, where its backend knows it (before any overcommit).</summary>
    public long? HostMemoryBytes { get; set; }

    /// <summary>The host's own CPUs, in millicores (1000 a core), where its backend knows them.</summary>
    public int? HostCpuMillis { get; set; }

    public int Slots { get; set; }

    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>Its load average as its backend last reported it; null where the backend does not know it.</summary>
    public double? LoadAverage { get; set; }

    /// <summary>Why an admin drained it (<c>toolgrid nodes drain</c>); null when it is not drained.</summary>
    /// <remarks>The drain is desired state: the controller keeps the backend's own drain in line with it.</remarks>
    public string? DrainReason { get; set; }

    /// <summary>When it was drained; null when it is not.</summary>
    public DateTimeOffset? DrainedAt { get; set; }

    /// <summary>Who drained it.</summary>
    public string? DrainedBy { get; set; }

    /// <summary>
    /// Whether the controller has drained it in the backend's engine (and so must undo that when
    /// the drain is lifted). A drain an engine admin made by hand is never undone by Toolgrid.
    /// </summary>
    public bool EngineDrained { get; set; }

    /// <summary>Whether an admin drained it.</summary>
    public bool IsDrained => DrainedAt is not null;
}
