using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Scheduling;

namespace Toolgrid.Core.Tests.Scheduling;

public sealed class ScheduleRulesTests
{
    /// <summary>A fixed instant at which an hourly job (<c>0 * * * *</c>) falls due.</summary>
    private static readonly DateTimeOffset Noon = Sample.Now;

    /// <summary>Decisions at the due time (runs started ahead are tested on their own, below).</summary>
    private static readonly ScheduleSettings Settings = ScheduleSettings.Default with { LeadTime = TimeSpan.Zero };

    private static readonly ScheduleSettings Ahead = ScheduleSettings.Default;

    private static Job Scheduled(
        string schedule = "0 * * * *",
        ConcurrencyPolicy concurrency = ConcurrencyPolicy.Forbid,
        CatchUpPolicy catchUp = CatchUpPolicy.Once,
        DateTimeOffset? lastDueAt = null,
        DateTimeOffset? createdAt = null,
        string? zone = null)
    {
        var job = Sample.Job(name: "digest");
        job.Kind = JobKind.Scheduled;
        job.Command = "./digest.sh";
        job.Schedule = schedule;
        job.TimeZone = zone;
        job.Concurrency = concurrency;
        job.CatchUp = catchUp;
        job.CreatedAt = createdAt ?? Noon.AddDays(-30);
        job.LastDueAt = lastDueAt ?? (createdAt is null ? Noon.AddHours(-1) : null);
        return job;
    }

    private static CronSchedule Cron(Job job)
    {
        Assert.True(CronSchedule.TryParse(job.Schedule, job.ToolName, job.Name, job.TimeZone, "UTC", out var schedule, out var error), error);
        return schedule!;
    }

    private static ScheduleDecision Decide(Job job, DateTimeOffset now, ScheduleSettings settings, params Run[] active) =>
        ScheduleRules.Decide(job, Cron(job), active, now, settings);

    private static ScheduleDecision Decide(Job job, DateTimeOffset now, params Run[] active) => Decide(job, now, Settings, active);

    private static Run Active(long id, RunState state = RunState.Running, long jobId = 1)
    {
        var run = Sample.Run(id, jobId, state: state, node: state == RunState.Queued ? null : "node1");
        run.DueAt = Noon.AddHours(-1);
        return run;
    }

    private static DateTimeOffset At(int hour, int minute = 0, int second = 0) => new(2026, 11, 27, hour, minute, second, TimeSpan.Zero);

    private const string MissedOnce = "missed: it fell due while the controller was down, and catch-up once runs only the latest due time";
    private const string MissedSkip = "missed: it fell due while the controller was down, and catch-up is skip";
    private const string MissedOutsideWindow = "missed: it fell due while the controller was down, more than 1h ago (the catch-up window)";

    // ---- nothing due ------------------------------------------------------------------------

    [Fact]
    public void Decide_NothingDue_NoStepsAndLastDueAtUnchanged()
    {
        var decision = Decide(Scheduled(lastDueAt: Noon), Noon.AddMinutes(59));

        Assert.Same(ScheduleDecision.Nothing, decision);
        Assert.Null(decision.LastDueAt);
        Assert.Empty(decision.Steps);
    }

    [Fact]
    public void Decide_DeletedJob_DoesNothing()
    {
        var job = Scheduled();
        job.DeletedAt = Noon.AddMinutes(-5);

        Assert.Same(ScheduleDecision.Nothing, Decide(job, Noon));
    }

    [Fact]
    public void Decide_LastDueAtAfterNow_DoesNothing() =>
        Assert.Same(ScheduleDecision.Nothing, Decide(Scheduled(lastDueAt: Noon.AddHours(2)), Noon.AddMinutes(1)));

    // ---- on time ----------------------------------------------------------------------------

