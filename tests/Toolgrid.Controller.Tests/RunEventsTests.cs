namespace Toolgrid.Controller.Tests;

/// <summary><see cref="RunEvents"/>: those who wait on runs (<c>--wait</c>) hear of the next change.</summary>
public sealed class RunEventsTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task NextChange_CompletesOnPublish()
    {
        var events = new RunEvents();
        var next = events.NextChange;
        Assert.False(next.IsCompleted);

        events.Publish();

        await next.WaitAsync(Hang);
    }

    [Fact]
    public void NextChange_TakenAfterAPublish_WaitsForTheNextOne()
    {
        var events = new RunEvents();
        var first = events.NextChange;
        events.Publish();

        var second = events.NextChange;

        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Same(second, events.NextChange);
    }

    [Fact]
    public async Task Publish_WakesEveryWaiter()
    {
        var events = new RunEvents();
        var waiters = Enumerable.Range(0, 5).Select(_ => events.NextChange).ToList();

        events.Publish();

        await Task.WhenAll(waiters).WaitAsync(Hang);
    }
}
