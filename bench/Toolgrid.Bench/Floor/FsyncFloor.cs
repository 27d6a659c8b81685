using System.Diagnostics;
using Toolgrid.Bench.Native;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Floor;

/// <summary>
/// What a durable write costs on the file system that holds the state directory: the store's
/// commits (SQLite WAL, synchronous=FULL), the run's spec, and the shepherd's started record
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

    /// <summary>Append a small record to a file, fdatasync it, fsync its directory: the shepherd's way of committing its started record.</summary>
    public static Distribution RecordAppend(string directory, int samples)
    {
        var latencies = new List<double>();
        var target = Path.Combine(directory, "started-probe");
        var record = new byte[200];
        using (var stream = new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.None))
        {
            for (var i = 0; i < samples; i++)
            {
                var t = Stopwatch.GetTimestamp();
                stream.Write(record);
                stream.Flush();
                Posix.DataSync(stream.SafeFileHandle);
                Posix.SyncDirectory(directory);
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }

        File.Delete(target);
        return Distribution.Of(latencies);
    }
}