    [Fact]
    public void Decide_OnTime_StartsTheRunAndAdvancesLastDueAt()
    {
        var decision = Decide(Scheduled(), Noon.AddSeconds(1));

        Assert.Equal(Noon, decision.LastDueAt);
        Assert.Equal([new StartDue(Noon, RunReason.Scheduled)], decision.Steps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(60)]
    public void Decide_WithinLateness_IsOnTime(int secondsLate) =>
        Assert.Equal([new StartDue(Noon, RunReason.Scheduled)], Decide(Scheduled(), Noon.AddSeconds(secondsLate)).Steps);

    [Fact]
    public void Decide_JustPastLateness_IsMissedAndCaughtUp() =>
        Assert.Equal([new StartDue(Noon, RunReason.CaughtUp)], Decide(Scheduled(), Noon.AddSeconds(61)).Steps);

    [Fact]
    public void Decide_ZeroLateness_OnlyExactlyOnTimeIsScheduled()
    {
        var settings = Settings with { Lateness = TimeSpan.Zero };

        Assert.Equal([new StartDue(Noon, RunReason.Scheduled)], Decide(Scheduled(), Noon, settings).Steps);
        Assert.Equal([new StartDue(Noon, RunReason.CaughtUp)], Decide(Scheduled(), Noon.AddSeconds(1), settings).Steps);
    }

    // ---- concurrency --------------------------------------------------------------------------

    [Theory]
    [InlineData(RunState.Queued)]
    [InlineData(RunState.Starting)]
    [InlineData(RunState.Running)]
    public void Decide_ForbidWithAnActiveRun_SkipsAsOverlap(RunState state)
    {
        var decision = Decide(Scheduled(), Noon.AddSeconds(2), Active(7, state));

        Assert.Equal(Noon, decision.LastDueAt);
        Assert.Equal([new SkipDue(Noon, RunReason.Overlap, "skipped: the previous run (id 7) was still running")], decision.Steps);
    }

    [Fact]
    public void Decide_ForbidWithTwoActiveRuns_NamesBoth() =>
        Assert.Equal(
            [new SkipDue(Noon, RunReason.Overlap, "skipped: the previous runs (ids 3, 7) were still running")],
            Decide(Scheduled(), Noon, Active(7), Active(3, RunState.Queued)).Steps);

    [Fact]
    public void Decide_ForbidWithARunBeingStopped_StillOverlaps()
    {
        var stopping = Active(7);
        stopping.StopRequestedAt = Noon.AddMinutes(-1);
        stopping.StopReason = RunReason.TimedOut;

        Assert.Equal(RunReason.Overlap, Assert.IsType<SkipDue>(Assert.Single(Decide(Scheduled(), Noon, stopping).Steps)).Reason);
    }

    [Fact]
    public void Decide_Forbid_IgnoresEndedRunsAndOtherJobsRuns()
    {
        var ended = Active(5);
        ended.State = RunState.Succeeded;
        var otherJobs = Active(6, jobId: 2);

        Assert.Equal([new StartDue(Noon, RunReason.Scheduled)], Decide(Scheduled(), Noon, ended, otherJobs).Steps);
    }

    [Fact]
    public void Decide_ForbidWithNoActiveRun_Starts() =>
        Assert.Equal([new StartDue(Noon, RunReason.Scheduled)], Decide(Scheduled(concurrency: ConcurrencyPolicy.Forbid), Noon).Steps);

    [Fact]
    public void Decide_AllowWithAnActiveRun_StartsAnother() =>
        Assert.Equal(
            [new StartDue(Noon, RunReason.Scheduled)],
            Decide(Scheduled(concurrency: ConcurrencyPolicy.Allow), Noon, Active(7)).Steps);

    [Fact]
    public void Decide_ReplaceWithAnActiveRun_ReplacesItThenStarts() =>
        Assert.Equal(
            [new ReplaceRun(7), new StartDue(Noon, RunReason.Scheduled)],
            Decide(Scheduled(concurrency: ConcurrencyPolicy.Replace), Noon, Active(7)).Steps);

    [Fact]
    public void Decide_ReplaceWithTwoActiveRuns_ReplacesBothOldestFirstThenStartsOne() =>
        Assert.Equal(
            [new ReplaceRun(3), new ReplaceRun(7), new StartDue(Noon, RunReason.Scheduled)],
            Decide(Scheduled(concurrency: ConcurrencyPolicy.Replace), Noon, Active(7), Active(3, RunState.Starting)).Steps);

    [Fact]
    public void Decide_ReplaceWithARunAlreadyBeingStopped_LeavesItsStopReasonAlone()
    {
        var timingOut = Active(3);
        timingOut.StopRequestedAt = Noon.AddSeconds(-10);
        timingOut.StopReason = RunReason.TimedOut;

        Assert.Equal(
            [new ReplaceRun(7), new StartDue(Noon, RunReason.Scheduled)],
            Decide(Scheduled(concurrency: ConcurrencyPolicy.Replace), Noon, timingOut, Active(7)).Steps);
    }

    [Fact]
    public void Decide_ReplaceWithNoActiveRun_JustStarts() =>
        Assert.Equal([new StartDue(Noon, RunReason.Scheduled)], Decide(Scheduled(concurrency: ConcurrencyPolicy.Replace), Noon).Steps);

    // ---- a controller that was down across 3 due times (10:00, 11:00, 12:00; back at 12:20) --

    [Fact]
    public void Decide_DownAcrossThreeDueTimes_CatchUpOnce_OneLateRunForTheLatestAndTwoMissed()
    {
        var decision = Decide(Scheduled(lastDueAt: At(9)), At(12, 20));

        Assert.Equal(At(12), decision.LastDueAt);
        Assert.Equal(
            [
                new SkipDue(At(10), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(11), RunReason.Missed, MissedOutsideWindow),
                new StartDue(At(12), RunReason.CaughtUp),
            ],
            decision.Steps);
    }

    [Fact]
    public void Decide_DownAcrossThreeDueTimesInsideTheWindow_CatchUpOnce_RunsOnlyTheLatest() =>
        Assert.Equal(
            [
                new SkipDue(At(11, 45), RunReason.Missed, MissedOnce),
                new SkipDue(At(12), RunReason.Missed, MissedOnce),
                new StartDue(At(12, 15), RunReason.CaughtUp),
            ],
            Decide(Scheduled("*/15 * * * *", lastDueAt: At(11, 30)), At(12, 20)).Steps);

    [Fact]
    public void Decide_DownAcrossThreeDueTimes_CatchUpSkip_ThreeMissedAndNoRun()
    {
        var decision = Decide(Scheduled(catchUp: CatchUpPolicy.Skip, lastDueAt: At(9)), At(12, 20));

        Assert.Equal(At(12), decision.LastDueAt);
        Assert.Equal(
            [
                new SkipDue(At(10), RunReason.Missed, MissedSkip),
                new SkipDue(At(11), RunReason.Missed, MissedSkip),
                new SkipDue(At(12), RunReason.Missed, MissedSkip),
            ],
            decision.Steps);
    }

    [Fact]
    public void Decide_DownAcrossThreeDueTimes_ForbidWithAnActiveRun_TheCatchUpOverlaps() =>
        Assert.Equal(
            [
                new SkipDue(At(10), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(11), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(12), RunReason.Overlap, "skipped: the previous run (id 7) was still running"),
            ],
            Decide(Scheduled(lastDueAt: At(9)), At(12, 20), Active(7)).Steps);

    [Fact]
    public void Decide_DownAcrossThreeDueTimes_Replace_TheCatchUpReplacesTheActiveRun() =>
        Assert.Equal(
            [
                new SkipDue(At(10), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(11), RunReason.Missed, MissedOutsideWindow),
                new ReplaceRun(7),
                new StartDue(At(12), RunReason.CaughtUp),
            ],
            Decide(Scheduled(concurrency: ConcurrencyPolicy.Replace, lastDueAt: At(9)), At(12, 20), Active(7)).Steps);

    [Fact]
    public void Decide_BackExactlyAtADueTime_TheOnTimeOneWinsTheSingleRun() =>
        Assert.Equal(
            [
                new SkipDue(At(10), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(11), RunReason.Missed, MissedOutsideWindow),
                new StartDue(At(12), RunReason.Scheduled),
            ],
            Decide(Scheduled(lastDueAt: At(9)), At(12, 0, 30)).Steps);

    [Fact]
    public void Decide_BackExactlyAtADueTime_CatchUpSkip_StillRunsTheOnTimeOne() =>
        Assert.Equal(
            [
                new SkipDue(At(10), RunReason.Missed, MissedSkip),
                new SkipDue(At(11), RunReason.Missed, MissedSkip),
                new StartDue(At(12), RunReason.Scheduled),
            ],
            Decide(Scheduled(catchUp: CatchUpPolicy.Skip, lastDueAt: At(9)), At(12)).Steps);

    [Fact]
    public void Decide_SeveralDueTimesWithinLateness_OnlyTheLatestIsOnTime()
    {
        var settings = Settings with { Lateness = TimeSpan.FromMinutes(5) };

        Assert.Equal(
            [
                new SkipDue(At(11, 58), RunReason.Missed, MissedOnce),
                new SkipDue(At(11, 59), RunReason.Missed, MissedOnce),
                new StartDue(At(12), RunReason.Scheduled),
            ],
            Decide(Scheduled("* * * * *", lastDueAt: At(11, 57)), At(12, 0, 10), settings).Steps);
    }

    // ---- the catch-up window -------------------------------------------------------------------

    [Fact]
    public void Decide_CatchUpOutsideTheWindow_EveryDueTimeIsMissed()
    {
        // Daily at 03:00; the controller was down from the 24th until noon on the 27th.
        var decision = Decide(Scheduled("0 3 * * *", lastDueAt: At(3).AddDays(-3)), Noon);

        Assert.Equal(At(3), decision.LastDueAt);
        Assert.Equal(
            [
                new SkipDue(At(3).AddDays(-2), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(3).AddDays(-1), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(3), RunReason.Missed, MissedOutsideWindow),
            ],
            decision.Steps);
    }

    [Fact]
    public void Decide_CatchUpWindow_IncludesItsEdge()
    {
        var settings = Settings with { CatchUpWindow = TimeSpan.FromMinutes(30) };

        Assert.Equal([new StartDue(Noon, RunReason.CaughtUp)], Decide(Scheduled(), Noon.AddMinutes(30), settings).Steps);
        Assert.Equal(
            [new SkipDue(Noon, RunReason.Missed, "missed: it fell due while the controller was down, more than 30m ago (the catch-up window)")],
            Decide(Scheduled(), Noon.AddMinutes(30).AddSeconds(1), settings).Steps);
    }

    [Fact]
    public void Decide_CatchUpOnce_EarlierMissesInsideAndOutsideTheWindowSayWhichIsWhich()
    {
        var decision = Decide(Scheduled("*/30 * * * *", lastDueAt: At(10, 30)), At(12, 10));

        Assert.Equal(
            [
                new SkipDue(At(11), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(11, 30), RunReason.Missed, MissedOnce),
                new StartDue(At(12), RunReason.CaughtUp),
            ],
            decision.Steps);
    }

    // ---- long outages: bounded records ---------------------------------------------------------

    [Fact]
    public void Decide_DownForAWeek_Hourly_CatchUpOnce_RecordsTheLatestTenAndCountsTheRest()
    {
        var decision = Decide(Scheduled(lastDueAt: Noon.AddDays(-7)), Noon.AddMinutes(20));

        // 168 due times: one late run, the 10 before it recorded, 157 counted.
        Assert.Equal(Noon, decision.LastDueAt);
        Assert.Equal(11, decision.Steps.Count);
        var skips = decision.Steps.Take(10).Select(s => Assert.IsType<SkipDue>(s)).ToList();
        Assert.Equal(Enumerable.Range(2, 10).Select(h => At(h)), skips.Select(s => s.DueAt));
        Assert.All(skips, s => Assert.Equal(RunReason.Missed, s.Reason));
        Assert.Equal(
            MissedOutsideWindow + "; and 157 earlier due times since 2026-11-20T13:00:00Z, missed while the controller was down",
            skips[0].Message);
        Assert.All(skips.Skip(1), s => Assert.Equal(MissedOutsideWindow, s.Message));
        Assert.Equal(new StartDue(Noon, RunReason.CaughtUp), decision.Steps[^1]);
    }

    [Fact]
    public void Decide_DownForAWeek_Hourly_CatchUpSkip_RecordsTheLatestTenAndCountsTheRest()
    {
        var decision = Decide(Scheduled(catchUp: CatchUpPolicy.Skip, lastDueAt: Noon.AddDays(-7)), Noon.AddMinutes(20));

        Assert.Equal(Noon, decision.LastDueAt);
        var skips = decision.Steps.Select(s => Assert.IsType<SkipDue>(s)).ToList();
        Assert.Equal(Enumerable.Range(3, 10).Select(h => At(h)), skips.Select(s => s.DueAt));
        Assert.Equal(MissedSkip + "; and 158 earlier due times since 2026-11-20T13:00:00Z, missed while the controller was down", skips[0].Message);
    }

    [Fact]
    public void Decide_OneMoreMissThanRecorded_CountsItInTheSingular()
    {
        var settings = Settings with { MaxRecordedMisses = 2 };
        var decision = Decide(Scheduled(catchUp: CatchUpPolicy.Skip, lastDueAt: At(8)), At(11, 20), settings);

        Assert.Equal(
            [
                new SkipDue(At(10), RunReason.Missed, MissedSkip + "; and 1 earlier due time since 2026-11-27T09:00:00Z, missed while the controller was down"),
                new SkipDue(At(11), RunReason.Missed, MissedSkip),
            ],
            decision.Steps);
    }

    [Fact]
    public void Decide_AsManyMissesAsRecorded_NeedNoCount()
    {
        var settings = Settings with { MaxRecordedMisses = 3 };

        Assert.All(
            Decide(Scheduled(catchUp: CatchUpPolicy.Skip, lastDueAt: At(8)), At(11, 20), settings).Steps,
            s => Assert.Equal(MissedSkip, Assert.IsType<SkipDue>(s).Message));
    }

    [Fact]
    public void Decide_DownForAMonth_EveryMinute_StaysBounded()
    {
        var job = Scheduled("* * * * *", lastDueAt: Noon.AddDays(-30));
        var decision = Decide(job, Noon.AddSeconds(30));

        // 43,200 due times, the last on time: 10 recorded, 43,189 counted, one run.
        Assert.Equal(Noon, decision.LastDueAt);
        Assert.Equal(11, decision.Steps.Count);
        Assert.EndsWith(
            "; and 43189 earlier due times since 2026-10-28T12:01:00Z, missed while the controller was down",
            Assert.IsType<SkipDue>(decision.Steps[0]).Message,
            StringComparison.Ordinal);
        Assert.Equal(new StartDue(Noon, RunReason.Scheduled), decision.Steps[^1]);
    }

    // ---- new jobs -----------------------------------------------------------------------------

    [Fact]
    public void Decide_NewJobCreatedBetweenDueTimes_DoesNotCatchUp()
    {
        var job = Scheduled(createdAt: At(11, 30));

        Assert.Same(ScheduleDecision.Nothing, Decide(job, At(11, 45)));
        var decision = Decide(job, At(12, 0, 2));
        Assert.Equal(At(12), decision.LastDueAt);
        Assert.Equal([new StartDue(At(12), RunReason.Scheduled)], decision.Steps);
    }

    [Fact]
    public void Decide_NewJobCreatedWhileTheControllerWasDown_OnlyConsidersDueTimesSinceItExisted() =>
        Assert.Equal(
            [
                new SkipDue(At(12), RunReason.Missed, MissedOutsideWindow),
                new SkipDue(At(13), RunReason.Missed, MissedOutsideWindow),
                new StartDue(At(14), RunReason.CaughtUp),
            ],
            Decide(Scheduled(createdAt: At(11, 30)), At(14, 10)).Steps);

    [Fact]
    public void Decide_NewJobCreatedExactlyAtADueTime_DoesNotRunForIt() =>
        Assert.Same(ScheduleDecision.Nothing, Decide(Scheduled(createdAt: Noon), Noon.AddSeconds(5)));

    // ---- exactly once -------------------------------------------------------------------------

    [Fact]
    public void Decide_AgainAtTheSameNowAfterSavingLastDueAt_DoesNothing()
    {
        var job = Scheduled(lastDueAt: At(9));
        var first = Decide(job, At(12, 20));
        job.LastDueAt = first.LastDueAt;

        Assert.NotEmpty(first.Steps);
        Assert.Same(ScheduleDecision.Nothing, Decide(job, At(12, 20)));
        Assert.Same(ScheduleDecision.Nothing, Decide(job, At(12, 59)));
    }

    [Theory]
    [InlineData("15 * * * *", "Europe/Berlin", 2026, 3, 29, 0)]
    [InlineData("15 * * * *", "Europe/Berlin", 2026, 10, 25, 0)]
    [InlineData("30 2 * * *", "Europe/Berlin", 2026, 3, 29, 0)]
    [InlineData("30 2 * * *", "Europe/Berlin", 2026, 10, 25, 0)]
    [InlineData("*/30 1 * * *", "America/New_York", 2026, 11, 1, 0)]
    [InlineData("15 * * * *", "America/New_York", 2026, 3, 8, 0)]
    [InlineData("15 * * * *", "Europe/Berlin", 2026, 3, 29, 30)]
    [InlineData("30 2 * * *", "Europe/Berlin", 2026, 10, 25, 30)]
    [InlineData("*/30 1 * * *", "America/New_York", 2026, 11, 1, 45)]
    [InlineData("* * * * *", "America/New_York", 2026, 11, 1, 59)]
    public void Decide_ControllerTickingThroughADstChange_StartsEveryDueTimeOnceOnTime(string text, string zone, int year, int month, int day, int leadSeconds)
    {
        var job = Scheduled(text, concurrency: ConcurrencyPolicy.Allow, createdAt: new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero).AddDays(-1), zone: zone);
        var schedule = Cron(job);
        var end = job.CreatedAt.AddDays(2);
        var started = new List<DateTimeOffset>();
        var settings = Settings with { LeadTime = TimeSpan.FromSeconds(leadSeconds) };

        for (var now = job.CreatedAt; now <= end; now = now.AddSeconds(leadSeconds == 0 ? 30 : 7))
        {
            var decision = ScheduleRules.Decide(job, schedule, [], now, settings);
            job.LastDueAt = decision.LastDueAt ?? job.LastDueAt;
            Assert.All(decision.Steps, s => Assert.Equal(RunReason.Scheduled, Assert.IsType<StartDue>(s).Reason));
            started.AddRange(decision.Steps.OfType<StartDue>().Select(s => s.DueAt));
        }

        // Ahead of time, the last ticks may already have dealt with a due time after the end.
        Assert.Equal(schedule.Between(job.CreatedAt, end, 10_000), started.Where(d => d <= end));
        Assert.Equal(started.Distinct(), started);
    }

