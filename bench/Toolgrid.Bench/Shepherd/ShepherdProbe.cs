using System.Diagnostics;
using System.Globalization;
using System.Text;
using Toolgrid.Bench.Floor;
using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Native;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Shepherd;

/// <summary>
/// The local backend's shepherd alone, without toolgridd: run files written here the way
/// LocalBackend writes them (src/Toolgrid.Backends.Local/README.md), <c>tg-shepherd RUNFILE</c>
/// spawned, and the time until the launcher exits (which it does once the command runs). Once
/// isolated and once back to back, and once under strace for where the time goes.
/// </summary>
internal sealed class ShepherdProbe(string shepherdPath, string directory, string cgroupParent, int uid, string user, string home)
{
    private long _nextRunId = 900_000_000;

    public async Task<ShepherdProbeResult> MeasureAsync(int count, TimeSpan gap, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var isolated = new List<ShepherdLaunch>();
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(gap, TimeProvider.System, cancellationToken);
            isolated.Add(await LaunchAsync(cancellationToken));
        }

        var burst = new List<ShepherdLaunch>();
        for (var i = 0; i < count; i++)
        {
            burst.Add(await LaunchAsync(cancellationToken));
        }

        await Task.Delay(gap, TimeProvider.System, cancellationToken);
        var trace = await StraceAsync(cancellationToken);
        return new ShepherdProbeResult(
            Distribution.Of(isolated.Select(l => l.LaunchMs)),
            Distribution.Of(isolated.Select(l => l.SetupMs)),
            Distribution.Of(isolated.Select(l => l.AfterStartMs)),
            Distribution.Of(burst.Select(l => l.LaunchMs)),
            trace);
    }

    private async Task<ShepherdLaunch> LaunchAsync(CancellationToken cancellationToken)
    {
        var run = CreateRun();
        var before = TimeProvider.System.GetUtcNow();
        var begun = Stopwatch.GetTimestamp();
        var status = Posix.Wait(Posix.Spawn(shepherdPath, [run]));
        var launchMs = Stopwatch.GetElapsedTime(begun).TotalMilliseconds;
        if (status != 0)
        {
            throw new InvalidOperationException($"tg-shepherd {run} exited with status {status}");
        }

        var started = ReadRecord(run, "started")?.GetValueOrDefault("started_at_ns") ?? throw new InvalidOperationException($"{run} has no started record");
        await WaitForExitAsync(run, cancellationToken);
        var startedAt = UnixNanoseconds.Parse(started);
        var setupMs = (startedAt - before).TotalMilliseconds;
        return new ShepherdLaunch(launchMs, setupMs, launchMs - setupMs);
    }

    /// <summary>One isolated launch under <c>strace -f -tt -T</c>: its system calls that took 0.5 ms or more, in order.</summary>
    private async Task<ShepherdTrace?> StraceAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists("/usr/bin/strace"))
        {
            return null;
        }

        var run = CreateRun();
        var output = Path.Combine(directory, "strace.txt");
        var (code, text) = await ExternalCommand.RunAsync("/usr/bin/strace", ["-f", "-tt", "-T", "-qq", "-o", output, shepherdPath, run], cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"strace tg-shepherd exited with {code}: {text}");
        }

        await WaitForExitAsync(run, cancellationToken);
        return ShepherdTrace.Parse(await File.ReadAllLinesAsync(output, cancellationToken));
    }

    private static async Task WaitForExitAsync(string run, CancellationToken cancellationToken)
    {
        var begun = Stopwatch.GetTimestamp();
        while (ReadRecord(run, "exit") is null)
        {
            if (Stopwatch.GetElapsedTime(begun) > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{run} has no exit after 30 s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>A run file as LocalBackend.StartAsync writes it: the header and the spec record, made durable, then renamed into place.</summary>
    private string CreateRun()
    {
        var runId = Interlocked.Increment(ref _nextRunId).ToString(CultureInfo.InvariantCulture);
        var run = Path.Combine(directory, runId);
        var spec = new StringBuilder();
        Add("tg-shepherd-run", "2");
        Add("spec", "1");
        Add("run_id", runId);
        Add("command", "true");
        Add("uid", uid.ToString(CultureInfo.InvariantCulture));
        Add("gid", uid.ToString(CultureInfo.InvariantCulture));
        Add("user", user);
        Add("home", home);
        Add("shell", "/bin/sh");
        Add("group", uid.ToString(CultureInfo.InvariantCulture));
        Add("env", "PATH=/usr/local/bin:/usr/bin:/bin");
        Add("memory_bytes", (512L * 1024 * 1024).ToString(CultureInfo.InvariantCulture));
        Add("cpu_millis", "500");
        Add("max_processes", "512");
        Add("stdout", Path.Combine(home, "shepherd-probe.out"));
        Add("stderr", Path.Combine(home, "shepherd-probe.err"));
        Add("timeout_ms", "0");
        Add("grace_ms", "15000");
        Add("cgroups", "auto");
        Add("cgroup_parent", cgroupParent);
        Add("notify_socket", string.Empty);
        Add("end", "spec");
        var temporary = Path.Combine(directory, $".new-{runId}");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(spec.ToString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, run);
        return run;

        void Add(string key, string value) => spec.Append(key).Append('\0').Append(value).Append('\0');
    }

    /// <summary>The pairs of the run file's complete record of this kind, or null when it has none (yet).</summary>
    private static Dictionary<string, string>? ReadRecord(string run, string kind)
    {
        var tokens = Encoding.UTF8.GetString(Posix.ReadAll(run) ?? []).Split('\0');
        for (var i = 0; i + 1 < tokens.Length; i += 2)
        {
            if (tokens[i] != kind)
            {
                continue;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var j = i + 2; j + 1 < tokens.Length - 1; j += 2)
            {
                if (tokens[j] == "end" && tokens[j + 1] == kind)
                {
                    return values;
                }

                values[tokens[j]] = tokens[j + 1];
            }
        }

        return null;
    }
}
