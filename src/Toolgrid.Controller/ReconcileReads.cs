using Microsoft.EntityFrameworkCore;
using Toolgrid.Core.Runs;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>
/// The active runs the reconcile compares with the backend: read from the store again only when
/// something was committed to it since the last read (<see cref="StoreCommits"/>, its own
/// connection), else those of the last read, which are still what the store holds.
/// </summary>
/// <remarks>
/// The reconcile runs every 30 s; with hundreds of continuous runs that only run, each read
/// of them all was most of an idle controller's work. The commit counter is asked before the
/// read, so a commit made during or after it is seen at the next call. One caller at a time
/// (the supervisor loop).
/// </remarks>
public sealed class ReconcileReads(IDbContextFactory<ToolgridDbContext> contexts, SnapshotReader reader) : IAsyncDisposable
{
    private readonly StoreCommits _commits = new(contexts);
    private IReadOnlyList<Run>? _active;

    /// <summary>The runs queued, starting or running, as the store holds them now.</summary>
    public async Task<IReadOnlyList<Run>> ActiveRunsAsync(CancellationToken cancellationToken)
    {
        // Unknown until the ask and, when it is needed, the read have succeeded.
        var known = _active;
        _active = null;
        var changed = await _commits.SinceLastAskedAsync(cancellationToken);
        _active = changed || known is null ? await reader.ActiveRunsAsync(cancellationToken) : known;
        return _active;
    }

    public ValueTask DisposeAsync() => _commits.DisposeAsync();
}