    [Theory]
    [InlineData(ConcurrencyPolicy.Forbid, CatchUpPolicy.Once)]
    [InlineData(ConcurrencyPolicy.Allow, CatchUpPolicy.Once)]
    [InlineData(ConcurrencyPolicy.Replace, CatchUpPolicy.Once)]
    [InlineData(ConcurrencyPolicy.Forbid, CatchUpPolicy.Skip)]
    [InlineData(ConcurrencyPolicy.Allow, CatchUpPolicy.Skip)]
    [InlineData(ConcurrencyPolicy.Replace, CatchUpPolicy.Skip)]
    public void Decide_AnyOutage_NeverMoreThanOneRun(ConcurrencyPolicy concurrency, CatchUpPolicy catchUp)
    {
        foreach (var downMinutes in new[] { 0, 1, 59, 61, 119, 121, 600, 1440, 10080 })
        {
            foreach (var lateSeconds in new[] { 0, 30, 60, 61, 1800, 3599 })
            {
                var now = Noon.AddSeconds(lateSeconds);
                var job = Scheduled("*/30 * * * *", concurrency, catchUp, lastDueAt: Noon.AddMinutes(-downMinutes - 1));
                var decision = Decide(job, now, Active(7));

                Assert.True(decision.Steps.OfType<StartDue>().Count() <= 1);
                Assert.True(decision.Steps.OfType<SkipDue>().Count(s => s.Reason == RunReason.Missed) <= Settings.MaxRecordedMisses);
                var lastDue = Cron(job).Between(job.LastDueAt!.Value, now)[^1];
                Assert.Equal(lastDue, decision.LastDueAt);
            }
        }
    }

