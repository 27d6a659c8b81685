using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Notifications;
using Toolgrid.Core.Runs;
using Toolgrid.Notifications.Tests.Support;
using Toolgrid.Store;

namespace Toolgrid.Notifications.Tests;

/// <summary>
/// <see cref="RunNotices"/> through <see cref="RunUpdates"/>: the controller writes a run's notice
/// in the transaction that records its end, under the job's <c>--emails</c>, with the last lines of
/// its output read from the tool's home.
/// </summary>
public sealed class RunNoticesTests : IAsyncLifetime
{
    private NotifierHarness _h = null!;
    private string _home = null!;

    public async Task InitializeAsync()
    {
        _h = await NotifierHarness.CreateAsync();
        _home = Path.Combine(_h.Directory, "home");
        Directory.CreateDirectory(_home);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private RunUpdates Updates => new(
        _h.Services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>(),
        new RunNotices(_h.Time, NullLogger<RunNotices>.Instance, _h.Services.GetRequiredService<IOutputExcerpts>()));

    [Fact]
    public async Task A_failed_run_of_an_onfailure_job_gets_one_notice_with_its_exit_code_and_output_in_the_same_write()
    {
        var run = await RunningAsync(EmailPolicy.OnFailure);
        await File.WriteAllTextAsync(Path.Combine(_home, "fetch.out"), "step 1\nstep 2 went wrong\n");
        await File.WriteAllTextAsync(Path.Combine(_home, "fetch.err"), "Traceback: boom\n");

        var changed = await Updates.UpdateAsync([run.Id], r => RunTransitions.Observe(r, Exited(r.Id, 3), _h.Time.GetUtcNow()), _h.Token);

        Assert.Single(changed);
        var notice = Assert.Single(await _h.NoticesAsync());
        Assert.Equal(NoticeKind.RunFailed, notice.Kind);
        Assert.Equal(run.Id, notice.RunId);
        Assert.Equal("mytool", notice.ToolName);
        Assert.Equal("fetch", notice.JobName);
        Assert.StartsWith("failed: exit code 3", notice.Summary, StringComparison.Ordinal);
        Assert.Contains("step 2 went wrong", notice.Excerpt, StringComparison.Ordinal);
        Assert.Contains("Traceback: boom", notice.Excerpt, StringComparison.Ordinal);
        Assert.Null(notice.MailId);
    }

    [Fact]
    public async Task The_same_end_reported_again_gives_no_second_notice()
    {
        var run = await RunningAsync(EmailPolicy.OnFailure);

        await Updates.UpdateAsync([run.Id], r => RunTransitions.Observe(r, Exited(r.Id, 1), _h.Time.GetUtcNow()), _h.Token);
        var again = await Updates.UpdateAsync([run.Id], r => RunTransitions.Observe(r, Exited(r.Id, 1), _h.Time.GetUtcNow()), _h.Token);

        Assert.Empty(again);
        Assert.Single(await _h.NoticesAsync());
    }

    [Theory]
    [InlineData(EmailPolicy.None, 1, 0)]
    [InlineData(EmailPolicy.OnFailure, 0, 0)]
    [InlineData(EmailPolicy.OnFinish, 0, 1)]
    [InlineData(EmailPolicy.All, 0, 1)]
    [InlineData(EmailPolicy.OnFinish, 2, 1)]
    public async Task The_jobs_emails_policy_decides_whether_an_end_gives_a_notice(EmailPolicy policy, int exitCode, int notices)
    {
        var run = await RunningAsync(policy);

        await Updates.UpdateAsync([run.Id], r => RunTransitions.Observe(r, Exited(r.Id, exitCode), _h.Time.GetUtcNow()), _h.Token);

        Assert.Equal(notices, (await _h.NoticesAsync()).Count);
    }

    [Fact]
    public async Task A_run_lost_with_its_node_gives_a_notice_under_onfailure()
    {
        var run = await RunningAsync(EmailPolicy.OnFailure);

        await Updates.UpdateAsync(run.Id, r => RunTransitions.MarkLost(r, RunReason.NodeLost, "node1 is down", _h.Time.GetUtcNow()), _h.Token);

        var notice = Assert.Single(await _h.NoticesAsync());
        Assert.StartsWith("lost: node node1 went down", notice.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_stopped_by_a_maintainer_is_no_failure()
    {
        var run = await RunningAsync(EmailPolicy.OnFailure);
        await Updates.UpdateAsync(run.Id, r => RunTransitions.RequestStop(r, RunReason.Stopped, _h.Time.GetUtcNow()), _h.Token);

        await Updates.UpdateAsync([run.Id], r => RunTransitions.Observe(r, Exited(r.Id, 143, signal: 15), _h.Time.GetUtcNow()), _h.Token);

        Assert.Equal(RunState.Killed, (await RunAsync(run.Id)).State);
        Assert.Empty(await _h.NoticesAsync());
    }

    [Fact]
    public async Task The_third_crash_in_a_row_of_a_continuous_job_gives_a_crash_loop_report_instead_of_an_end()
    {
        var run = await RunningAsync(EmailPolicy.OnFailure, JobKind.Continuous, restartCount: 2);
        var counted = new HashSet<long>();

        await Updates.UpdateAsync(
            [run.Id],
            r => RunTransitions.Observe(r, Exited(r.Id, 1), _h.Time.GetUtcNow()),
            _h.Token,
            async (db, runs, token) =>
            {
                var job = await db.Jobs.SingleAsync(j => j.Id == runs[0].JobId, token);
                if (Backoff.OnRunEnded(job, runs[0], _h.Time.GetUtcNow()) is { } count)
                {
                    count.ApplyTo(job);
                    counted.Add(runs[0].Id);
                }
            },
            r => counted.Contains(r.Id));

        var notice = Assert.Single(await _h.NoticesAsync());
        Assert.Equal(NoticeKind.CrashLoop, notice.Kind);
        // Three ends in a row: the first run and two restarts.
        Assert.StartsWith("crash-looping: 2 restarts in a row, last exit code 1", notice.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_gives_a_notice_only_under_all()
    {
        var quiet = await RunningAsync(EmailPolicy.OnFinish, started: false);
        var loud = await RunningAsync(EmailPolicy.All, started: false, name: "loud");

        await Updates.UpdateAsync([quiet.Id, loud.Id], r => RunTransitions.Observe(r, new BackendRunReport(r.Id, "node1", BackendRunPhase.Running, Pid: 7, StartedAt: _h.Time.GetUtcNow()), _h.Time.GetUtcNow()), _h.Token);

        var notice = Assert.Single(await _h.NoticesAsync());
        Assert.Equal(NoticeKind.RunStarted, notice.Kind);
        Assert.Equal("loud", notice.JobName);
    }

    private static BackendRunReport Exited(long runId, int exitCode, int? signal = null) =>
        new(runId, "node1", BackendRunPhase.Exited, FinishedAt: Samples.Noon + TimeSpan.FromSeconds(12), ExitCode: exitCode, Signal: signal);

    /// <summary>A tool (home in the test's directory) with one job and its run, running (or starting) on node1.</summary>
    private async Task<Run> RunningAsync(EmailPolicy emails, JobKind kind = JobKind.OneOff, int restartCount = 0, bool started = true, string name = "fetch")
    {
        await using var db = _h.NewContext();
        if (!await db.Tools.AnyAsync(t => t.Name == "mytool", _h.Token))
        {
            var tool = Samples.Tool("mytool", null, "alice");
            tool.Home = _home;
            db.Tools.Add(tool);
        }

        var job = Samples.Job(emails, kind, name: name, restartCount: restartCount);
        job.Id = 0;
        db.Jobs.Add(job);
        await db.SaveChangesAsync(_h.Token);
        var run = new Run
        {
            JobId = job.Id,
            ToolName = job.ToolName,
            JobName = job.Name,
            State = started ? RunState.Running : RunState.Starting,
            Reason = started ? RunReason.Started : RunReason.Placed,
            Node = "node1",
            Command = job.Command,
            MemoryBytes = job.MemoryBytes,
            Generation = job.Generation,
            SubmittedAt = Samples.Noon - TimeSpan.FromSeconds(1),
            StartedAt = started ? Samples.Noon : null,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(_h.Token);
        return run;
    }

    private async Task<Run> RunAsync(long id)
    {
        await using var db = _h.NewContext();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id, _h.Token);
    }
}
