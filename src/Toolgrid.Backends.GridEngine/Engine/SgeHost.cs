namespace Toolgrid.Backends.GridEngine.Engine;

/// <summary>An execution host as <c>qhost -F h_vmem -xml</c> reports it; a value the host did not report is null.</summary>
/// <param name="Name">The host name.</param>
/// <param name="Processors">Its processors (<c>num_proc</c>).</param>
/// <param name="MemoryTotalBytes">Its memory (<c>mem_total</c>).</param>
/// <param name="MemoryUsedBytes">Memory in use (<c>mem_used</c>); null when the execd is not heard from.</param>
/// <param name="LoadAverage">Its load average; null when the execd is not heard from.</param>
/// <param name="VmemAvailableBytes">The <c>h_vmem</c> jobs may still book on it, when it is a consumable there.</param>
public sealed record SgeHost(
    string Name,
    int? Processors,
    long? MemoryTotalBytes,
    long? MemoryUsedBytes,
    double? LoadAverage,
    long? VmemAvailableBytes);
