using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// On a site whose backend is a grid engine, every kind of job is taken: web services, jobs with a
/// port, an HTTP check or a health check script (run on the node by the run's own job), shells.
/// </summary>
public sealed class GridBackendKindsTests(GridBackendApiFactory factory) : IClassFixture<GridBackendApiFactory>
{
    [ApiFact]
    public async Task A_health_check_script_and_a_shell_are_taken()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("gridweb");

        using var health = await nobody.PostJsonAsync("/api/v1/tools/gridweb/jobs", new { name = "bot", command = "./bot", continuous = true, port = 0, healthCheckScript = "./check" });
        using var loaded = await nobody.PostJsonAsync("/api/v1/tools/gridweb/jobs/apply", new { jobs = new[] { new { name = "bot", command = "./bot", continuous = true, healthCheckScript = "./check" } } });
        using var shell = await nobody.GetAsync("/api/v1/tools/gridweb/shell");

        Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync());
        Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());
        // The shell passed the job's rules: only its missing WebSocket upgrade is refused.
        Assert.Contains("this endpoint is a WebSocket", (await shell.ValidationProblemAsync()).MessageFor("upgrade"), StringComparison.Ordinal);
        Assert.Equal("./check", Assert.Single(await nobody.ListJobsAsync("gridweb")).HealthCheckScript);
    }

    [ApiFact]
    public async Task One_off_scheduled_continuous_jobs_web_services_and_jobs_with_a_port_are_taken()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("gridjobs");

        await nobody.RunJobAsync("gridjobs", new { name = "once", command = "true", timeout = "30s" });
        await nobody.RunJobAsync("gridjobs", new { name = "daily", command = "true", schedule = "@daily" });
        await nobody.RunJobAsync("gridjobs", new { name = "bot", command = "./bot", continuous = true, replicas = 2 });
        await nobody.RunJobAsync("gridjobs", new { name = "api", command = "./serve", continuous = true, port = 0, healthCheckHttp = "/healthz" });
        using var web = await nobody.PostJsonAsync("/api/v1/tools/gridjobs/webservice", new { command = "./serve" });

        Assert.True(web.IsSuccessStatusCode, await web.Content.ReadAsStringAsync());
        Assert.Equal(["api", "bot", "daily", "once", "webservice"], (await nobody.ListJobsAsync("gridjobs")).Select(j => j.Name).Order(StringComparer.Ordinal));
    }
}