    // ---- ahead of the due time ------------------------------------------------------------------

    [Theory]
    [InlineData(30)]
    [InlineData(1)]
    public void Ahead_WithinTheLeadTime_TheNextDueTimesRunStartsAheadAndIsDealtWith(int secondsBefore)
    {
        var decision = Decide(Scheduled(lastDueAt: Noon), At(13).AddSeconds(-secondsBefore), Ahead);

        Assert.Equal(At(13), decision.LastDueAt);
        Assert.Equal([new StartDue(At(13), RunReason.Scheduled)], decision.Steps);
    }

    [Fact]
    public void Ahead_BeyondTheLeadTime_DoesNothing() =>
        Assert.Same(ScheduleDecision.Nothing, Decide(Scheduled(lastDueAt: Noon), At(13).AddSeconds(-31), Ahead));

    [Fact]
    public void Ahead_ZeroLeadTime_WaitsForTheDueTime() =>
        Assert.Same(ScheduleDecision.Nothing, Decide(Scheduled(lastDueAt: Noon), At(13).AddSeconds(-1), Settings));

    [Fact]
    public void Ahead_OfANewJob_CountsFromItsCreation() =>
        Assert.Equal([new StartDue(At(13), RunReason.Scheduled)], Decide(Scheduled(createdAt: At(12, 59, 50)), At(12, 59, 55), Ahead).Steps);

