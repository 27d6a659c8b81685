using System.Diagnostics;
using Toolgrid.Bench.Native;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Floor;

/// <summary>The machine's floor: how fast <c>/bin/sh -c true</c> can be started and reaped here, with nothing else in the way.</summary>
internal static class SpawnFloor
{
    private static readonly string[] ShTrue = ["-c", "true"];

    /// <summary>posix_spawn + waitpid in a tight loop on one thread, for <paramref name="duration"/>.</summary>
    public static SpawnRate Sequential(TimeSpan duration)
    {
        var latencies = new List<double>();
        var begun = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(begun) < duration || latencies.Count < 50)
        {
            var t = Stopwatch.GetTimestamp();
            Posix.Wait(Posix.Spawn("/bin/sh", ShTrue));
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        return new SpawnRate("posix_spawn, 1 at a time", latencies.Count / Stopwatch.GetElapsedTime(begun).TotalSeconds, Distribution.Of(latencies));
    }

    /// <summary>The same loop on <paramref name="workers"/> threads at once: what all cores together can do.</summary>
    public static SpawnRate Parallel(int workers, TimeSpan duration)
    {
        var latencies = new List<double>[workers];
        var threads = new Thread[workers];
        var begun = Stopwatch.GetTimestamp();
        for (var w = 0; w < workers; w++)
        {
            var mine = latencies[w] = [];
            threads[w] = new Thread(() =>
            {
                while (Stopwatch.GetElapsedTime(begun) < duration)
                {
                    var t = Stopwatch.GetTimestamp();
                    Posix.Wait(Posix.Spawn("/bin/sh", ShTrue));
                    mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            });
            threads[w].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var all = latencies.SelectMany(l => l).ToList();
        return new SpawnRate($"posix_spawn, {workers} at a time", all.Count / Stopwatch.GetElapsedTime(begun).TotalSeconds, Distribution.Of(all));
    }

    /// <summary>System.Diagnostics.Process, for comparison: what a .NET program pays by default.</summary>
    public static SpawnRate ProcessStart(TimeSpan duration)
    {
        var latencies = new List<double>();
        var begun = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(begun) < duration || latencies.Count < 20)
        {
            var t = Stopwatch.GetTimestamp();
            var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("true");
            using (var process = Process.Start(info)!)
            {
                process.WaitForExit();
            }

            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        return new SpawnRate("Process.Start, 1 at a time", latencies.Count / Stopwatch.GetElapsedTime(begun).TotalSeconds, Distribution.Of(latencies));
    }

    /// <summary>
    /// How late <c>date +%s%N</c> reads the clock after its shell was started: the offset to take
    /// off a job's own timestamp to get the moment its <c>/bin/sh</c> was exec'd.
    /// </summary>
    public static Distribution DateOffset(string scratchDirectory, int samples)
    {
        var file = Path.Combine(scratchDirectory, "date-offset");
        var offsets = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var before = TimeProvider.System.GetUtcNow();
            Posix.Wait(Posix.Spawn("/bin/sh", ["-c", $"exec date +%s%N > {file}"]));
            offsets.Add((UnixNanoseconds.Parse(File.ReadAllText(file)) - before).TotalMilliseconds);
        }

        File.Delete(file);
        return Distribution.Of(offsets);
    }
}
