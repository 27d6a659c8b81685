using System.Diagnostics;
using System.Globalization;
using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Native;

namespace Toolgrid.Bench.Server;

/// <summary><c>perf record -g</c> of one process while a scenario runs, then perf's report of where its CPU time went.</summary>
internal sealed class PerfRecording
{
    private readonly Process _perf;
    private readonly string _data;

    private PerfRecording(Process perf, string data)
    {
        _perf = perf;
        _data = data;
    }

    public static PerfRecording? Start(int pid, string directory)
    {
        if (!File.Exists("/usr/bin/perf"))
        {
            return null;
        }

        var data = Path.Combine(directory, "perf.data");
        var info = new ProcessStartInfo("/usr/bin/perf") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "record", "-F", "499", "-g", "-o", data, "-p", pid.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        return new PerfRecording(Process.Start(info) ?? throw new InvalidOperationException("perf did not start"), data);
    }

    /// <summary>Stops the recording (SIGINT, as perf expects) and writes the flat and the inclusive reports beside the data.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Posix.Kill(_perf.Id, 2);
        await _perf.WaitForExitAsync(cancellationToken);
        _perf.Dispose();
        var directory = Path.GetDirectoryName(_data)!;
        foreach (var (name, children) in new[] { ("perf-self.txt", "--no-children"), ("perf-children.txt", "--children") })
        {
            var (_, report) = await ExternalCommand.RunAsync(
                "/usr/bin/perf",
                ["report", "-i", _data, children, "--stdio", "--sort", "dso,sym", "--percent-limit", "0.5", "-g", "none"],
                cancellationToken,
                TimeSpan.FromMinutes(3));
            await File.WriteAllTextAsync(Path.Combine(directory, name), report, cancellationToken);
        }
    }
}
