using System.Collections.Concurrent;
using System.Globalization;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>
/// Descriptors the backend keeps on the run files of live runs, so that a run whose file is deleted
/// under it (by hand, by a clean-up script) is still read: its shepherd goes on appending to the
/// same inode, under the same lock, and the backend learns its end from there.
/// </summary>
/// <remarks>
/// A descriptor is kept from when the backend first sees a run started (or held until its due
/// time) until the run is forgotten. A new backend, which kept none, adopts the deleted (or renamed)
/// files of live runs from their shepherds' own descriptors: at start from every process
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

        var fd = UnixFile.Open(path, LibC.OReadOnly | LibC.ONoFollow);
        if (fd >= 0)
        {
            Add(runId, new RunFileHandle(fd));
        }
    }

    /// <summary>
    /// Adopts the file of run <paramref name="runId"/> in <paramref name="runDirectory"/> from process
    /// <paramref name="pid"/>, when that process holds it open and is the shepherd its records name,
    /// whatever the file is called now: deleted, or renamed in that directory. Returns whether it did.
    /// </summary>
    public bool TryAdopt(long runId, int pid, string runDirectory) =>
        RunFilesOf(pid, runDirectory).Any(file => TryOpen(file.Descriptor, runId, pid, file.Path));

    /// <summary>Adopts every deleted run file of <paramref name="runDirectory"/> that a live shepherd holds (at start, when none is kept yet). Returns the runs adopted.</summary>
    public IReadOnlyList<long> AdoptAll(string runDirectory)
    {
        var adopted = new List<long>();
        foreach (var pid in ProcDescriptors.Processes().Where(p => p != Environment.ProcessId))
        {
            foreach (var (descriptor, runId, path, deleted) in RunFilesOf(pid, runDirectory))
            {
                if (deleted && runId is { } id && !_handles.ContainsKey(id) && TryOpen(descriptor, id, pid, path))
                {
                    adopted.Add(id);
                }
            }
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

    /// <summary>
    /// The descriptors of <paramref name="pid"/> open on files in <paramref name="runDirectory"/>: the
    /// run id their name is (null for another name), and whether the file has lost its name.
    /// </summary>
    private static IEnumerable<(string Descriptor, long? RunId, string Path, bool Deleted)> RunFilesOf(int pid, string runDirectory)
    {
        const string DeletedMark = " (deleted)";
        foreach (var (descriptor, target) in ProcDescriptors.Of(pid))
        {
            var deleted = target.EndsWith(DeletedMark, StringComparison.Ordinal);
            var path = deleted ? target[..^DeletedMark.Length] : target;
            if (System.IO.Path.GetDirectoryName(path) == runDirectory)
            {
                yield return (descriptor, RunEntry.TryParseRunId(System.IO.Path.GetFileName(path), out var runId) ? runId : null, path, deleted);
            }
        }
    }

    /// <summary>Opens and keeps <paramref name="descriptor"/> (a <c>/proc/PID/fd/N</c> link: the very inode the shepherd holds), if the file names that shepherd.</summary>
    private bool TryOpen(string descriptor, long runId, int pid, string path)
    {
        // Non-blocking: a FIFO of that name must not hang the scan.
        var fd = UnixFile.Open(descriptor, LibC.OReadOnly | LibC.ONonBlocking);
        if (fd < 0)
        {
            return false;
        }

        var handle = new RunFileHandle(fd);
        if (IsShepherdOf(fd, runId, pid, path))
        {
            Add(runId, handle);
            return true;
        }

        handle.Dispose();
        return false;
    }

    /// <summary>Whether the file behind <paramref name="fd"/> is the run file of <paramref name="runId"/> and names <paramref name="pid"/> (with its start time) as its shepherd.</summary>
    private static bool IsShepherdOf(int fd, long runId, int pid, string path)
    {
        try
        {
            // An ended run needs no adopting: its shepherd is only exiting.
            var contents = RunFileFormat.Parse(UnixFile.ReadAll(fd, path));
            if (contents is null || contents.Exit is not null || contents.Spec?["run_id"].FirstOrDefault() != runId.ToString(CultureInfo.InvariantCulture))
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
