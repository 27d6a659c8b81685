namespace Toolgrid.Tests.Grid;

/// <summary>Waits for a condition on a real cluster, with a patience that only catches a hang.</summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<T> FoundAsync<T>(string what, Func<Task<T?>> probe)
        where T : class
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < Patience)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, CancellationToken.None);
        }

        throw new TimeoutException($"no {what} within {Patience.TotalSeconds} s");
    }
}
