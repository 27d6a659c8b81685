using Microsoft.EntityFrameworkCore;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Runs;

namespace Toolgrid.Store.Tests;

public sealed class ToolgridDbContextTests : IAsyncLifetime
{
    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<Job> AddJobAsync(Job? job = null)
    {
        await using var db = _store.NewContext();
        if (!await db.Tools.AnyAsync(t => t.Name == "mytool"))
        {
            db.Tools.Add(Sample.Tool());
        }

        job ??= Sample.Job();
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job;
    }

    private async Task<Run> AddRunAsync(Job job, DateTimeOffset? submittedAt = null)
    {
        await using var db = _store.NewContext();
        var run = Sample.Run(job, submittedAt);
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run;
    }

    private async Task<string?> RawAsync(string sql)
    {
        await using var db = _store.NewContext();
        return await db.Database.SqlQueryRaw<string>(sql).SingleAsync();
    }

    [Fact]
    public async Task Tool_WithMaintainers_RoundTrips()
    {
        var tool = Sample.Tool();
        tool.DisabledAt = Sample.Now.AddDays(3);
        await using (var db = _store.NewContext())
        {
            db.Tools.Add(tool);
            await db.SaveChangesAsync();
        }

        await using var fresh = _store.NewContext();
        var read = await fresh.Tools.Include(t => t.Maintainers).SingleAsync(t => t.Name == "mytool");
        Assert.Equal(tool.Description, read.Description);
        Assert.Equal(tool.UnixUser, read.UnixUser);
        Assert.Equal(tool.Uid, read.Uid);
        Assert.Equal(tool.Gid, read.Gid);
        Assert.Equal(tool.Home, read.Home);
        Assert.Equal(tool.CreatedAt, read.CreatedAt);
        Assert.Equal(tool.CreatedBy, read.CreatedBy);
        Assert.Equal(tool.DisabledAt, read.DisabledAt);
        Assert.False(read.IsActive);
        Assert.Equal(tool.MaxMemoryBytes, read.MaxMemoryBytes);
        Assert.Equal(tool.MaxCpuMillis, read.MaxCpuMillis);
        Assert.Equal(tool.MaxJobs, read.MaxJobs);
        Assert.Equal(
            [("alice", Sample.Now, "alice"), ("bob", Sample.Now.AddDays(1), "alice")],
            read.Maintainers.OrderBy(m => m.UserName, StringComparer.Ordinal).Select(m => (m.UserName, m.AddedAt, m.AddedBy)));
    }

    [Fact]
    public async Task Tool_WithoutRaisedLimits_ReadsBackNulls()
    {
        var tool = Sample.Tool();
        tool.MaxMemoryBytes = null;
        tool.MaxCpuMillis = null;
        tool.MaxJobs = null;
        tool.Maintainers.Clear();
        await using (var db = _store.NewContext())
        {
            db.Tools.Add(tool);
            await db.SaveChangesAsync();
        }

        await using var fresh = _store.NewContext();
        var read = await fresh.Tools.Include(t => t.Maintainers).SingleAsync();
        Assert.Null(read.MaxMemoryBytes);
        Assert.Null(read.MaxCpuMillis);
        Assert.Null(read.MaxJobs);
        Assert.Null(read.DisabledAt);
        Assert.Empty(read.Maintainers);
    }

