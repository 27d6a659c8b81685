using System.Diagnostics;
using Toolgrid.Bench.Native;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Floor;

/// <summary>
/// What a durable write costs on the file system that holds the state directory: the store's
/// commits (SQLite WAL, synchronous=FULL), the run's spec, and the shepherd's <c>started</c> file
/// all pay it on the way from submit to start.
/// </summary>
internal static class FsyncFloor
{
    /// <summary>Appends 4 KiB and fsyncs, <paramref name="samples"/> times (what a WAL commit does).</summary>
    public static Distribution Append(string directory, int samples)
    {
        var path = Path.Combine(directory, "fsync-probe");
        var block = new byte[4096];
        var latencies = new List<double>();
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            for (var i = 0; i < samples; i++)
            {
                stream.Write(block);
                var t = Stopwatch.GetTimestamp();
                stream.Flush(flushToDisk: true);
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }

        File.Delete(path);
        return Distribution.Of(latencies);
    }

    /// <summary>Write a small file, fsync, rename it into place, fsync the directory: the shepherd's way of writing <c>started</c>.</summary>
    public static Distribution WholeFile(string directory, int samples)
    {
        var latencies = new List<double>();
        var target = Path.Combine(directory, "started-probe");
        for (var i = 0; i < samples; i++)
        {
            var temporary = target + ".tmp";
            var t = Stopwatch.GetTimestamp();
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write("version=1\npid=12345\nstarted_at_ns=1\n"u8);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
            Posix.SyncDirectory(directory);
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        File.Delete(target);
        return Distribution.Of(latencies);
    }
}
