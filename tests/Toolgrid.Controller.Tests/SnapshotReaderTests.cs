using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Controller.Tests;

/// <summary>What a supervisor pass reads from a real store (<see cref="SnapshotReader"/>).</summary>
public sealed class SnapshotReaderTests : IAsyncLifetime
{
    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<Core.Supervision.SupervisorSnapshot> ReadAsync() =>
        _h.Services.GetRequiredService<SnapshotReader>().ReadAsync([], enginePlaces: false, _h.Token);

    [Fact]
    public async Task APass_ReadsTheScheduledJobsDueByItsLeadTime_NotTheOthers()
    {
        await _h.AddToolAsync();
        var daily = new List<Job>();
        for (var i = 0; i < 3; i++)
        {
            daily.Add(await _h.AddJobAsync(name: "daily" + i, configure: j =>
            {
                j.Kind = JobKind.Scheduled;
                j.Schedule = "0 6 * * *";
            }));
        }

        var tomorrow = new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

        // The first pass reads every schedule and records each job's next due time.
        await _h.StepAsync();
        Assert.All(daily, j => Assert.Equal(tomorrow, _h.FindJobAsync(j.Id).Result!.NextDueAt));

        var idle = await ReadAsync();
        Assert.DoesNotContain(idle.Jobs, s => s.Job.Kind == JobKind.Scheduled);
        Assert.Equal(tomorrow, idle.NextDueAt);

        // Within the lead time (30 s) of their due time, the pass reads them.
        _h.Time.SetUtcNow(tomorrow.AddSeconds(-29));
        var due = await ReadAsync();
        Assert.Equal(daily.Select(j => j.Id).Order(), due.Jobs.Select(s => s.Job.Id).Order());
    }
}
