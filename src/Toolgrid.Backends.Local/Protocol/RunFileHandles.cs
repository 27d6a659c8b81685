using System.Collections.Concurrent;
using Toolgrid.Backends.Local.Native;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>
/// Descriptors the backend keeps on the run files of live runs, so that a run whose file is deleted
/// under it (by hand, by a clean-up script) is still read: its shepherd goes on appending to the
/// same inode, under the same lock, and the backend learns its end from there.
/// </summary>
/// <remarks>
/// A descriptor is kept from when the backend first sees a run started (or held until its due
/// time) until the run is forgotten. A new backend, which kept none, adopts the deleted files of
/// live runs from their shepherds' own descriptors: at start from every process
/// (<see cref="AdoptAll"/>), and later from the parents of the processes in a run's cgroup
/// (<see cref="TryAdopt"/>, see <c>LocalBackend</c>).
/// </remarks>
internal sealed class RunFileHandles : IDisposable
{
    private readonly ConcurrentDictionary<long, RunFileHandle> _handles = new();

    /// <summary>The runs with a kept descriptor.</summary>
    public ICollection<long> RunIds => _handles.Keys;

    public RunFileHandle? Get(long runId) => _handles.GetValueOrDefault(runId);

    /// <summary>Keeps a descriptor on the run's file, unless one is kept already (or the file is gone).</summary>
    public void Keep(long runId, string path)
    {
        if (_handles.ContainsKey(runId))
        {
            return;
        }

        var fd = UnixFile.Open(path, Libc.ORdOnly | Libc.ONoFollow);
        if (fd >= 0)
        {
            Add(runId, new RunFileHandle(fd));
        }
    }

    /// <summary>
    /// Adopts the deleted file of run <paramref name="runId"/> in <paramref name="runDirectory"/>
    /// from process <paramref name="pid"/>, when that process holds it open and is the shepherd its
    /// records name. Returns whether it did.
    /// </summary>
    public bool TryAdopt(long runId, int pid, string runDirectory) =>
        DeletedRunFiles(pid, runDirectory).Any(file => file.RunId == runId && TryOpen(file.Descriptor, runId, pid, file.Path));

    /// <summary>Adopts every deleted run file of <paramref name="runDirectory"/> that a live shepherd holds (at start, when none is kept yet). Returns the runs adopted.</summary>
    public IReadOnlyList<long> AdoptAll(string runDirectory)
    {
        var adopted = new List<long>();
        foreach (var pid in ProcDescriptors.Processes().Where(p => p != Environment.ProcessId))
        {
            adopted.AddRange(DeletedRunFiles(pid, runDirectory)
                .Where(file => !_handles.ContainsKey(file.RunId) && TryOpen(file.Descriptor, file.RunId, pid, file.Path))
                .Select(file => file.RunId));
        }

        return adopted;
    }

    public void Release(long runId)
    {
        if (_handles.TryRemove(runId, out var handle))
        {
            handle.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var runId in _handles.Keys)
        {
            Release(runId);
        }
    }

    /// <summary>The descriptors of <paramref name="pid"/> open on run files of <paramref name="runDirectory"/> that have lost their name.</summary>
    private static IEnumerable<(string Descriptor, long RunId, string Path)> DeletedRunFiles(int pid, string runDirectory)
    {
        const string Deleted = " (deleted)";
        foreach (var (descriptor, target) in ProcDescriptors.Of(pid))
        {
            if (target.EndsWith(Deleted, StringComparison.Ordinal)
                && System.IO.Path.GetDirectoryName(target) == runDirectory
                && RunEntry.TryParseRunId(System.IO.Path.GetFileName(target)[..^Deleted.Length], out var runId))
            {
                yield return (descriptor, runId, target[..^Deleted.Length]);
            }
        }
    }

    /// <summary>Opens and keeps <paramref name="descriptor"/> (a <c>/proc/PID/fd/N</c> link: the very inode the shepherd holds), if the file names that shepherd.</summary>
    private bool TryOpen(string descriptor, long runId, int pid, string path)
    {
        var fd = UnixFile.Open(descriptor, Libc.ORdOnly);
        if (fd < 0)
        {
            return false;
        }

        var handle = new RunFileHandle(fd);
        if (IsShepherdOf(fd, pid, path))
        {
            Add(runId, handle);
            return true;
        }

        handle.Dispose();
        return false;
    }

    /// <summary>Whether the run file behind <paramref name="fd"/> names <paramref name="pid"/> (with its start time) as its shepherd.</summary>
    private static bool IsShepherdOf(int fd, int pid, string path)
    {
        try
        {
            // An ended run needs no adopting: its shepherd is only exiting.
            var contents = RunFileFormat.Parse(UnixFile.ReadAll(fd, path));
            if (contents is null || contents.Exit is not null)
            {
                return false;
            }

            var shepherd = contents.Started is { } started ? (Pid: started.ShepherdPid, StartTime: started.ShepherdStartTime)
                : contents.Waiting is { } waiting ? (Pid: waiting.ShepherdPid, StartTime: waiting.ShepherdStartTime)
                : default;
            return shepherd.Pid == pid && ProcStat.StartTime(pid) == shepherd.StartTime;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Add(long runId, RunFileHandle handle)
    {
        if (!_handles.TryAdd(runId, handle))
        {
            handle.Dispose();
        }
    }
}
