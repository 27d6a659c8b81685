using Microsoft.Extensions.Time.Testing;

namespace Toolgrid.Controller.Tests;

/// <summary><see cref="SupervisorSignal"/>: the supervisor waits for a wake-up or its tick, on an injected clock.</summary>
public sealed class SupervisorSignalTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>Only catches hangs.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly SupervisorSignal _signal = new();

    [Fact]
    public async Task WaitAsync_NoWake_ReturnsWhenTheTickHasPassedOnTheClock()
    {
        var wait = _signal.WaitAsync(Tick, _time, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        _time.Advance(Tick - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await wait.WaitAsync(Hang);
    }

    [Fact]
    public async Task WaitAsync_WokenWhileWaiting_ReturnsWithoutTheClockMoving()
    {
        var wait = _signal.WaitAsync(Tick, _time, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        _signal.Wake();

        await wait.WaitAsync(Hang);
    }

    [Fact]
    public async Task WaitAsync_AfterWake_ReturnsAtOnce()
    {
        _signal.Wake();

        var wait = _signal.WaitAsync(Tick, _time, CancellationToken.None);

        Assert.True(wait.IsCompletedSuccessfully);
        await wait;
    }

    [Fact]
    public async Task Wake_ManyInABurst_MakeOnePass()
    {
        _signal.Wake();
        _signal.Wake();
        _signal.Wake();

        await _signal.WaitAsync(Tick, _time, CancellationToken.None).WaitAsync(Hang);
        var second = _signal.WaitAsync(Tick, _time, CancellationToken.None);

        Assert.False(second.IsCompleted);
        _time.Advance(Tick);
        await second.WaitAsync(Hang);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        using var stopping = new CancellationTokenSource();
        var wait = _signal.WaitAsync(Tick, _time, stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Hang));
    }

    [Fact]
    public async Task WaitAsync_AfterATick_StillSeesALaterWake()
    {
        var first = _signal.WaitAsync(Tick, _time, CancellationToken.None);
        _time.Advance(Tick);
        await first.WaitAsync(Hang);

        var second = _signal.WaitAsync(Tick, _time, CancellationToken.None);
        _signal.Wake();

        await second.WaitAsync(Hang);
    }
}