    [Theory]
    [InlineData(ConcurrencyPolicy.Forbid)]
    [InlineData(ConcurrencyPolicy.Replace)]
    public void Ahead_WithAnActiveRun_UnlessOverlapsAreAllowed_WaitsForTheDueTime(ConcurrencyPolicy concurrency) =>
        Assert.Same(ScheduleDecision.Nothing, Decide(Scheduled(concurrency: concurrency, lastDueAt: Noon), At(12, 59, 45), Ahead, Active(7)));

    [Fact]
    public void Ahead_AllowWithARunningRun_StartsAhead() =>
        Assert.Equal(At(13), Decide(Scheduled(concurrency: ConcurrencyPolicy.Allow, lastDueAt: Noon), At(12, 59, 45), Ahead, Active(7)).LastDueAt);

    [Fact]
    public void Ahead_AllowWithARunHeldAlready_NeverHoldsTwo()
    {
        var held = Active(7, RunState.Starting);
        held.NotBefore = At(13);

        Assert.Same(ScheduleDecision.Nothing, Decide(Scheduled("* * * * *", ConcurrencyPolicy.Allow, lastDueAt: At(13)), At(13).AddSeconds(-5), Ahead with { LeadTime = TimeSpan.FromMinutes(5) }, held));
    }

    [Fact]
    public void Ahead_OnceSaved_TheDueTimeIsNotDealtWithAgainBeforeOrWhenItComes()
    {
        var job = Scheduled(lastDueAt: Noon);
        var first = Decide(job, At(12, 59, 40), Ahead);
        job.LastDueAt = first.LastDueAt;

        Assert.Same(ScheduleDecision.Nothing, Decide(job, At(12, 59, 50), Ahead));
        Assert.Same(ScheduleDecision.Nothing, Decide(job, At(13), Ahead));
        Assert.Same(ScheduleDecision.Nothing, Decide(job, At(13, 0, 30), Ahead));
        Assert.Equal(At(14), Decide(job, At(13, 59, 40), Ahead).LastDueAt);
    }

