using Microsoft.Extensions.Time.Testing;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;

namespace Toolgrid.Core.Tests.Health;

/// <summary>The rules of a run's health over its checks, which the local and the grid probers share.</summary>
public sealed class HealthProgressTests
{
    private static readonly HealthCheck Check = new(null, "/healthz", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), 3);

    private static readonly CheckResult Refused = CheckResult.Fail("GET http://node1:20001/healthz: connection refused");

    [Fact]
    public void A_first_pass_makes_the_run_healthy_and_failures_before_it_within_the_startup_timeout_say_nothing()
    {
        var time = new FakeTimeProvider(Sample.Now);
        var progress = new HealthProgress(Check, time, time.GetTimestamp());

        Assert.False(progress.Record(Refused));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(progress.Healthy);
        Assert.True(progress.Record(CheckResult.Pass));

        Assert.True(progress.Healthy);
    }

    [Fact]
    public void No_pass_within_the_startup_timeout_makes_the_run_unhealthy_saying_why()
    {
        var time = new FakeTimeProvider(Sample.Now);
        var progress = new HealthProgress(Check, time, time.GetTimestamp());
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.True(progress.Record(Refused));

        Assert.False(progress.Healthy);
        Assert.Equal("did not pass its startup check within 120 s (GET http://node1:20001/healthz: connection refused)", progress.Message);
    }

    [Fact]
    public void A_ready_run_is_unhealthy_after_the_threshold_of_failures_in_a_row_and_healthy_again_after_a_pass()
    {
        var time = new FakeTimeProvider(Sample.Now);
        var progress = new HealthProgress(Check, time, time.GetTimestamp());
        progress.Record(CheckResult.Pass);

        Assert.False(progress.Record(Refused));
        Assert.False(progress.Record(Refused));
        Assert.True(progress.Record(Refused));
        Assert.Equal("GET http://node1:20001/healthz: connection refused (failed 3 times in a row)", progress.Message);
        Assert.True(progress.Record(CheckResult.Pass));
        Assert.True(progress.Healthy);
    }
}
