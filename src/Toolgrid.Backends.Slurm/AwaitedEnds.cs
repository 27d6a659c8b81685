using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Slurm;

/// <summary>
/// The runs whose end the jobcomp file named before <c>squeue</c> showed it: slurmctld writes the
/// line when the batch script's end reaches it and keeps the job <c>COMPLETING</c> until the
/// node's epilog is done, so the read at once can still list it running. Such a run's end is read
/// again soon, for at most <see cref="Window"/> after its line (a line a job's name forged about a
/// running job costs no more than that); after it, the periodic read has it.
/// </summary>
internal sealed class AwaitedEnds(TimeSpan window)
{
    private readonly Dictionary<long, long> _namedAt = [];

    public TimeSpan Window { get; } = window;

    /// <summary>Whether a run's end is awaited: the watch reads again after <see cref="Retry"/>, not a whole interval.</summary>
    public bool Any => _namedAt.Count > 0;

    /// <summary>How soon an awaited end is read again.</summary>
    public TimeSpan Retry => Window / 8;

    /// <summary>The jobcomp file named the ends of <paramref name="runIds"/> at <paramref name="timestamp"/> (the time provider's).</summary>
    public void Named(IEnumerable<long> runIds, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        foreach (var runId in runIds)
        {
            _namedAt.TryAdd(runId, timestamp);
        }
    }

    /// <summary>
    /// What a read showed: a run no longer reported running (ended, lost, forgotten) is no longer
    /// awaited, nor one named longer than <see cref="Window"/> ago.
    /// </summary>
    public void Read(IReadOnlyList<BackendRunReport> reports, long timestamp, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(time);
        var running = reports.Where(r => r.Phase == BackendRunPhase.Running).Select(r => r.RunId).ToHashSet();
        foreach (var (runId, namedAt) in _namedAt.ToList())
        {
            if (!running.Contains(runId) || time.GetElapsedTime(namedAt, timestamp) >= Window)
            {
                _namedAt.Remove(runId);
            }
        }
    }
}
