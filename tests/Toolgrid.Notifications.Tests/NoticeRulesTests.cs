using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Notifications;
using Toolgrid.Notifications.Tests.Support;

namespace Toolgrid.Notifications.Tests;

public sealed class NoticeRulesTests
{
    /// <summary>Every way a run ends, and whether it counts as a failure.</summary>
    public static TheoryData<RunState, RunReason, int?, int?, bool> Outcomes => new()
    {
        { RunState.Succeeded, RunReason.Exited, 0, null, false },
        { RunState.Failed, RunReason.Exited, 3, null, true },
        { RunState.Failed, RunReason.Signaled, null, 11, true },
        { RunState.Failed, RunReason.OutOfMemory, null, 9, true },
        { RunState.Failed, RunReason.TimedOut, null, 15, true },
        { RunState.Failed, RunReason.StartFailed, null, null, true },
        { RunState.Failed, RunReason.Unhealthy, null, 15, true },
        { RunState.Lost, RunReason.NodeLost, null, null, true },
        { RunState.Lost, RunReason.ShepherdLost, null, null, true },
        { RunState.Lost, RunReason.Vanished, null, null, true },
        { RunState.Killed, RunReason.Stopped, null, 15, false },
        { RunState.Killed, RunReason.Replaced, null, 15, false },
        { RunState.Killed, RunReason.JobDeleted, null, 15, false },
        { RunState.Killed, RunReason.ToolDeleted, null, 15, false },
        { RunState.Killed, RunReason.Detached, null, 1, false },
        { RunState.Skipped, RunReason.Overlap, null, null, true },
        { RunState.Skipped, RunReason.Missed, null, null, true },
    };

