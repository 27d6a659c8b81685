using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Toolgrid.Controller.Tests;

public sealed class ControllerOptionsValidatorTests
{
    private static IOptions<ControllerOptions> Options(Action<ControllerOptions> change)
    {
        var services = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .AddToolgridController(active: false);
        services.Configure(change);
        return services.BuildServiceProvider().GetRequiredService<IOptions<ControllerOptions>>();
    }

    [Fact]
    public void Defaults_AreValid() =>
        Assert.Equal(TimeSpan.FromSeconds(30), Options(_ => { }).Value.ScheduleLeadTime);

    [Fact]
    public void BadScheduleSettings_AreRefusedNamingEachProblem()
    {
        var options = Options(o =>
        {
            o.ScheduleLeadTime = TimeSpan.FromMinutes(20);
            o.CatchUpWindow = TimeSpan.FromSeconds(-1);
        });

        var error = Assert.Throws<OptionsValidationException>(() => options.Value);

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("the lead time (00:20:00) must be between 0 and 10 minutes", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("the catch-up window (-00:00:01) must not be negative", StringComparison.Ordinal));
        Assert.All(error.Failures, f => Assert.StartsWith("Toolgrid:Controller: ", f, StringComparison.Ordinal));
    }

    [Fact]
    public void BadHistorySettings_AreRefusedNamingEachProblem()
    {
        var options = Options(o =>
        {
            o.RunHistory = 0;
            o.RunHistoryDays = -1;
        });

        var error = Assert.Throws<OptionsValidationException>(() => options.Value);

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("Toolgrid:Controller:RunHistory must be between 1 and 100000 (it is 0)", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Toolgrid:Controller:RunHistoryDays must be between 0 and 3650 (it is -1)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1025)]
    public void ParallelStartsOutsideTheirRange_AreRefused(int parallelStarts)
    {
        var options = Options(o => o.MaxParallelStarts = parallelStarts);

        var error = Assert.Throws<OptionsValidationException>(() => options.Value);

        Assert.StartsWith($"Toolgrid:Controller:MaxParallelStarts must be between 1 and 1024 (it is {parallelStarts})", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void TheHistoryDefaults_KeepAHundredRunsAndAWeek()
    {
        var options = Options(_ => { }).Value;
        Assert.Equal((100, 7), (options.RunHistory, options.RunHistoryDays));
    }
}
