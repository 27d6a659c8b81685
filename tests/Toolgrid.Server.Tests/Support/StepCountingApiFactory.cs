using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Store;
using Toolgrid.Tests.Store;

namespace Toolgrid.Server.Tests.Support;

/// <summary>
/// The API server with SQLite's steps counted: a request made while <see cref="StepCounter.Measure"/>
/// is in force counts the steps of every statement it runs (TestServer keeps the caller's execution
/// context, so the request runs in the measured flow).
/// </summary>
public sealed class StepCountingApiFactory : ToolgridApiFactory
{
    public StepCounter Steps { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.Configure<TestServerOptions>(o => o.PreserveExecutionContext = true);
        services.ConfigureDbContext<ToolgridDbContext>(o => o.AddInterceptors(Steps));
    }
}
