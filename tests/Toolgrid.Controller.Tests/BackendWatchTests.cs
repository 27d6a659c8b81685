using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;

namespace Toolgrid.Controller.Tests;

/// <summary><see cref="BackendWatch"/>: what the backend reports as it happens reaches the store.</summary>
public sealed class BackendWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ReportsOnTheWatch_AreRecorded_AndTheEndIsForgotten()
    {
        var (_, run) = await _h.SubmitAsync();
        await _h.StepAsync();
        var watch = _h.Services.GetServices<IHostedService>().OfType<BackendWatch>().Single();
        await watch.StartAsync(_h.Token);
        try
        {
            var change = _h.Events.NextChange;
            _h.Backend.Report(RecordingBackend.Running(run.Id, pid: 5150));
            await change.WaitAsync(Hang, _h.Token);
            Assert.Equal(RunState.Running, (await _h.GetRunAsync(run.Id)).State);

            change = _h.Events.NextChange;
            _h.Backend.Report(RecordingBackend.Exited(run.Id, 0));
            await change.WaitAsync(Hang, _h.Token);
        }
        finally
        {
            await watch.StopAsync(_h.Token);
        }

        var done = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(5150, done.Pid);

        // Recorded, the end is let go.
        Assert.Equal([run.Id], _h.Backend.Forgets);
    }
}