    [Fact]
    public async Task Job_RoundTrips()
    {
        var job = await AddJobAsync();

        await using var fresh = _store.NewContext();
        var read = await fresh.Jobs.SingleAsync(j => j.Id == job.Id);
        Assert.Equal("mytool", read.ToolName);
        Assert.Equal("fetch", read.Name);
        Assert.Equal(JobKind.Continuous, read.Kind);
        Assert.Equal("./fetch.sh --all", read.Command);
        Assert.Equal(MemorySize.GiB, read.MemoryBytes);
        Assert.Equal(250, read.CpuMillis);
        Assert.Equal(2, read.Retry);
        Assert.Equal("bigmem", read.Queue);
        Assert.Equal(EmailPolicy.OnFailure, read.Emails);
        Assert.True(read.FileLog);
        Assert.Equal("logs/fetch.log", read.StdoutPath);
        Assert.Equal("logs/fetch.errors", read.StderrPath);
        Assert.Equal(40, read.GracePeriodSeconds);
        Assert.True(read.AllowDotPaths);
        Assert.Equal(Sample.Now, read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal("alice", read.CreatedBy);
        Assert.Equal(Sample.Now.AddMinutes(1), read.UpdatedAt);
        Assert.Null(read.DeletedAt);
    }

    [Fact]
    public async Task Job_EnumsAreStoredAsTheirNames()
    {
        var job = await AddJobAsync();

        Assert.Equal("Continuous", await RawAsync($"SELECT Kind AS Value FROM Jobs WHERE Id = {job.Id}"));
        Assert.Equal("OnFailure", await RawAsync($"SELECT Emails AS Value FROM Jobs WHERE Id = {job.Id}"));
    }

    [Fact]
    public async Task Run_ThroughItsLife_RoundTripsWithEnumsStoredAsTheirNames()
    {
        var job = await AddJobAsync();
        var run = await AddRunAsync(job);
        await using (var db = _store.NewContext())
        {
            var tracked = await db.Runs.SingleAsync(r => r.Id == run.Id);
            RunTransitions.Place(tracked, "node1", Sample.Now.AddSeconds(1));
            RunTransitions.Observe(tracked, new BackendRunReport(run.Id, "node1", BackendRunPhase.Running, Pid: 4242, StartedAt: Sample.Now.AddSeconds(2), ListensOutside: "0.0.0.0:8123"), Sample.Now.AddSeconds(3));
            RunTransitions.RequestStop(tracked, RunReason.JobDeleted, Sample.Now.AddSeconds(4));
            RunTransitions.Observe(tracked, new BackendRunReport(run.Id, "node1", BackendRunPhase.Exited, FinishedAt: Sample.Now.AddSeconds(5), Signal: 15), Sample.Now.AddSeconds(6));
            await db.SaveChangesAsync();
        }

        await using var fresh = _store.NewContext();
        var read = await fresh.Runs.SingleAsync(r => r.Id == run.Id);
        Assert.Equal(job.Id, read.JobId);
        Assert.Equal("mytool", read.ToolName);
        Assert.Equal("fetch", read.JobName);
        Assert.Equal(1, read.Attempt);
        Assert.Equal(RunState.Killed, read.State);
        Assert.Equal(RunReason.JobDeleted, read.Reason);
        Assert.Equal("killed by signal 15 (SIGTERM)", read.Message);
        Assert.Null(read.ExitCode);
        Assert.Equal(15, read.Signal);
        Assert.Equal("node1", read.Node);
        Assert.Equal("bigmem", read.Queue);
        Assert.Equal("./fetch.sh --all", read.Command);
        Assert.Equal(MemorySize.GiB, read.MemoryBytes);
        Assert.Equal(250, read.CpuMillis);
        Assert.Equal(4242, read.Pid);
        Assert.Equal("0.0.0.0:8123", read.ListensOutside);
        Assert.Equal(Sample.Now, read.SubmittedAt);
        Assert.Equal(Sample.Now.AddSeconds(2), read.StartedAt);
        Assert.Equal(Sample.Now.AddSeconds(5), read.FinishedAt);
        Assert.Equal(Sample.Now.AddSeconds(4), read.StopRequestedAt);
        Assert.Equal(RunReason.JobDeleted, read.StopReason);
        // Four moves, one save: the version counts writes, each checked against the one before.
        Assert.Equal(1, read.Version);

        Assert.Equal("Killed", await RawAsync($"SELECT State AS Value FROM Runs WHERE Id = {run.Id}"));
        Assert.Equal("JobDeleted", await RawAsync($"SELECT Reason AS Value FROM Runs WHERE Id = {run.Id}"));
        Assert.Equal("JobDeleted", await RawAsync($"SELECT StopReason AS Value FROM Runs WHERE Id = {run.Id}"));
    }

    [Fact]
    public async Task Runs_AreFoundByStateInSql()
    {
        var job = await AddJobAsync();
        var queued = await AddRunAsync(job);
        var ended = await AddRunAsync(job);
        await using (var db = _store.NewContext())
        {
            RunTransitions.RequestStop(await db.Runs.SingleAsync(r => r.Id == ended.Id), RunReason.Stopped, Sample.Now);
            await db.SaveChangesAsync();
        }

        await using var fresh = _store.NewContext();
        RunState[] active = [RunState.Queued, RunState.Starting, RunState.Running];
        Assert.Equal([queued.Id], await fresh.Runs.Where(r => active.Contains(r.State)).Select(r => r.Id).ToListAsync());
        Assert.Equal([ended.Id], await fresh.Runs.Where(r => r.State == RunState.Killed).Select(r => r.Id).ToListAsync());
    }

    [Fact]
    public async Task ApiToken_RoundTrips()
    {
        var token = Sample.Token();
        token.RevokedAt = Sample.Now.AddDays(2);
        await using (var db = _store.NewContext())
        {
            db.Tokens.Add(token);
            await db.SaveChangesAsync();
        }

        await using var fresh = _store.NewContext();
        var read = await fresh.Tokens.SingleAsync(t => t.Id == token.Id);
        Assert.Equal("alice", read.UserName);
        Assert.Equal("laptop", read.Name);
        Assert.Equal(token.SecretHash, read.SecretHash);
        Assert.Equal(Sample.Now, read.CreatedAt);
        Assert.Equal(Sample.Now.AddDays(30), read.ExpiresAt);
        Assert.Equal(Sample.Now.AddHours(1), read.LastUsedAt);
        Assert.Equal(Sample.Now.AddDays(2), read.RevokedAt);
    }

    [Fact]
    public async Task ApiToken_SameSecretHashTwice_IsRefused()
    {
        await using var db = _store.NewContext();
        db.Tokens.Add(Sample.Token());
        await db.SaveChangesAsync();

        db.Tokens.Add(Sample.Token());

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task ApiTokens_UsableNow_AreFoundInSql()
    {
        var now = Sample.Now;
        await using (var db = _store.NewContext())
        {
            db.Tokens.AddRange(
                Token("forever", expiresAt: null),
                Token("later", expiresAt: now.AddMilliseconds(1)),
                Token("expired", expiresAt: now),
                Token("revoked", expiresAt: null, revokedAt: now.AddDays(-1)));
            await db.SaveChangesAsync();
        }

        await using var fresh = _store.NewContext();
        var usable = await fresh.Tokens
            .Where(t => t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .OrderBy(t => t.Name)
            .Select(t => t.Name)
            .ToListAsync();

        Assert.Equal(["forever", "later"], usable);

        static ApiToken Token(string name, DateTimeOffset? expiresAt, DateTimeOffset? revokedAt = null) => new()
        {
            UserName = "alice",
            Name = name,
            SecretHash = name.PadRight(64, '0'),
            MadeBy = "socket uid 1000 as alice",
            CreatedAt = Sample.Now.AddDays(-10),
            ExpiresAt = expiresAt,
            RevokedAt = revokedAt,
        };
    }

    [Fact]
    public async Task Node_RoundTripsWithItsStateStoredAsItsName()
    {
        await using (var db = _store.NewContext())
        {
            db.Nodes.Add(Sample.Node());
            await db.SaveChangesAsync();
        }

        await using var fresh = _store.NewContext();
        var read = await fresh.Nodes.SingleAsync(n => n.Name == "node1");
        Assert.Equal(NodeState.Draining, read.State);
        Assert.Equal("local", read.Backend);
        Assert.Equal("default,bigmem", read.Queues);
        Assert.Equal(64 * MemorySize.GiB, read.MemoryBytes);
        Assert.Equal(16000, read.CpuMillis);
        Assert.Equal(32, read.Slots);
        Assert.Equal(Sample.Now, read.LastSeenAt);
        Assert.Equal("Draining", await RawAsync("SELECT State AS Value FROM Nodes"));
    }

    [Fact]
    public async Task Times_AreOrderedAndFilteredInSql()
    {
        var job = await AddJobAsync();
        var t0 = Sample.Now;
        DateTimeOffset[] submitted =
        [
            t0.AddDays(400),
            t0.AddMilliseconds(1),
            t0.AddYears(-3),
            t0,
            t0.AddMinutes(5),
            t0.AddMilliseconds(-1),
        ];
        foreach (var at in submitted)
        {
            await AddRunAsync(job, at);
        }

        await using var db = _store.NewContext();
        var since = await db.Runs
            .Where(r => r.SubmittedAt >= t0)
            .OrderBy(r => r.SubmittedAt)
            .Select(r => r.SubmittedAt)
            .ToListAsync();
        var newest = await db.Runs.OrderByDescending(r => r.SubmittedAt).Select(r => r.SubmittedAt).FirstAsync();
        var before = await db.Runs.CountAsync(r => r.SubmittedAt < t0);

        Assert.Equal([t0, t0.AddMilliseconds(1), t0.AddMinutes(5), t0.AddDays(400)], since);
        Assert.Equal(t0.AddDays(400), newest);
        Assert.Equal(2, before);
    }

    [Fact]
    public async Task NullableTimes_AreFilteredInSql()
    {
        var live = await AddJobAsync(Sample.Job(name: "live"));
        var deleted = Sample.Job(name: "gone");
        deleted.DeletedAt = Sample.Now;
        await AddJobAsync(deleted);

        await using var db = _store.NewContext();
        Assert.Equal([live.Id], await db.Jobs.Where(j => j.DeletedAt == null).Select(j => j.Id).ToListAsync());
        Assert.Equal([deleted.Id], await db.Jobs.Where(j => j.DeletedAt <= Sample.Now).Select(j => j.Id).ToListAsync());
        Assert.Empty(await db.Jobs.Where(j => j.DeletedAt > Sample.Now).ToListAsync());
    }

    [Fact]
    public async Task Job_SecondLiveJobOfTheSameName_IsRefused()
    {
        await AddJobAsync();

        await Assert.ThrowsAsync<DbUpdateException>(() => AddJobAsync());

        await using var db = _store.NewContext();
        Assert.Equal(1, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task Job_DeletedJob_DoesNotBlockANewOneOfTheSameName()
    {
        var old = Sample.Job();
        old.DeletedAt = Sample.Now;
        await AddJobAsync(old);
        var older = Sample.Job();
        older.DeletedAt = Sample.Now.AddMinutes(-5);
        await AddJobAsync(older);

        var fresh = await AddJobAsync();

        await using var db = _store.NewContext();
        Assert.Equal(fresh.Id, (await db.Jobs.SingleAsync(j => j.Name == "fetch" && j.DeletedAt == null)).Id);
        Assert.Equal(3, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task Job_LiveJobOfTheSameName_CannotBeUndeletedBesideANewOne()
    {
        var old = Sample.Job();
        old.DeletedAt = Sample.Now;
        await AddJobAsync(old);
        await AddJobAsync();

        await using var db = _store.NewContext();
        var tracked = await db.Jobs.SingleAsync(j => j.Id == old.Id);
        tracked.DeletedAt = null;

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Job_SameNameInAnotherTool_IsAllowed()
    {
        await AddJobAsync();
        await using (var db = _store.NewContext())
        {
            db.Tools.Add(Sample.Tool("othertool"));
            await db.SaveChangesAsync();
        }

        await AddJobAsync(Sample.Job("othertool"));

        await using var fresh = _store.NewContext();
        Assert.Equal(2, await fresh.Jobs.CountAsync(j => j.Name == "fetch"));
    }

    [Fact]
    public async Task Job_OfAToolThatDoesNotExist_IsRefused()
    {
        await using var db = _store.NewContext();
        db.Jobs.Add(Sample.Job("nosuchtool"));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Tool_WithJobs_CannotBeErased()
    {
        await AddJobAsync();

        await using var db = _store.NewContext();
        db.Tools.Remove(await db.Tools.SingleAsync());

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Job_Purged_TakesItsRunsWithIt()
    {
        var job = await AddJobAsync();
        await AddRunAsync(job);
        await AddRunAsync(job);

        await using (var db = _store.NewContext())
        {
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteDeleteAsync();
        }

        await using var fresh = _store.NewContext();
        Assert.Equal(0, await fresh.Runs.CountAsync());
    }

    [Fact]
    public async Task Run_ChangedByTwoContexts_SecondSaveIsRefused()
    {
        var job = await AddJobAsync();
        var run = await AddRunAsync(job);
        await using var first = _store.NewContext();
        await using var second = _store.NewContext();
        var a = await first.Runs.SingleAsync(r => r.Id == run.Id);
        var b = await second.Runs.SingleAsync(r => r.Id == run.Id);

        Assert.True(RunTransitions.Place(a, "node1", Sample.Now));
        Assert.True(RunTransitions.RequestStop(b, RunReason.JobDeleted, Sample.Now));
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        await using var fresh = _store.NewContext();
        var read = await fresh.Runs.SingleAsync(r => r.Id == run.Id);
        Assert.Equal(RunState.Starting, read.State);
        Assert.Equal("node1", read.Node);
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task Run_ExitReportedTwiceByTwoControllers_IsRecordedOnce()
    {
        var job = await AddJobAsync();
        var run = await AddRunAsync(job);
        await using (var db = _store.NewContext())
        {
            var tracked = await db.Runs.SingleAsync(r => r.Id == run.Id);
            RunTransitions.Place(tracked, "node1", Sample.Now);
            await db.SaveChangesAsync();
        }

        await using var first = _store.NewContext();
        await using var second = _store.NewContext();
        var a = await first.Runs.SingleAsync(r => r.Id == run.Id);
        var b = await second.Runs.SingleAsync(r => r.Id == run.Id);
        RunTransitions.Observe(a, new BackendRunReport(run.Id, "node1", BackendRunPhase.Exited, ExitCode: 0), Sample.Now.AddMinutes(1));
        RunTransitions.Observe(b, new BackendRunReport(run.Id, "node1", BackendRunPhase.Exited, ExitCode: 3), Sample.Now.AddMinutes(2));
        await first.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        // The loser reads again, and the repeated report then changes nothing.
        await using var retry = _store.NewContext();
        var again = await retry.Runs.SingleAsync(r => r.Id == run.Id);
        Assert.False(RunTransitions.Observe(again, new BackendRunReport(run.Id, "node1", BackendRunPhase.Exited, ExitCode: 3), Sample.Now.AddMinutes(3)));
        Assert.Equal(0, await retry.SaveChangesAsync());
        Assert.Equal(RunState.Succeeded, again.State);
        Assert.Equal(0, again.ExitCode);
    }

    [Fact]
    public async Task Job_ChangedByTwoContexts_SecondSaveIsRefused()
    {
        var job = await AddJobAsync();
        await using var first = _store.NewContext();
        await using var second = _store.NewContext();
        var a = await first.Jobs.SingleAsync(j => j.Id == job.Id);
        var b = await second.Jobs.SingleAsync(j => j.Id == job.Id);

        a.DeletedAt = Sample.Now;
        b.Command = "./other.sh";
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var fresh = _store.NewContext();
        var read = await fresh.Jobs.SingleAsync(j => j.Id == job.Id);
        Assert.Equal((Sample.Now, job.Command, job.Version + 1), (read.DeletedAt, read.Command, read.Version));
    }

    [Fact]
    public async Task Job_Changed_HasItsVersionBumpedOnceBySave()
    {
        var job = await AddJobAsync();
        await using (var db = _store.NewContext())
        {
            var tracked = await db.Jobs.SingleAsync(j => j.Id == job.Id);
            tracked.Command = "./other.sh";
            await db.SaveChangesAsync();
            Assert.Equal(job.Version + 1, tracked.Version);

            // A second save of the same context bumps from what it stored, and a save with nothing changed bumps nothing.
            tracked.Replicas = 2;
            await db.SaveChangesAsync();
            await db.SaveChangesAsync();
        }

        await using var fresh = _store.NewContext();
        var read = await fresh.Jobs.SingleAsync(j => j.Id == job.Id);
        Assert.Equal(("./other.sh", 2, job.Version + 2), (read.Command, read.Replicas, read.Version));
    }

    [Fact]
    public async Task Job_WithOnlyItsVersionMarkedModified_IsCheckedAndBumped()
    {
        var job = await AddJobAsync();
        await using var first = _store.NewContext();
        await using var second = _store.NewContext();
        var a = await first.Jobs.SingleAsync(j => j.Id == job.Id);
        var b = await second.Jobs.SingleAsync(j => j.Id == job.Id);

        first.Entry(a).Property(j => j.Version).IsModified = true;
        second.Entry(b).Property(j => j.Version).IsModified = true;
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        Assert.Equal(job.Version + 1, a.Version);
    }
}
