using System.Diagnostics;
using System.Globalization;
using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Native;

namespace Toolgrid.Bench.Server;

/// <summary>
/// <c>perf record -g</c> of toolgridd and everything it starts while a scenario runs, read back
/// with <c>perf script</c> into a <see cref="CpuProfile"/>. toolgridd must have been started with
/// a perf map (<see cref="BenchServer.StartAsync"/>'s <c>perfMap</c>) for its JIT-compiled methods to have names.
/// </summary>
internal sealed class PerfRecording
{
    private readonly Process _perf;
    private readonly string _data;

    private PerfRecording(Process perf, string data)
    {
        _perf = perf;
        _data = data;
    }

    public static bool Available => File.Exists("/usr/bin/perf");

    public static PerfRecording Start(int pid, string directory)
    {
        var data = Path.Combine(directory, "perf.data");
        var info = new ProcessStartInfo("/usr/bin/perf") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "record", "-F", "499", "-g", "-e", "cpu-clock", "-o", data, "-p", pid.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        return new PerfRecording(Process.Start(info) ?? throw new InvalidOperationException("perf did not start"), data);
    }

    /// <summary>Stops the recording (SIGINT, as perf expects) and classifies its samples.</summary>
    public async Task<CpuProfile> StopAsync(CancellationToken cancellationToken)
    {
        Posix.Kill(_perf.Id, 2);
        await _perf.WaitForExitAsync(cancellationToken);
        _perf.Dispose();
        var (code, script) = await ExternalCommand.RunAsync(
            "/usr/bin/perf",
            ["script", "-i", _data, "-F", "comm,ip,sym"],
            cancellationToken,
            TimeSpan.FromMinutes(3));
        return code == 0
            ? CpuProfile.Parse(script)
            : throw new InvalidOperationException($"perf script failed ({code}): {script[..Math.Min(script.Length, 500)]}");
    }
}
