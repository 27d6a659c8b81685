using System.Globalization;
using Toolgrid.Bench.Native;

namespace Toolgrid.Bench.Server;

/// <summary>
/// One benchmark run's hold on its names: its directory, the lock in it that says the run is
/// alive, and its slot of uids. Taking a claim first removes the leftovers of dead runs, never
/// those of live ones; disposing it removes everything the run made.
/// </summary>
/// <remarks>
/// Claims are taken and given back under <see cref="BenchNames.HostLock"/>, so that a run's
/// directory is never seen without its lock held, and two runs never pick the same slot.
/// </remarks>
internal sealed class RunClaim : IAsyncDisposable
{
    private readonly FileLock _alive;

    private RunClaim(BenchNames names, FileLock alive)
    {
        Names = names;
        _alive = alive;
    }

    public BenchNames Names { get; }

    public static async Task<RunClaim> TakeAsync(CancellationToken cancellationToken)
    {
        using var host = await FileLock.TakeAsync(BenchNames.HostLock, cancellationToken);
        await Leftovers.RemoveDeadAsync(cancellationToken);

        var taken = Directory.GetDirectories(BenchNames.TempRoot, BenchNames.RunPrefix + "*")
            .Select(d => BenchNames.Of(Path.GetFileName(d)[BenchNames.RunPrefix.Length..]).Slot)
            .ToHashSet();
        var slot = Enumerable.Range(0, BenchNames.Slots).Where(s => !taken.Contains(s)).DefaultIfEmpty(-1).First();
        if (slot < 0)
        {
            throw new InvalidOperationException($"{BenchNames.Slots} benchmark runs are already running on this host ({BenchNames.TempRoot}/{BenchNames.RunPrefix}*): wait for one to end.");
        }

        var names = BenchNames.New(slot);
        Directory.CreateDirectory(names.Root);
        File.SetUnixFileMode(names.Root, (UnixFileMode)0b111_101_101);
        var alive = FileLock.TryTake(names.LockFile) ?? throw new InvalidOperationException($"{names.LockFile} is locked by another process");
        await File.WriteAllTextAsync(names.SlotFile, slot.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return new RunClaim(names, alive);
    }

    /// <summary>Removes everything the run made (also after a failure or Ctrl-C), then lets go of its lock.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var host = await FileLock.TakeAsync(BenchNames.HostLock, CancellationToken.None);
            await Leftovers.RemoveAsync(Names, CancellationToken.None);
        }
        finally
        {
            _alive.Dispose();
        }
    }
}
