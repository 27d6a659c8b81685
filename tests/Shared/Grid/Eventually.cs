namespace Toolgrid.Tests.Grid;

/// <summary>Waits for a condition on a real cluster, with a patience that only catches a hang.</summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Waits until <paramref name="probe"/> finds something, for at most <see cref="Patience"/>.</summary>
    public static Task<T> FoundAsync<T>(string what, Func<Task<T?>> probe)
        where T : class =>
        FoundAsync(what, probe, Patience);

    /// <summary>Waits until <paramref name="probe"/> finds something, for at most <paramref name="patience"/> (for an engine whose own timers are longer than <see cref="Patience"/>).</summary>
    public static async Task<T> FoundAsync<T>(string what, Func<Task<T?>> probe, TimeSpan patience)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < patience)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, CancellationToken.None);
        }

        throw new TimeoutException($"no {what} within {patience.TotalSeconds} s");
    }

    /// <summary>Waits until <paramref name="path"/> exists, for at most <see cref="Patience"/>.</summary>
    public static Task FileAsync(string what, string path) =>
        FoundAsync(what, () => Task.FromResult(File.Exists(path) ? path : null));
}
