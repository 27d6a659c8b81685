using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Controller.Tests;

/// <summary>
/// A start that cannot happen yet (the node's disk is full, the run's port is taken): the run stays
/// starting and says why and when it is tried again, is tried again until it starts, and
/// <c>toolgrid status</c> warns meanwhile; it never ends as failed for a cause that passes.
/// </summary>
public sealed class DeferredStartTests : IAsyncLifetime
{
    private const int NoSpaceLeftOnDevice = 28;

    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private IEnumerable<string> Warnings => _h.Services.GetServices<IWarningSource>().SelectMany(w => w.Warnings);

    [Fact]
    public async Task A_start_that_cannot_write_for_lack_of_space_stays_starting_and_is_started_once_space_is_back()
    {
        var (_, run) = await _h.SubmitAsync();
        _h.Backend.StartFailure = new IOException("cannot create /srv/toolgrid/.toolgrid/runs/.new-1: No space left on device", NoSpaceLeftOnDevice);

        await _h.StepAsync();

        var waiting = await _h.GetRunAsync(run.Id);
        Assert.Equal((RunState.Starting, RunReason.StartDeferred), (waiting.State, waiting.Reason));
        Assert.Equal(
            "a disk of node node1 is full (cannot create /srv/toolgrid/.toolgrid/runs/.new-1: No space left on device); trying again at 12:00:02 UTC",
            waiting.Message);
        Assert.Contains(Warnings, w => w.StartsWith("1 run(s) cannot start yet: a disk of node node1 is full", StringComparison.Ordinal));

        // Space comes back; nothing is tried before the delay is over, then the run starts.
        _h.Backend.StartFailure = null;
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.StepAsync();
        Assert.Single(_h.Backend.Starts);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.StepAsync();

        Assert.Equal([run.Id, run.Id], _h.Backend.Started);
        await _h.ReportAsync(RecordingBackend.Running(run.Id, startedAt: _h.Time.GetUtcNow()));
        Assert.Equal(RunState.Running, (await _h.GetRunAsync(run.Id)).State);
        Assert.DoesNotContain(Warnings, w => w.Contains("cannot start yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_start_the_backend_defers_is_tried_again_later_each_time_and_a_reconcile_does_not_hurry_it()
    {
        var (_, run) = await _h.SubmitAsync();
        _h.Backend.StartFailure = new StartDeferredException("port 8000 on node node1 is taken by process 4242 (nginx)");

        await _h.StepAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(2));
        await _h.StepAsync();
        await _h.ReconcileAsync();

        Assert.Equal([run.Id, run.Id], _h.Backend.Started);
        var waiting = await _h.GetRunAsync(run.Id);
        Assert.Equal(RunReason.StartDeferred, waiting.Reason);
        Assert.Equal("port 8000 on node node1 is taken by process 4242 (nginx); trying again at 12:00:06 UTC", waiting.Message);
        _h.Time.Advance(TimeSpan.FromSeconds(4));
        await _h.StepAsync();
        Assert.Equal(3, _h.Backend.Started.Count);
    }

    [Fact]
    public async Task A_run_waiting_to_start_whose_job_is_deleted_ends_at_once_and_is_never_started()
    {
        var (job, run) = await _h.SubmitAsync();
        _h.Backend.StartFailure = new StartDeferredException("the disk of node node1 is full");
        await _h.StepAsync();

        await _h.UpdateJobAsync(job.Id, j => j.DeletedAt = _h.Time.GetUtcNow());
        _h.Backend.StartFailure = null;
        await _h.StepAsync();

        var ended = await _h.GetRunAsync(run.Id);
        Assert.Equal((RunState.Killed, RunReason.JobDeleted), (ended.State, ended.Reason));
        _h.Time.Advance(Supervisor.EndedJobKept);
        await _h.StepAsync();
        Assert.Single(_h.Backend.Starts);
        Assert.Null(await _h.FindJobAsync(job.Id));
        Assert.DoesNotContain(Warnings, w => w.Contains("cannot start yet", StringComparison.Ordinal));
    }
}
