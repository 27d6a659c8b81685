using Microsoft.Extensions.Time.Testing;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>The ends the jobcomp file named before squeue showed them: read again soon, for a while only.</summary>
public sealed class AwaitedEndsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 20, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_named_end_still_running_in_squeue_is_awaited_until_squeue_shows_it_ended()
    {
        var awaited = new AwaitedEnds(Window);
        awaited.Named([7], _time.GetTimestamp());

        awaited.Read([new BackendRunReport(7, "node1", BackendRunPhase.Running), new BackendRunReport(8, "node2", BackendRunPhase.Running)], _time.GetTimestamp(), _time);
        Assert.True(awaited.Any);
        Assert.True(awaited.Retry < Window);

        awaited.Read([new BackendRunReport(7, "node1", BackendRunPhase.Exited, ExitCode: 0), new BackendRunReport(8, "node2", BackendRunPhase.Running)], _time.GetTimestamp(), _time);
        Assert.False(awaited.Any);
    }

    [Fact]
    public void A_named_run_squeue_no_longer_lists_is_not_awaited()
    {
        var awaited = new AwaitedEnds(Window);
        awaited.Named([7], _time.GetTimestamp());

        awaited.Read([], _time.GetTimestamp(), _time);

        Assert.False(awaited.Any);
    }

    [Fact]
    public void A_run_that_keeps_running_is_awaited_for_the_window_only_as_after_a_forged_line()
    {
        var awaited = new AwaitedEnds(Window);
        var running = new BackendRunReport(7, "node1", BackendRunPhase.Running);
        awaited.Named([7], _time.GetTimestamp());

        _time.Advance(Window - TimeSpan.FromMilliseconds(1));
        awaited.Read([running], _time.GetTimestamp(), _time);
        Assert.True(awaited.Any);

        // Named again by a later line: the first naming still counts.
        awaited.Named([7], _time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        awaited.Read([running], _time.GetTimestamp(), _time);
        Assert.False(awaited.Any);
    }
}
