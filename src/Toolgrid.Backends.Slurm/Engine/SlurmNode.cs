namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>A node as <c>sinfo --json</c> reports it.</summary>
/// <param name="Name">The node's name (<c>NodeName</c>).</param>
/// <param name="Address">The address slurmctld reaches it at (<c>NodeAddr</c>).</param>
/// <param name="State">Its base state, lower case: <c>idle</c>, <c>mixed</c>, <c>allocated</c>, <c>down</c>, <c>unknown</c>…</param>
/// <param name="Flags">Its state flags: <c>DRAIN</c>, <c>NOT_RESPONDING</c>, <c>COMPLETING</c>…</param>
/// <param name="Reason">Why it is drained or down, as the admin or slurmctld said it; empty when it is not.</param>
/// <param name="Partitions">The partitions it is in.</param>
/// <param name="Cpus">Its CPUs.</param>
/// <param name="AllocatedCpus">CPUs its jobs hold.</param>
/// <param name="MemoryMegabytes">Its memory (<c>RealMemory</c>), in MB.</param>
/// <param name="AllocatedMemoryMegabytes">Memory its jobs hold, in MB.</param>
/// <param name="Load">Its load average; null when the node did not report one.</param>
public sealed record SlurmNode(
    string Name,
    string Address,
    string State,
    IReadOnlyList<string> Flags,
    string Reason,
    IReadOnlyList<string> Partitions,
    int Cpus,
    int AllocatedCpus,
    long MemoryMegabytes,
    long AllocatedMemoryMegabytes,
    double? Load)
{
    private static readonly HashSet<string> WorkingStates = ["idle", "mixed", "allocated", "completing"];
    private static readonly HashSet<string> StoppingFlags = ["DRAIN", "NOT_RESPONDING", "FAIL", "MAINTENANCE", "POWERED_DOWN", "POWERING_DOWN", "REBOOT_REQUESTED", "REBOOT_ISSUED"];

    /// <summary>Whether it takes new jobs: up, answering, not drained or failing.</summary>
    public bool TakesWork => WorkingStates.Contains(State) && !Flags.Any(StoppingFlags.Contains);

    /// <summary>Whether slurmctld has stopped hearing from it (<c>NOT_RESPONDING</c>, or <c>down</c> with no admin reason).</summary>
    public bool NotResponding => Flags.Contains("NOT_RESPONDING");

    /// <summary>Whether an admin drained it (<c>scontrol update state=drain</c>).</summary>
    public bool Drained => Flags.Contains("DRAIN");
}
