using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Health;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Controller.Tests;

/// <summary>
/// The grid prober's side of a health check script: it takes the results the run's job wrote in
/// the tool's home (a real file here), one pass at a time, and records the verdicts as a node would.
/// </summary>
public sealed class GridHealthProberTests : IAsyncLifetime
{
    private ControllerHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await ControllerHarness.CreateAsync();
        await _harness.AddToolAsync();
        await using var db = _harness.NewContext();
        // The tool's home is the test's directory, and its user whoever writes the files here.
        await db.Tools.ExecuteUpdateAsync(t => t.SetProperty(x => x.Home, _harness.Directory).SetProperty(x => x.Uid, EffectiveUid()), _harness.Token);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Each_new_result_of_the_loop_counts_once_and_failures_in_a_row_make_the_run_unhealthy()
    {
        var run = await ScriptRunAsync();

        await WriteAsync(run, "0 100\n");
        await PassAsync();
        Assert.True((await _harness.GetRunAsync(run)).Healthy);

        await WriteAsync(run, "1 200\n");
        await PassAsync();
        // The same result read again on the next passes is not another failure.
        await PassAsync();
        await PassAsync();
        Assert.True((await _harness.GetRunAsync(run)).Healthy);

        await WriteAsync(run, "1 300\n");
        await PassAsync();
        await WriteAsync(run, "124 400\n");
        await PassAsync();

        Assert.False((await _harness.GetRunAsync(run)).Healthy);
        Assert.Contains(_harness.Logs.Of(2601), m => m.Contains("the health script did not finish within 5 s (failed 3 times in a row)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_that_starts_after_passes_that_found_nothing_new_is_probed_from_the_next_pass()
    {
        // The passes before it read the runs to check once, then only asked whether anything was committed.
        await PassAsync();
        await PassAsync();
        var run = await ScriptRunAsync();

        await WriteAsync(run, "0 100\n");
        await PassAsync();

        Assert.True((await _harness.GetRunAsync(run)).Healthy);
    }

    [Fact]
    public async Task A_loop_that_stops_writing_fails_the_check_saying_it_is_stuck()
    {
        var run = await ScriptRunAsync();
        await WriteAsync(run, "0 100\n");
        await PassAsync();

        for (var i = 0; i < 3; i++)
        {
            _harness.Time.Advance(TimeSpan.FromSeconds(26));
            await PassAsync();
        }

        Assert.False((await _harness.GetRunAsync(run)).Healthy);
        Assert.Contains(_harness.Logs.Of(2601), m => m.Contains("no result of the health script came from the node for 25 s (its check loop or the node is stuck)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_result_file_that_is_not_a_result_is_no_result()
    {
        var run = await ScriptRunAsync();

        await WriteAsync(run, "0 100; rm -rf /\n");
        await PassAsync();

        Assert.Null((await _harness.GetRunAsync(run)).Healthy);
    }

    [Fact]
    public async Task The_file_is_removed_once_the_run_is_no_longer_probed()
    {
        var run = await ScriptRunAsync();
        await WriteAsync(run, "0 100\n");
        await PassAsync();

        await _harness.ReportAsync(RecordingBackend.Exited(run, exitCode: 0, finishedAt: _harness.Time.GetUtcNow()));
        await PassAsync();

        Assert.False(File.Exists(ScriptResult.PathOf(_harness.Directory, run)));
    }

    private async Task<long> ScriptRunAsync()
    {
        var (_, run) = await _harness.RunningAsync("bot", j => (j.Kind, j.HealthCheckScript) = (JobKind.Continuous, "./check"));
        Assert.Equal(RunState.Running, run.State);
        return run.Id;
    }

    private Task WriteAsync(long run, string content) =>
        File.WriteAllTextAsync(ScriptResult.PathOf(_harness.Directory, run), content, _harness.Token);

    private async Task PassAsync()
    {
        var prober = _harness.Services.GetServices<IHostedService>().OfType<GridHealthProber>().Single();
        using var http = new HttpCheck(_harness.Time);
        await prober.ProbeAsync(http, _harness.Token);
    }

    private static int EffectiveUid() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
}
