namespace Toolgrid.Core.Backends;

/// <summary>A node as its backend sees it: what it can hold.</summary>
/// <param name="Name">The node's name (its host name for the local backend).</param>
/// <param name="Queues">The queues the node serves.</param>
/// <param name="MemoryBytes">Memory that runs' limits may add up to (the host's, overcommitted).</param>
/// <param name="CpuMillis">CPU that runs' limits may add up to, in millicores (the host's, overcommitted).</param>
/// <param name="Slots">How many runs may be on it at once.</param>
/// <param name="Up">Whether it takes new runs.</param>
/// <param name="FirstPort">The first port runs may be given in <c>$PORT</c> on this node.</param>
/// <param name="LastPort">The last such port.</param>
/// <param name="Address">The address the proxy reaches this node's runs at.</param>
/// <param name="HostMemoryBytes">The host's own memory, before overcommit; null when the backend does not know it.</param>
/// <param name="HostCpuMillis">The host's own CPUs in millicores, before overcommit; null when the backend does not know them.</param>
/// <param name="Drained">Whether it is drained (<see cref="IBackend.DrainAsync"/>, or by the engine's admin): it keeps its runs and takes no new ones; <paramref name="Up"/> is then false.</param>
/// <param name="LoadAverage">Its load average; null when the backend does not know it.</param>
public sealed record NodeCapacity(
    string Name,
    IReadOnlyList<string> Queues,
    long MemoryBytes,
    int CpuMillis,
    int Slots,
    bool Up,
    int FirstPort = 20000,
    int LastPort = 29999,
    string Address = "127.0.0.1",
    long? HostMemoryBytes = null,
    int? HostCpuMillis = null,
    bool Drained = false,
    double? LoadAverage = null);
