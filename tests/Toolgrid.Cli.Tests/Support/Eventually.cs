namespace Toolgrid.Cli.Tests.Support;

/// <summary>Waits on real time for something another thread does; the timeout only catches hangs.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Generous;
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "timed out waiting for " + what);
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }

    /// <summary>Moves <paramref name="time"/> on a second at a time until <paramref name="task"/> completes.</summary>
    public static async Task AdvanceUntilDoneAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, Task task)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Generous;
        while (!task.IsCompleted)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "timed out advancing the clock");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }
}
