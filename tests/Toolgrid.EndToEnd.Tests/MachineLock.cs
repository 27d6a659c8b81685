namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// One end-to-end platform per machine at a time: each removes the others' leftovers (users with
/// the test prefix, the cgroup parent) when it starts, so test processes take turns. The lock is
/// a file locked for as long as this process has a platform up (the kernel drops it if the
/// process dies).
/// </summary>
internal static class MachineLock
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static FileStream? _held;
    private static int _holders;

    public static async Task AcquireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_holders++ > 0)
            {
                return;
            }

            var deadline = TimeProvider.System.GetUtcNow().AddMinutes(30);
            while (true)
            {
                try
                {
                    _held = new FileStream(Path.Combine(Path.GetTempPath(), "tge2e.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return;
                }
                catch (IOException) when (TimeProvider.System.GetUtcNow() < deadline)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System);
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    public static void Release()
    {
        Gate.Wait();
        try
        {
            if (--_holders == 0)
            {
                _held?.Dispose();
                _held = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
