using Toolgrid.Core.Notifications;
using Toolgrid.Core.Tools;
using Toolgrid.Notifications.Tests.Support;

namespace Toolgrid.Notifications.Tests;

public sealed class MailBatcherTests
{
    private static readonly DateTimeOffset Noon = Samples.Noon;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(400);

    private readonly MailBatcher _batcher = new(new MailBatchSettings
    {
        Window = Window,
        AddressFormat = "{user}@example.org",
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
        ExcerptMaxLines = 10,
        ExcerptMaxLength = 2048,
    });

    private static Dictionary<string, Tool> Tools(params Tool[] tools) => tools.ToDictionary(t => t.Name, StringComparer.Ordinal);

    [Fact]
    public void Decide_BeforeTheOldestNoticeIsAWindowOld_NoMail()
    {
        var notices = new[] { Samples.Notice("mytool", "fetch", Noon), Samples.Notice("mytool", "fetch", Noon + TimeSpan.FromSeconds(300)) };

        Assert.Empty(_batcher.Decide(notices, Tools(Samples.Tool(maintainers: "alice")), Noon + Window - TimeSpan.FromSeconds(1)));
        Assert.Equal(Noon + Window, _batcher.DueAt(notices));
    }

    [Fact]
    public void Decide_OnceTheOldestIsAWindowOld_OneMailWithEveryUnmailedNoticeOfTheTool()
    {
        var notices = new[]
        {
            Samples.Notice("mytool", "fetch", Noon, id: 1),
            Samples.Notice("mytool", "fetch", Noon + TimeSpan.FromSeconds(399), id: 2),
        };

        var batch = Assert.Single(_batcher.Decide(notices, Tools(Samples.Tool(maintainers: "alice")), Noon + Window));

        Assert.Equal([1L, 2L], batch.Notices.Select(n => n.Id));
        Assert.Equal("mytool", batch.Mail.ToolName);
        Assert.Equal(Noon + Window, batch.Mail.NextAttemptAt);
        Assert.Equal(Noon + Window, batch.Mail.CreatedAt);
        Assert.Null(batch.Mail.FailedAt);
    }

    [Fact]
    public void Decide_NoticesAlreadyInAMail_AreLeftOut()
    {
        var mailed = Samples.Notice("mytool", "fetch", Noon - TimeSpan.FromHours(1));
        mailed.MailId = 7;

        Assert.Empty(_batcher.Decide([mailed, Samples.Notice("mytool", "fetch", Noon)], Tools(Samples.Tool(maintainers: "alice")), Noon + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Decide_GroupsPerTool_EachOnItsOwnWindow()
    {
        var notices = new[]
        {
            Samples.Notice("alpha", "fetch", Noon),
            Samples.Notice("beta", "bot", Noon + TimeSpan.FromSeconds(100)),
            Samples.Notice("alpha", "digest", Noon + TimeSpan.FromSeconds(200)),
            Samples.Notice("gamma", "web", Noon + TimeSpan.FromSeconds(500)),
        };
        var tools = Tools(Samples.Tool("alpha", maintainers: "alice"), Samples.Tool("beta", maintainers: "bob"), Samples.Tool("gamma", maintainers: "carol"));

        var batches = _batcher.Decide(notices, tools, Noon + TimeSpan.FromSeconds(500));

        Assert.Equal(["alpha", "beta"], batches.Select(b => b.Mail.ToolName));
        Assert.Equal(["fetch", "digest"], batches[0].Notices.Select(n => n.JobName));
        Assert.Equal("alice@example.org", batches[0].Mail.Recipients);
        Assert.Equal("bob@example.org", batches[1].Mail.Recipients);
    }

    [Fact]
    public void Recipients_EveryMaintainerAndTheToolsOwnAddress_EachOnce()
    {
        var tool = Samples.Tool(email: "  Alice@Example.org ", maintainers: ["bob", "alice", "carol"]);
        tool.Maintainers.Add(new Maintainer { ToolName = "mytool", UserName = "bob", AddedBy = "alice" });

        Assert.Equal(["alice@example.org", "bob@example.org", "carol@example.org"], _batcher.Recipients(tool));
    }

    [Fact]
    public void Recipients_TheToolsOwnAddressIsAddedWhenItIsNotAMaintainers()
    {
        var tool = Samples.Tool(email: "mytool-team@lists.example.org", maintainers: ["alice"]);

        Assert.Equal(["alice@example.org", "mytool-team@lists.example.org"], _batcher.Recipients(tool));
    }

    [Fact]
    public void Compose_NobodyToMail_KeepsTheMailAsFailedWithTheReason()
    {
        var batcher = new MailBatcher(new MailBatchSettings());

        var batch = batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), [Samples.Notice("mytool", "fetch", Noon)], Noon + Window);

        Assert.Equal("", batch.Mail.Recipients);
        Assert.Equal(Noon + Window, batch.Mail.FailedAt);
        Assert.Null(batch.Mail.NextAttemptAt);
        Assert.Contains("no maintainer with an address", batch.Mail.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_OneNotice_TheSubjectSaysWhatHappened()
    {
        var batch = _batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), [Samples.Notice("mytool", "fetch", Noon, "failed: exit code 1 after 12s")], Noon + Window);

        Assert.Equal("[Toolgrid] mytool: fetch failed: exit code 1 after 12s", batch.Mail.Subject);
    }

    [Fact]
    public void Compose_SeveralJobs_TheSubjectCountsTheEventsAndNamesEachJobsGravestHeadline()
    {
        var notices = new[]
        {
            Samples.Notice("mytool", "fetch", Noon, "failed: exit code 1 after 12s"),
            Samples.Notice("mytool", "bot", Noon + TimeSpan.FromSeconds(1), "failed: exit code 2 after 1s"),
            Samples.Notice("mytool", "bot", Noon + TimeSpan.FromSeconds(2), "crash-looping: 3 restarts in a row, last exit code 2, next try now", NoticeKind.CrashLoop),
        };

        var batch = _batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), notices, Noon + Window);

