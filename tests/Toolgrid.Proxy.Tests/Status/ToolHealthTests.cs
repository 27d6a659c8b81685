using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Proxy.Tests.Support;

namespace Toolgrid.Proxy.Tests.Status;

/// <summary>
/// Whether the status page calls a tool's jobs up or failing, from jobs in a real store: what runs
/// now (continuous jobs) and the last run of each scheduled job count; finished one-off jobs do not.
/// </summary>
public sealed class ToolHealthTests : IAsyncLifetime
{
    private ProxyHarness _proxy = null!;

    public async Task InitializeAsync() => _proxy = await ProxyHarness.StartAsync();

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    [Fact]
    public async Task OneOffJobThatFailed_DoesNotMakeTheToolFailing()
    {
        await _proxy.Store.AddToolAsync("batch");
        await _proxy.Store.AddJobAsync("batch", "import", JobKind.OneOff, RunState.Failed);
        await _proxy.Store.AddJobAsync("batch", "check", JobKind.OneOff, RunState.Lost);
        await _proxy.Store.AddJobAsync("batch", "export", JobKind.OneOff, RunState.Running);

        var jobs = await JobsOfAsync("batch");

        Assert.True(jobs.GetProperty("up").GetBoolean(), jobs.ToString());
        Assert.Equal(0, jobs.GetProperty("failing").GetInt32());
        Assert.Equal(1, jobs.GetProperty("running").GetInt32());
    }

    [Fact]
    public async Task ScheduledJob_CountsByItsLastRun()
    {
        await _proxy.Store.AddToolAsync("recovered");
        await _proxy.Store.AddJobAsync("recovered", "nightly", JobKind.Scheduled, RunState.Failed, RunState.Succeeded);
        await _proxy.Store.AddToolAsync("broken");
        await _proxy.Store.AddJobAsync("broken", "nightly", JobKind.Scheduled, RunState.Succeeded, RunState.Failed);

        var recovered = await JobsOfAsync("recovered");
        var broken = await JobsOfAsync("broken");

        Assert.True(recovered.GetProperty("up").GetBoolean(), recovered.ToString());
        Assert.False(broken.GetProperty("up").GetBoolean(), broken.ToString());
        Assert.Equal(["nightly: its last run failed"], broken.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task ContinuousJob_CountsByWhatRunsNow()
    {
        await _proxy.Store.AddToolAsync("healthy");
        await _proxy.Store.AddJobAsync("healthy", "bot", JobKind.Continuous, RunState.Failed, RunState.Running);
        await _proxy.Store.AddToolAsync("sick");
        await _proxy.Store.AddJobAsync("sick", "bot", JobKind.Continuous, RunState.Running);
        await _proxy.Store.ChangeAsync(async db => (await db.Runs.SingleAsync(r => r.ToolName == "sick")).Healthy = false);
        await _proxy.Store.AddToolAsync("looping");
        var looping = await _proxy.Store.AddJobAsync("looping", "bot", JobKind.Continuous, RunState.Failed, RunState.Failed, RunState.Failed);
        await _proxy.Store.ChangeAsync(async db => (await db.Jobs.FindAsync(looping.Id))!.RestartCount = 3);
        await _proxy.Store.AddToolAsync("completed");
        var completed = await _proxy.Store.AddJobAsync("completed", "bot", JobKind.Continuous, RunState.Succeeded);
        await _proxy.Store.ChangeAsync(async db => (await db.Jobs.FindAsync(completed.Id))!.Restart = RestartPolicy.OnFailure);

        var report = await ReportAsync();

        Assert.True(Jobs(report, "healthy").GetProperty("up").GetBoolean());
        Assert.Equal(["bot: unhealthy"], Problems(report, "sick"));
        Assert.Equal(["bot: crash-looping"], Problems(report, "looping"));
        Assert.True(Jobs(report, "completed").GetProperty("up").GetBoolean(), Jobs(report, "completed").ToString());
        Assert.False(Tool(report, "sick").GetProperty("up").GetBoolean());
    }

    private async Task<JsonElement> JobsOfAsync(string tool) => Jobs(await ReportAsync(), tool);

    private async Task<JsonElement> ReportAsync()
    {
        await _proxy.State.RefreshAsync(CancellationToken.None);
        var (_, body) = await _proxy.GetTextAsync("/?format=json");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonElement Tool(JsonElement report, string tool) =>
        report.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == tool);

    private static JsonElement Jobs(JsonElement report, string tool) => Tool(report, tool).GetProperty("jobs");

    private static List<string?> Problems(JsonElement report, string tool) =>
        Jobs(report, tool).TryGetProperty("problems", out var problems) ? problems.EnumerateArray().Select(p => p.GetString()).ToList() : ["(no problems listed)"];
}
