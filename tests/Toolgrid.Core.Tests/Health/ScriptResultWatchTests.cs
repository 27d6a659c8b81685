using Microsoft.Extensions.Time.Testing;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;

namespace Toolgrid.Core.Tests.Health;

/// <summary>What the login host takes from a grid run's result file, tick after tick.</summary>
public sealed class ScriptResultWatchTests
{
    private static readonly HealthCheck Check = new("./check", null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), 3);

    private static readonly TimeSpan Patience = Check.Interval + Check.Timeout + ScriptResultWatch.Margin;

    [Fact]
    public void Each_new_result_is_taken_once_and_the_same_one_read_again_is_not()
    {
        var (time, watch) = Start();

        Assert.Equal(CheckResult.Pass, watch.Observe(new ScriptResult(0, 100)));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(watch.Observe(new ScriptResult(0, 100)));
        Assert.Equal(CheckResult.Fail("the health script exited 1"), watch.Observe(new ScriptResult(1, 200)));
        Assert.Equal(200, watch.LastTime);
    }

    [Fact]
    public void An_older_result_put_back_is_ignored()
    {
        var (_, watch) = Start();
        watch.Observe(new ScriptResult(1, 200));

        Assert.Null(watch.Observe(new ScriptResult(0, 100)));
    }

    [Fact]
    public void No_result_within_interval_timeout_and_margin_says_nothing()
    {
        var (time, watch) = Start();
        time.Advance(Patience);

        Assert.Null(watch.Observe(null));
    }

    [Fact]
    public void No_new_result_for_longer_than_that_is_a_failed_check_saying_the_loop_or_node_is_stuck_once_a_patience()
    {
        var (time, watch) = Start();
        watch.Observe(new ScriptResult(0, 100));
        time.Advance(Patience + TimeSpan.FromSeconds(1));

        var stuck = watch.Observe(new ScriptResult(0, 100));
        var again = watch.Observe(null);
        time.Advance(Patience + TimeSpan.FromSeconds(1));
        var later = watch.Observe(null);

        Assert.False(stuck?.Passed);
        Assert.Equal("no result of the health script came from the node for 25 s (its check loop or the node is stuck)", stuck?.Message);
        Assert.Null(again);
        Assert.Equal(stuck, later);
    }

    [Fact]
    public void A_run_whose_loop_never_wrote_fails_too()
    {
        var (time, watch) = Start();
        time.Advance(Patience + TimeSpan.FromSeconds(1));

        Assert.False(watch.Observe(null)?.Passed);
    }

    [Fact]
    public void Stuck_checks_make_a_ready_run_unhealthy_by_the_usual_threshold()
    {
        var (time, watch) = Start();
        var progress = new HealthProgress(Check, time, time.GetTimestamp());
        progress.Record(watch.Observe(new ScriptResult(0, 100))!);

        for (var i = 0; i < Check.FailureThreshold; i++)
        {
            time.Advance(Patience + TimeSpan.FromSeconds(1));
            progress.Record(watch.Observe(null)!);
        }

        Assert.False(progress.Healthy);
        Assert.StartsWith("no result of the health script came from the node", progress.Message, StringComparison.Ordinal);
    }

    private static (FakeTimeProvider Time, ScriptResultWatch Watch) Start()
    {
        var time = new FakeTimeProvider(Sample.Now);
        return (time, new ScriptResultWatch(Check, time, time.GetTimestamp()));
    }
}