        Assert.Equal("[Toolgrid] mytool: 3 job events (fetch failed, bot crash-looping)", batch.Mail.Subject);
    }

    [Fact]
    public void Compose_Body_TellsWhatAUserNeedsToKnowAndDo()
    {
        var excerpt = "==> fetch.out <==\nfetching page 3\n==> fetch.err <==\nTraceback (most recent call last):\nValueError: bad page";
        var notice = Samples.Notice("mytool", "fetch", Noon, "failed: exit code 1 after 12s", runId: 42, excerpt: excerpt);

        var body = _batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), [notice], Noon + Window).Mail.Body;

        Assert.Contains("the tool mytool", body, StringComparison.Ordinal);
        Assert.Contains("Job fetch: failed", body, StringComparison.Ordinal);
        Assert.Contains("failed: exit code 1 after 12s", body, StringComparison.Ordinal);
        Assert.Contains("Run:   42", body, StringComparison.Ordinal);
        Assert.Contains("When:  2026-11-27 12:00:00 UTC = 2026-11-27 13:00:00 Europe/Berlin (UTC+01:00)", body, StringComparison.Ordinal);
        Assert.Contains("    ValueError: bad page\n", body, StringComparison.Ordinal);
        Assert.Contains("    ==> fetch.err <==\n", body, StringComparison.Ordinal);
        Assert.Contains("toolgrid jobs show fetch --tool mytool", body, StringComparison.Ordinal);
        Assert.Contains("toolgrid jobs logs fetch --tool mytool", body, StringComparison.Ordinal);
        Assert.Contains("--emails", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_SiteInUtc_GivesTimesInUtcOnly()
    {
        var batcher = new MailBatcher(new MailBatchSettings { AddressFormat = "{user}@example.org" });

        var body = batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), [Samples.Notice("mytool", "fetch", Noon)], Noon + Window).Mail.Body;

        Assert.Contains("When:  2026-11-27 12:00:00 UTC\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_LongOutput_OnlyTheLastLinesWithinTheCap()
    {
        var excerpt = string.Join('\n', Enumerable.Range(1, 100).Select(i => $"line {i}"));

        var body = _batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), [Samples.Notice("mytool", "fetch", Noon, excerpt: excerpt)], Noon + Window).Mail.Body;

        Assert.Contains("    line 100\n", body, StringComparison.Ordinal);
        Assert.Contains("    line 91\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("    line 90\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_LongLines_TheExcerptIsCappedInCharactersToo()
    {
        var excerpt = string.Join('\n', Enumerable.Range(1, 5).Select(i => new string((char)('a' + i), 1000)));

        var body = _batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), [Samples.Notice("mytool", "fetch", Noon, excerpt: excerpt)], Noon + Window).Mail.Body;

        Assert.DoesNotContain(new string('b', 1000), body, StringComparison.Ordinal);
        Assert.Contains(new string('f', 1000), body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_ControlCharactersInOutput_DoNotReachTheMail()
    {
        var body = _batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), [Samples.Notice("mytool", "fetch", Noon, excerpt: "\u001b[31mred\u001b[0m\rover")], Noon + Window).Mail.Body;

        Assert.DoesNotContain('\u001b', body);
        Assert.DoesNotContain('\r', body);
        Assert.Contains("\uFFFD[31mred", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ACrashLoopOf300RunsInOneWindow_MakesOneMail_ThatStaysReadable()
    {
        var notices = Enumerable.Range(0, 300)
            .Select(i => Samples.Notice(
                "mytool",
                "bot",
                Noon + TimeSpan.FromSeconds(i),
                i % 50 == 49 ? $"crash-looping: {i + 1} restarts in a row, last exit code 1, next try now" : "failed: exit code 1 after 0s",
                i % 50 == 49 ? NoticeKind.CrashLoop : NoticeKind.RunFailed,
                runId: 1000 + i,
                excerpt: $"run {1000 + i} output",
                id: i + 1))
            .ToList();

        var batches = _batcher.Decide(notices, Tools(Samples.Tool(maintainers: ["alice", "bob"])), Noon + Window);

        var batch = Assert.Single(batches);
        Assert.Equal(300, batch.Notices.Count);
        Assert.Equal("alice@example.org, bob@example.org", batch.Mail.Recipients);
        Assert.Equal("[Toolgrid] mytool: 300 job events (bot crash-looping)", batch.Mail.Subject);
        var body = batch.Mail.Body;
        Assert.Contains("295 earlier events, from 2026-11-27 12:00:00 UTC to 2026-11-27 12:04:54 UTC, not told one by one: 290 failed, 5 crash-looping.", body, StringComparison.Ordinal);
        Assert.Contains("Run:   1299", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Run:   1294\n", body, StringComparison.Ordinal);
        Assert.True(body.Length < 8 * 1024, $"the body has {body.Length} characters");
    }

    [Fact]
    public void Compose_MoreNoticesThanAMailTakes_TheOldestGoNow_TheRestWait()
    {
        var batcher = new MailBatcher(new MailBatchSettings { AddressFormat = "{user}@example.org", MaxNoticesPerMail = 10 });
        var notices = Enumerable.Range(1, 25).Select(i => Samples.Notice("mytool", "bot", Noon + TimeSpan.FromSeconds(i), id: i)).Reverse().ToList();

        var batch = batcher.Compose("mytool", Samples.Tool(maintainers: "alice"), notices, Noon + Window);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), batch.Notices.Select(n => n.Id));
    }
}