    [Fact]
    public void Ahead_LastDueAtSetBackByAChange_DealsWithTheDueTimeAgain()
    {
        var job = Scheduled(lastDueAt: At(12, 59, 50));

        Assert.Equal([new StartDue(At(13), RunReason.Scheduled)], Decide(job, At(12, 59, 50), Ahead).Steps);
    }

    // ---- settings -----------------------------------------------------------------------------

    [Fact]
    public void Settings_Defaults()
    {
        Assert.Equal(new ScheduleSettings(TimeSpan.FromSeconds(60), TimeSpan.FromHours(1), 10), ScheduleSettings.Default);
        Assert.Equal(TimeSpan.FromSeconds(30), ScheduleSettings.Default.LeadTime);
        Assert.Equal(ScheduleSettings.Default, new ScheduleSettings());
        Assert.Empty(ScheduleSettings.Default.Problems());
    }

    [Fact]
    public void Settings_Invalid_ReportsEveryProblemAndDecideRefusesThem()
    {
        var settings = new ScheduleSettings(TimeSpan.FromSeconds(-1), TimeSpan.FromMinutes(-5), 0);

        Assert.Equal(3, settings.Problems().Count);
        var error = Assert.Throws<ArgumentException>(() => Decide(Scheduled(), Noon, settings));
        Assert.Contains("must not be negative", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Decide(Scheduled(), Noon, Settings with { MaxRecordedMisses = 0 }));
        Assert.Contains("lead time", Assert.Single((Settings with { LeadTime = TimeSpan.FromSeconds(-1) }).Problems()), StringComparison.Ordinal);
        Assert.Contains("between 0 and 10 minutes", Assert.Single((Settings with { LeadTime = TimeSpan.FromMinutes(11) }).Problems()), StringComparison.Ordinal);
    }

