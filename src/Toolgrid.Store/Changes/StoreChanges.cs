namespace Toolgrid.Store.Changes;

/// <summary>
/// Tells the readers in this process what was just written to the store, as soon as it is
/// committed, so that they need not wait for their next poll (the proxy's routes: a tool created
/// a moment ago is served at once).
/// </summary>
/// <remarks>
/// <para>Raised by <see cref="StoreChangeInterceptor"/> for every <c>SaveChanges</c> of a context
/// made by this process's store, after it committed (after the enclosing transaction committed,
/// when there is one). Writes made by another process, and bulk statements
/// (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>), are not seen: readers keep a poll for those.</para>
/// <para>Listeners run on the writer's thread, inside its <c>SaveChanges</c>: they must only
/// take note (wake a loop), never do work or throw.</para>
/// </remarks>
public sealed class StoreChanges
{
    private readonly Lock _gate = new();
    private Action<IReadOnlyList<StoreChange>>[] _listeners = [];

    /// <summary>Calls <paramref name="listener"/> with the rows of each committed save, until the result is disposed.</summary>
    public IDisposable Listen(Action<IReadOnlyList<StoreChange>> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }

        return new Subscription(this, listener);
    }

    internal void Publish(IReadOnlyList<StoreChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener(changes);
        }
    }

    private void Remove(Action<IReadOnlyList<StoreChange>> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => l != listener)];
        }
    }

    private sealed class Subscription(StoreChanges owner, Action<IReadOnlyList<StoreChange>> listener) : IDisposable
    {
        public void Dispose() => owner.Remove(listener);
    }
}
