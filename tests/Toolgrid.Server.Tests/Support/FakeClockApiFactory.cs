using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Toolgrid.Server.Tests.Support;

/// <summary>The API server with a clock the tests move: what waits on time waits on this clock, never on real time.</summary>
public sealed class FakeClockApiFactory : ToolgridApiFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<TimeProvider>(Clock);
}
