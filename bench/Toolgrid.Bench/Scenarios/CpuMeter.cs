using Toolgrid.Bench.Server;

namespace Toolgrid.Bench.Scenarios;

/// <summary>Reads the CPU counters at the start of a scenario and turns them into <see cref="CpuShares"/> at its end.</summary>
internal sealed class CpuMeter
{
    private readonly BenchServer _server;
    private readonly long _started;
    private readonly (long Busy, long Total) _machine;
    private readonly double _serverSeconds;
    private readonly double? _platformSeconds;
    private readonly double _benchSeconds;

    private CpuMeter(BenchServer server)
    {
        _server = server;
        _started = TimeProvider.System.GetTimestamp();
        _machine = ProcFs.MachineCpu();
        _serverSeconds = ProcFs.CpuSeconds(server.Pid);
        _platformSeconds = server.Cpu?.Seconds();
        _benchSeconds = ProcFs.CpuSeconds(Environment.ProcessId);
    }

    public static CpuMeter Start(BenchServer server) => new(server);

    public CpuShares Stop()
    {
        var machine = ProcFs.MachineCpu();
        return new CpuShares(
            TimeProvider.System.GetElapsedTime(_started).TotalSeconds,
            Environment.ProcessorCount,
            (machine.Busy - _machine.Busy) / 100.0,
            ProcFs.CpuSeconds(_server.Pid) - _serverSeconds,
            _server.Cpu?.Seconds() - _platformSeconds,
            ProcFs.CpuSeconds(Environment.ProcessId) - _benchSeconds);
    }
}
