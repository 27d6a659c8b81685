using System.Net;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// On a site whose backend is a grid engine, what it cannot run (web services, jobs with a port or
/// a health check, shells) is refused at submit time, every way it can come in, naming the
/// backend and what works instead, and nothing is stored; what it runs is taken.
/// </summary>
public sealed class GridBackendKindsTests(GridBackendApiFactory factory) : IClassFixture<GridBackendApiFactory>
{
    private const string Refused = "the gridengine backend cannot run web services or jobs with a port or a health check";

    [ApiFact]
    public async Task A_web_service_a_job_with_a_port_a_health_check_or_a_shell_is_refused_and_nothing_is_stored()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("gridweb");
        var before = await StoreSnapshot.TakeAsync(factory);

        using var port = await nobody.PostJsonAsync("/api/v1/tools/gridweb/jobs", new { name = "api", command = "./serve", continuous = true, port = 0 });
        using var health = await nobody.PostJsonAsync("/api/v1/tools/gridweb/jobs", new { name = "bot", command = "./bot", continuous = true, healthCheckScript = "./check" });
        using var loaded = await nobody.PostJsonAsync("/api/v1/tools/gridweb/jobs/apply", new { jobs = new[] { new { name = "api", command = "./serve", continuous = true, port = 8080 } } });
        using var web = await nobody.PostJsonAsync("/api/v1/tools/gridweb/webservice", new { command = "./serve" });
        using var shell = await nobody.GetAsync("/api/v1/tools/gridweb/shell");

        Assert.Contains(Refused, (await port.ValidationProblemAsync()).MessageFor("port"), StringComparison.Ordinal);
        Assert.Contains(Refused, (await health.ValidationProblemAsync()).MessageFor("healthCheckScript"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, loaded.StatusCode);
        Assert.Contains(Refused, await loaded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(Refused, (await web.ValidationProblemAsync()).MessageFor("type"), StringComparison.Ordinal);
        Assert.Contains("the gridengine backend cannot run interactive jobs", (await shell.ValidationProblemAsync()).MessageFor("interactive"), StringComparison.Ordinal);
        Assert.Empty(await nobody.ListJobsAsync("gridweb"));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task One_off_scheduled_and_continuous_jobs_without_a_port_are_taken()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("gridjobs");

        await nobody.RunJobAsync("gridjobs", new { name = "once", command = "true", timeout = "30s" });
        await nobody.RunJobAsync("gridjobs", new { name = "daily", command = "true", schedule = "@daily" });
        await nobody.RunJobAsync("gridjobs", new { name = "bot", command = "./bot", continuous = true, replicas = 2 });

        Assert.Equal(["bot", "daily", "once"], (await nobody.ListJobsAsync("gridjobs")).Select(j => j.Name).Order(StringComparer.Ordinal));
    }
}
