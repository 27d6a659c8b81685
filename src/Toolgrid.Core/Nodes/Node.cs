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

    public long MemoryBytes { get; set; }

    public int CpuMillis { get; set; }

    public int Slots { get; set; }

    public DateTimeOffset? LastSeenAt { get; set; }
}