    public static TheoryData<EmailPolicy, RunState, RunReason, int?, int?, bool> PolicyByOutcome()
    {
        var data = new TheoryData<EmailPolicy, RunState, RunReason, int?, int?, bool>();
        foreach (var policy in Enum.GetValues<EmailPolicy>())
        {
            foreach (var row in Outcomes)
            {
                var (state, reason, exit, signal, failure) = ((RunState)row[0], (RunReason)row[1], (int?)row[2], (int?)row[3], (bool)row[4]);
                var mailed = policy switch
                {
                    EmailPolicy.None => false,
                    EmailPolicy.OnFailure => failure,
                    _ => true,
                };
                data.Add(policy, state, reason, exit, signal, mailed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyByOutcome))]
    public void ForRunEnd_EachPolicyAndOutcome_NoticesExactlyWhatThePolicyPromises(EmailPolicy policy, RunState state, RunReason reason, int? exitCode, int? signal, bool mailed)
    {
        var job = Samples.Job(policy, state == RunState.Skipped ? JobKind.Scheduled : JobKind.OneOff);
        var run = Samples.Ended(job, state, reason, exitCode, signal);

        var notice = NoticeRules.ForRunEnd(job, run, "last line");

        Assert.Equal(mailed, notice is not null);
        if (notice is not null)
        {
            Assert.Equal("mytool", notice.ToolName);
            Assert.Equal("fetch", notice.JobName);
            Assert.Equal(42, notice.RunId);
            Assert.Equal(run.FinishedAt, notice.At);
            Assert.Null(notice.MailId);
            Assert.Equal(
                state switch
                {
                    RunState.Succeeded => NoticeKind.RunSucceeded,
                    RunState.Skipped => NoticeKind.RunSkipped,
                    _ => NoticeKind.RunFailed,
                },
                notice.Kind);
        }
    }

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void IsFailure_MatchesTheDocumentedSplit(RunState state, RunReason reason, int? exitCode, int? signal, bool failure)
    {
        _ = (exitCode, signal);
        Assert.Equal(failure, NoticeRules.IsFailure(state, reason));
    }

    [Fact]
    public void IsFailure_AKillForAReasonNotAskedFor_CountsAsAFailure() =>
        Assert.True(NoticeRules.IsFailure(RunState.Killed, RunReason.NodeLost));

    [Theory]
    [InlineData(RunState.Succeeded, RunReason.Exited, 0, null, "succeeded: exit code 0 after 12s")]
    [InlineData(RunState.Failed, RunReason.Exited, 3, null, "failed: exit code 3 after 12s")]
    [InlineData(RunState.Failed, RunReason.Signaled, null, 11, "failed: killed by signal 11 (SIGSEGV) after 12s")]
    [InlineData(RunState.Failed, RunReason.OutOfMemory, null, 9, "ran out of memory: went over its limit of 512Mi and was killed after 12s")]
    [InlineData(RunState.Failed, RunReason.TimedOut, null, 15, "timed out: ran past its timeout of 1h and was stopped after 12s")]
    [InlineData(RunState.Failed, RunReason.Unhealthy, null, 15, "unhealthy: failed its health check and was stopped after 12s")]
    [InlineData(RunState.Lost, RunReason.NodeLost, null, null, "lost: node node1 went down; how the run ended is unknown")]
    [InlineData(RunState.Lost, RunReason.ShepherdLost, null, null, "lost: the shepherd watching it on node1 is gone; how the run ended is unknown")]
    [InlineData(RunState.Killed, RunReason.Stopped, null, 15, "stopped: by a maintainer, an admin or the tool itself after 12s")]
    [InlineData(RunState.Killed, RunReason.JobDeleted, null, 15, "stopped: its job was deleted after 12s")]
    public void ForRunEnd_Summary_SaysWhatHappened(RunState state, RunReason reason, int? exitCode, int? signal, string summary)
    {
        var job = Samples.Job(EmailPolicy.OnFinish);

        var notice = NoticeRules.ForRunEnd(job, Samples.Ended(job, state, reason, exitCode, signal), null);

        Assert.Equal(summary, Assert.IsType<Notice>(notice).Summary);
    }

    [Fact]
    public void ForRunEnd_StartFailed_SaysTheBackendsReasonOnOneLine()
    {
        var job = Samples.Job(EmailPolicy.OnFailure);
        var run = Samples.Ended(job, RunState.Failed, RunReason.StartFailed);
        run.Message = "no such directory: logs\nsecond line";

        var notice = NoticeRules.ForRunEnd(job, run, null);

        Assert.Equal("failed to start: no such directory: logs second line", notice?.Summary);
    }

    [Fact]
    public void ForRunEnd_ARunStillGoing_GivesNone()
    {
        var job = Samples.Job(EmailPolicy.All);
        var run = Samples.Ended(job, RunState.Running, RunReason.Started);

        Assert.Null(NoticeRules.ForRunEnd(job, run, null));
    }

    [Fact]
    public void ForRunEnd_AHugeExcerpt_KeepsItsEndWithinTheCap()
    {
        var job = Samples.Job(EmailPolicy.OnFailure);
        var excerpt = new string('x', 40_000) + "\nthe last line";

        var notice = NoticeRules.ForRunEnd(job, Samples.Ended(job, RunState.Failed, RunReason.Exited, 1), excerpt);

        Assert.Equal(NoticeRules.MaxExcerptLength, notice?.Excerpt?.Length);
        Assert.EndsWith("\nthe last line", notice?.Excerpt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EmailPolicy.None, false)]
    [InlineData(EmailPolicy.OnFailure, false)]
    [InlineData(EmailPolicy.OnFinish, false)]
    [InlineData(EmailPolicy.All, true)]
    public void ForRunStart_OnlyUnderAll(EmailPolicy policy, bool mailed)
    {
        var job = Samples.Job(policy);
        var run = Samples.Ended(job, RunState.Running, RunReason.Started);
        run.FinishedAt = null;

        var notice = NoticeRules.ForRunStart(job, run);

        Assert.Equal(mailed, notice is not null);
        if (notice is not null)
        {
            Assert.Equal(NoticeKind.RunStarted, notice.Kind);
            Assert.Equal("started: on node node1", notice.Summary);
            Assert.Equal(Samples.Noon, notice.At);
        }
    }

    [Theory]
    [InlineData(RunReason.Overlap, "skipped: due at 2026-11-27 12:00:00 UTC while the previous run still ran (--concurrency forbid)")]
    [InlineData(RunReason.Missed, "skipped: due at 2026-11-27 12:00:00 UTC while the controller was down; not run late (--catch-up skip, or past the catch-up window)")]
    public void ForSkip_UnderOnFailure_SaysWhyAndWhenItWasDue(RunReason reason, string summary)
    {
        var job = Samples.Job(EmailPolicy.OnFailure, JobKind.Scheduled);

        var notice = NoticeRules.ForSkip(job, Samples.Ended(job, RunState.Skipped, reason));

        Assert.Equal(summary, notice?.Summary);
        Assert.Equal(NoticeKind.RunSkipped, notice?.Kind);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(5, false)]
    [InlineData(6, true)]
    [InlineData(9, false)]
    [InlineData(12, true)]
    [InlineData(24, true)]
    [InlineData(36, false)]
    [InlineData(48, true)]
    [InlineData(3 * 1024, true)]
    public void IsCrashLoopReport_At3rd6th12th24thEndInARow(int restartCount, bool report) =>
        Assert.Equal(report, NoticeRules.IsCrashLoopReport(restartCount));

    [Fact]
    public void ForCrashLoop_SaysHowManyRestartsTheLastExitAndTheNextTry()
    {
        var job = Samples.Job(EmailPolicy.OnFailure, JobKind.Continuous, name: "bot", restartCount: 6);
        var last = Samples.Ended(job, RunState.Failed, RunReason.Exited, exitCode: 1);

        var notice = NoticeRules.ForCrashLoop(job, 6, last, last.FinishedAt!.Value + TimeSpan.FromSeconds(40), "Traceback");

        // Six ends in a row: the first run and five restarts; the sixth restart is to come.
        Assert.Equal("crash-looping: 5 restarts in a row, last exit code 1, next try in 40s (at 2026-11-27 12:00:52 UTC)", notice?.Summary);
        Assert.Equal(NoticeKind.CrashLoop, notice?.Kind);
        Assert.Equal("Traceback", notice?.Excerpt);
        Assert.Equal(last.FinishedAt, notice?.At);
    }

    [Theory]
    [InlineData(RunReason.OutOfMemory, "last ran out of memory (512Mi)")]
    [InlineData(RunReason.Signaled, "last killed by SIGSEGV")]
    public void ForCrashLoop_NamesHowTheLastRunEnded(RunReason reason, string words)
    {
        var job = Samples.Job(EmailPolicy.OnFailure, JobKind.Continuous, name: "bot", restartCount: 3);
        var last = Samples.Ended(job, RunState.Failed, reason, signal: reason == RunReason.Signaled ? 11 : 9);

        var notice = NoticeRules.ForCrashLoop(job, 3, last, last.FinishedAt!.Value);

        Assert.Contains(words + ", next try now", notice?.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EmailPolicy.None, JobKind.Continuous, 3, false)]
    [InlineData(EmailPolicy.OnFailure, JobKind.Continuous, 3, true)]
    [InlineData(EmailPolicy.OnFinish, JobKind.Continuous, 3, true)]
    [InlineData(EmailPolicy.All, JobKind.Continuous, 3, true)]
    [InlineData(EmailPolicy.OnFailure, JobKind.Continuous, 4, false)]
    [InlineData(EmailPolicy.OnFailure, JobKind.OneOff, 3, false)]
    public void ForCrashLoop_UnderFailurePoliciesAtReportPointsOfContinuousJobs(EmailPolicy policy, JobKind kind, int restartCount, bool mailed)
    {
        var job = Samples.Job(policy, kind, restartCount: restartCount);
        var last = Samples.Ended(job, RunState.Failed, RunReason.Exited, exitCode: 1);

        Assert.Equal(mailed, NoticeRules.ForCrashLoop(job, restartCount, last, Samples.Noon + TimeSpan.FromMinutes(1)) is not null);
    }

    [Theory]
    [InlineData(EmailPolicy.OnFailure)]
    [InlineData(EmailPolicy.OnFinish)]
    [InlineData(EmailPolicy.All)]
    public void WhileAJobCrashLoops_ItsRunsEndsAndStartsGiveNoNotice_TheCrashLoopReportsSpeakForThem(EmailPolicy policy)
    {
        var job = Samples.Job(policy, JobKind.Continuous, name: "bot", restartCount: NoticeRules.CrashLoopThreshold);
        var failed = Samples.Ended(job, RunState.Failed, RunReason.Exited, exitCode: 1);
        var running = Samples.Ended(job, RunState.Running, RunReason.Started);

        Assert.Null(NoticeRules.ForRunEnd(job, failed, null));
        Assert.Null(NoticeRules.ForRunStart(job, running));
    }

    [Fact]
    public void BeforeACrashLoop_AContinuousJobsFailuresAreNoticedOneByOne()
    {
        var job = Samples.Job(EmailPolicy.OnFailure, JobKind.Continuous, name: "bot", restartCount: NoticeRules.CrashLoopThreshold - 1);

        Assert.NotNull(NoticeRules.ForRunEnd(job, Samples.Ended(job, RunState.Failed, RunReason.Exited, exitCode: 1), null));
    }

    [Fact]
    public void WhileAJobCrashLoops_AMaintainersStopIsStillNoticedUnderOnFinish()
    {
        var job = Samples.Job(EmailPolicy.OnFinish, JobKind.Continuous, name: "bot", restartCount: 10);

        var notice = NoticeRules.ForRunEnd(job, Samples.Ended(job, RunState.Killed, RunReason.Stopped, signal: 15), null);

        Assert.StartsWith("stopped: ", notice?.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ForChange_AnEndCountedInACrashLoop_GivesTheReport_ReadingTheOutputOnce()
    {
        var job = Samples.Job(EmailPolicy.OnFailure, JobKind.Continuous, name: "bot", restartCount: 3);
        job.NextStartAt = Samples.Noon + TimeSpan.FromSeconds(32);
        var run = Samples.Ended(job, RunState.Failed, RunReason.Exited, exitCode: 1);
        var reads = 0;

        var notices = NoticeRules.ForChange(job, run, RunState.Running, crashLoopCounted: true, Samples.Noon, () => $"read {++reads}");

        var notice = Assert.Single(notices);
        Assert.Equal(NoticeKind.CrashLoop, notice.Kind);
        Assert.Equal("read 1", notice.Excerpt);
        Assert.Equal(1, reads);
        Assert.Contains("next try in 20s", notice.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ForChange_AnEndBeforeTheLoop_GivesTheEndOnly()
    {
        var job = Samples.Job(EmailPolicy.OnFailure, JobKind.Continuous, name: "bot", restartCount: 1);

        var notices = NoticeRules.ForChange(job, Samples.Ended(job, RunState.Failed, RunReason.Exited, exitCode: 1), RunState.Running, crashLoopCounted: true, Samples.Noon, () => "out");

        Assert.Equal([NoticeKind.RunFailed], notices.Select(n => n.Kind));
    }

    [Fact]
    public void ForChange_NoNotice_DoesNotReadTheOutput()
    {
        var job = Samples.Job(EmailPolicy.OnFailure);

        var notices = NoticeRules.ForChange(job, Samples.Ended(job, RunState.Succeeded, RunReason.Exited, exitCode: 0), RunState.Running, crashLoopCounted: false, Samples.Noon, () => throw new InvalidOperationException("read"));

        Assert.Empty(notices);
    }

    [Fact]
    public void ForChange_AStart_UnderAll_OnlyWhenTheRunReallyStarted()
    {
        var job = Samples.Job(EmailPolicy.All);
        var run = Samples.Ended(job, RunState.Running, RunReason.Started);
        run.FinishedAt = null;

        Assert.Equal([NoticeKind.RunStarted], NoticeRules.ForChange(job, run, RunState.Starting, false, Samples.Noon, () => null).Select(n => n.Kind));
        Assert.Empty(NoticeRules.ForChange(job, run, RunState.Running, false, Samples.Noon, () => null));
    }

    [Fact]
    public void ForChange_ASkip_UnderOnFailure()
    {
        var job = Samples.Job(EmailPolicy.OnFailure, JobKind.Scheduled);

        Assert.Equal([NoticeKind.RunSkipped], NoticeRules.ForChange(job, Samples.Ended(job, RunState.Skipped, RunReason.Overlap), RunState.Queued, false, Samples.Noon, () => null).Select(n => n.Kind));
    }

    [Fact]
    public void ForChange_ARunThatHadEndedAlready_GivesNothing()
    {
        var job = Samples.Job(EmailPolicy.All);

        Assert.Empty(NoticeRules.ForChange(job, Samples.Ended(job, RunState.Failed, RunReason.Exited, exitCode: 1), RunState.Failed, false, Samples.Noon, () => null));
    }

    [Theory]
    [InlineData("failed: exit code 1", "failed")]
    [InlineData("crash-looping: 3 restarts in a row", "crash-looping")]
    [InlineData("ran out of memory: went over", "ran out of memory")]
    [InlineData("started", "started")]
    public void Headline_IsTheWordsBeforeTheFirstColon(string summary, string headline) =>
        Assert.Equal(headline, NoticeRules.Headline(summary));
}
