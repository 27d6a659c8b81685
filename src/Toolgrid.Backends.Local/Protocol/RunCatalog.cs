using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>
/// The runs of the run directory: each run's file (or, for a run started before an upgrade, its
/// directory), and a descriptor on the file of each live run, so that a run whose file is deleted
/// under it is still read (<see cref="RunFileHandles"/>).
/// </summary>
internal sealed partial class RunCatalog(string runDirectory, ILogger logger) : IDisposable
{
    private readonly RunFileHandles _handles = new();
    private readonly ConcurrentDictionary<long, bool> _unlinkedSeen = new();

    /// <summary>The directory that holds one run file per run.</summary>
    public string RunDirectory { get; } = runDirectory;

    /// <summary>Takes descriptors on the runs whose files were deleted while no toolgridd watched, their shepherds still going.</summary>
    public void AdoptDeleted() => _handles.AdoptAll(RunDirectory);

    /// <summary>Takes a descriptor on the file of run <paramref name="runId"/> from process <paramref name="pid"/>, if that is its shepherd.</summary>
    public bool TryAdopt(long runId, int pid) => _handles.TryAdopt(runId, pid, RunDirectory);

    /// <summary>The run's file or directory; for a run file deleted under its run, the descriptor the backend keeps on it.</summary>
    public RunEntry? Find(long runId) =>
        RunEntry.Find(RunDirectory, runId) ?? (_handles.Get(runId) is { } handle ? new RunFile(RunDirectory, runId, handle) : null);

    /// <summary>The ids of the runs: their files, the directories of runs started before an upgrade, and the files deleted under their runs.</summary>
    public IEnumerable<long> RunIds()
    {
        var seen = new HashSet<long>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(RunDirectory))
        {
            if (RunEntry.TryParseRunId(Path.GetFileName(entry), out var runId) && seen.Add(runId))
            {
                yield return runId;
            }
        }

        // Run files deleted under their runs, still read through the backend's descriptors.
        foreach (var runId in _handles.RunIds.Where(seen.Add).ToList())
        {
            yield return runId;
        }
    }

    /// <summary>Logs, once per run, that the run is read through a descriptor because its file was deleted.</summary>
    public void NoteDeleted(RunEntry run)
    {
        if (run is RunFile { IsUnlinked: true } unlinked && _unlinkedSeen.TryAdd(run.RunId, true))
        {
            Log.RunFileDeleted(logger, run.RunId, unlinked.Path);
        }
    }

    /// <summary>Keeps a descriptor on the file of a run a shepherd has, so that the run is still read should its file be deleted.</summary>
    public void KeepLive(RunEntry run)
    {
        if (run is RunFile { IsUnlinked: false } file)
        {
            _handles.Keep(run.RunId, file.Path);
        }
    }

    /// <summary>
    /// A run has ended: the descriptor on its file is no longer needed, once a file deleted under
    /// the run has its name back (with its exit, so that a restarted toolgridd reads it too).
    /// </summary>
    public void KeepEnded(RunEntry run)
    {
        if (run is not RunFile { IsUnlinked: true } file)
        {
            _handles.Release(run.RunId);
            return;
        }

        try
        {
            if (file.ReadData() is { } data && RunFileFormat.Parse(data) is { Exit: not null } contents)
            {
                file.Restore(contents, data);
                _handles.Release(run.RunId);
                Log.RunFileRestored(logger, run.RunId, file.Path);
            }
        }
        catch (IOException e)
        {
            // Read through the descriptor until it can be written (a full disk, say).
            Log.RunFileNotRestored(logger, run.RunId, file.Path, e);
        }
    }

    /// <summary>Lets go of what is kept for a run whose files were removed.</summary>
    public void Forget(long runId)
    {
        _handles.Release(runId);
        _unlinkedSeen.TryRemove(runId, out _);
    }

    public void Dispose() => _handles.Dispose();
}