    // ---- next due times -----------------------------------------------------------------------

    [Fact]
    public void NextDueTimes_AreTheComingOnes() =>
        Assert.Equal([At(13), At(14), At(15)], ScheduleRules.NextDueTimes(Scheduled(), Cron(Scheduled()), At(12, 20), 3));

    [Fact]
    public void NextDueTimes_ExcludeNow() =>
        Assert.Equal([At(13)], ScheduleRules.NextDueTimes(Scheduled(), Cron(Scheduled()), At(12), 1));

    [Fact]
    public void NextDueTimes_IncludeOneWhoseRunIsSetUpAhead()
    {
        var job = Scheduled(lastDueAt: At(13));

        Assert.Equal([At(13), At(14)], ScheduleRules.NextDueTimes(job, Cron(job), At(12, 59, 59), 2));
    }

    [Fact]
    public void NextDueTimes_DeletedJobOrNoneAsked_AreEmpty()
    {
        var job = Scheduled();
        Assert.Empty(ScheduleRules.NextDueTimes(job, Cron(job), Noon, 0));
        job.DeletedAt = Noon;
        Assert.Empty(ScheduleRules.NextDueTimes(job, Cron(job), Noon, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleRules.NextDueTimes(job, Cron(job), Noon, -1));
    }

    [Fact]
    public void NextDueTimes_InTheJobsZone_AcrossSpringForward()
    {
        var job = Scheduled("30 2 * * *", createdAt: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), zone: "Europe/Berlin");

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero),
            ],
            ScheduleRules.NextDueTimes(job, Cron(job), new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), 3));
    }
}
