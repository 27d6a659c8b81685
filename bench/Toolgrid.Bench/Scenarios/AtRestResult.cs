namespace Toolgrid.Bench.Scenarios;

/// <summary>A fresh toolgridd with every role and no jobs: what it holds and spends doing nothing.</summary>
/// <param name="StartSeconds">Start of the process to its "is up" and an answer on its socket.</param>
/// <param name="RssUpBytes">VmRSS once up.</param>
/// <param name="RssBytes">VmRSS after the idle window.</param>
/// <param name="AnonBytes">RssAnon after the idle window (the GC heap, native heaps, JIT-compiled code).</param>
/// <param name="FileBytes">RssFile after the idle window (mapped assemblies and libraries, shared with other .NET processes).</param>
/// <param name="ShmemBytes">RssShmem after the idle window (the runtime's executable memory, mapped twice under W^X).</param>
/// <param name="Idle">The idle window.</param>
/// <param name="IdleCpuSeconds">toolgridd's CPU time over the idle window.</param>
internal sealed record AtRestResult(
    double StartSeconds,
    long RssUpBytes,
    long RssBytes,
    long AnonBytes,
    long FileBytes,
    long ShmemBytes,
    TimeSpan Idle,
    double IdleCpuSeconds);
