namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>Waits for a condition on the real cluster, with a patience that only catches a hang.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<T> FoundAsync<T>(string what, Func<Task<T?>> probe)
        where T : class
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (TimeProvider.System.GetTimestamp() < deadline)
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
