using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Notifications;
using Toolgrid.Notifications.Tests.Support;

namespace Toolgrid.Notifications.Tests;

/// <summary>The notifier against a real SMTP server (aiosmtpd) and a real SQLite store.</summary>
public sealed class NotifierTests : SmtpTestBase
{
    private static readonly DateTimeOffset Noon = Samples.Noon;

    private static readonly TimeSpan Window = MailBatchSettings.DefaultWindow;

    /// <summary>A run of the job "fetch" that failed with exit code 1 at <paramref name="at"/>, its notice written as the controller does, with the tool's real output.</summary>
    private static async Task<Notice> FailAsync(NotifierHarness harness, string home, long runId, DateTimeOffset at)
    {
        var job = Samples.Job(EmailPolicy.OnFailure, JobKind.Scheduled);
        File.AppendAllText(Path.Combine(home, "fetch.out"), $"run {runId}: fetching page 3\n");
        File.AppendAllText(Path.Combine(home, "fetch.err"), $"run {runId}: ValueError: bad page\n");
        var run = Samples.Ended(job, RunState.Failed, RunReason.Exited, exitCode: 1, id: runId);
        run.StartedAt = at - TimeSpan.FromSeconds(12);
        run.FinishedAt = at;
        var excerpts = new OutputExcerpts(Options.Create(new MailOptions()), NullLogger<OutputExcerpts>.Instance);
        var notice = NoticeRules.ForRunEnd(job, run, excerpts.Read(home, job)) ?? throw new InvalidOperationException("onfailure mails a failure");
        return await harness.AddNoticeAsync(notice);
    }

    [SmtpFact]
    public async Task AFailingJob_OneMailPerWindow_ToEveryMaintainerAndTheTool_WithTheOutput()
    {
        await Smtp.StartAsync(CancellationToken.None);
        await using var harness = await NotifierHarness.CreateAsync(NotifierHarness.MailTo(Smtp, ("Toolgrid:TimeZone", "Europe/Berlin")));
        await harness.AddToolAsync("mytool", "mytool-team@lists.example.org", "alice", "bob");
        var home = Directory.CreateDirectory(Path.Combine(TestDirectory, "home")).FullName;

        await FailAsync(harness, home, 1, Noon);
        await FailAsync(harness, home, 2, Noon + TimeSpan.FromSeconds(60));
        await FailAsync(harness, home, 3, Noon + TimeSpan.FromSeconds(300));
        await harness.PassAtAsync(Noon + Window - TimeSpan.FromSeconds(1));
        Assert.Empty(Smtp.Messages());

        await harness.PassAtAsync(Noon + Window);
        var first = Assert.Single(Smtp.Messages());
        Assert.Equal(
            ["alice@example.org", "bob@example.org", "mytool-team@lists.example.org"],
            first.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("toolgrid@example.org", first.From.Mailboxes.Single().Address);
        Assert.Equal("[Toolgrid] mytool: 3 job events (fetch failed)", first.Subject);
        Assert.Equal("auto-generated", first.Headers["Auto-Submitted"]);
        var body = first.TextBody;
        Assert.Contains("failed: exit code 1 after 12s", body, StringComparison.Ordinal);
        Assert.Contains("Run:   1\n", body, StringComparison.Ordinal);
        Assert.Contains("Run:   3\n", body, StringComparison.Ordinal);
        Assert.Contains("When:  2026-11-27 12:00:00 UTC = 2026-11-27 13:00:00 Europe/Berlin (UTC+01:00)", body, StringComparison.Ordinal);
        Assert.Contains("    run 3: ValueError: bad page\n", body, StringComparison.Ordinal);
        Assert.Contains("    ==> fetch.out <==\n", body, StringComparison.Ordinal);
        Assert.Contains("toolgrid jobs logs fetch --tool mytool", body, StringComparison.Ordinal);

        // The next failure opens a new window: its own mail, 400 s later, and nothing of the first again.
        var fourth = Noon + Window + TimeSpan.FromSeconds(100);
        await FailAsync(harness, home, 4, fourth);
        await harness.PassAtAsync(fourth + Window - TimeSpan.FromSeconds(1));
        Assert.Single(Smtp.Messages());
        await harness.PassAtAsync(fourth + Window);
        await harness.PassAtAsync(fourth + Window + TimeSpan.FromHours(1));

        var messages = Smtp.Messages();
        Assert.Equal(2, messages.Count);
        var second = messages.Single(m => m.MessageId != first.MessageId);
        Assert.StartsWith("[Toolgrid] mytool: fetch failed: exit code 1", second.Subject, StringComparison.Ordinal);
        Assert.Contains("Run:   4\n", second.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Run:   3\n", second.TextBody, StringComparison.Ordinal);

        var mails = await harness.MailsAsync();
        Assert.All(mails, m => Assert.NotNull(m.SentAt));
        Assert.All(await harness.NoticesAsync(), n => Assert.NotNull(n.MailId));
        var status = await harness.Status.GetAsync(harness.Token);
        Assert.Equal((true, 0, 0, 2, 0), (status.Enabled, status.Pending, status.Failed, status.SentLastDay, status.WaitingNotices));
    }

    [SmtpFact]
    public async Task MailServerDown_ThenUp_MailsArriveLate_NothingLostNorDuplicated_EvenAcrossARestart()
    {
        await using var harness = await NotifierHarness.CreateAsync(NotifierHarness.MailTo(Smtp));
        await harness.AddToolAsync("alpha", null, "alice");
        await harness.AddToolAsync("beta", null, "bob");
        await harness.AddNoticeAsync(Samples.Notice("alpha", "fetch", Noon));

        // Down: the mail is written, its attempt fails, and it waits for its retry.
        await harness.PassAtAsync(Noon + Window);
        var mail = Assert.Single(await harness.MailsAsync());
        Assert.Equal(1, mail.Attempts);
        Assert.Equal(Noon + Window + TimeSpan.FromSeconds(30), mail.NextAttemptAt);
        Assert.Contains($"could not connect to 127.0.0.1:{Smtp.Port} (none)", mail.LastError, StringComparison.Ordinal);
        var status = await harness.Status.GetAsync(harness.Token);
        Assert.Equal((1, 1, 0), (status.Pending, status.Retrying, status.SentLastDay));
        Assert.Contains("could not connect", status.RetryError, StringComparison.Ordinal);

        // Still down at the retry; a second tool's mail joins the outbox meanwhile.
        await harness.AddNoticeAsync(Samples.Notice("beta", "bot", Noon + Window));
        await harness.PassAtAsync(Noon + Window + TimeSpan.FromSeconds(30));
        await harness.PassAtAsync(Noon + Window + Window);
        Assert.Equal([3, 1], (await harness.MailsAsync()).Select(m => m.Attempts));
        Assert.Equal(2, (await harness.Status.GetAsync(harness.Token)).Pending);

        // toolgridd dies and comes back; then the server comes up.
        await harness.RestartAsync();
        await Smtp.StartAsync(CancellationToken.None);
        await harness.PassAtAsync(Noon + Window + Window + TimeSpan.FromMinutes(2));
        for (var i = 1; i <= 5; i++)
        {
            await harness.PassAtAsync(Noon + Window + Window + TimeSpan.FromMinutes(2) + TimeSpan.FromHours(i));
        }

        var messages = Smtp.Messages();
        Assert.Equal(2, messages.Count);
        Assert.Equal(2, messages.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(["alice@example.org", "bob@example.org"], messages.Select(m => m.To.Mailboxes.Single().Address).Order());
        var mails = await harness.MailsAsync();
        Assert.All(mails, m => Assert.NotNull(m.SentAt));
        Assert.All(mails, m => Assert.Null(m.NextAttemptAt));
        Assert.Equal(2, (await harness.NoticesAsync()).Select(n => n.MailId).Distinct().Count());
    }

    [Fact]
    public async Task MailServerNeverUp_AfterTheLastAttempt_TheMailIsKeptAsFailed_WithTheError()
    {
        await using var harness = await NotifierHarness.CreateAsync(NotifierHarness.MailTo(Smtp, ("Toolgrid:Mail:MaxAttempts", "3")));
        await harness.AddToolAsync("mytool", null, "alice");
        await harness.AddNoticeAsync(Samples.Notice("mytool", "fetch", Noon));

        await harness.PassAtAsync(Noon + Window);
        await harness.PassAtAsync(Noon + Window + TimeSpan.FromSeconds(30));
        await harness.PassAtAsync(Noon + Window + TimeSpan.FromSeconds(89));
        Assert.Equal(2, Assert.Single(await harness.MailsAsync()).Attempts);
        await harness.PassAtAsync(Noon + Window + TimeSpan.FromSeconds(90));
        await harness.PassAtAsync(Noon + Window + TimeSpan.FromDays(2));

        var mail = Assert.Single(await harness.MailsAsync());
        Assert.Equal(3, mail.Attempts);
        Assert.Equal(Noon + Window + TimeSpan.FromSeconds(90), mail.FailedAt);
        Assert.Null(mail.NextAttemptAt);
        Assert.Null(mail.SentAt);
        Assert.StartsWith($"attempt 3 of 3: could not connect to 127.0.0.1:{Smtp.Port} (none): ", mail.LastError, StringComparison.Ordinal);
        var status = await harness.Status.GetAsync(harness.Token);
        Assert.Equal((0, 1, mail.LastError, mail.FailedAt), (status.Pending, status.Failed, status.LastError, status.LastFailedAt));
        var warning = Assert.Single(harness.Services.GetServices<IWarningSource>().SelectMany(w => w.Warnings));
        Assert.Contains("mail cannot be sent to 127.0.0.1", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailOff_NoticesAreStillGathered_AndTheirMailsKeptAsNotSent()
    {
        await using var harness = await NotifierHarness.CreateAsync();
        await harness.AddToolAsync("mytool", null, "alice");
        await harness.AddNoticeAsync(Samples.Notice("mytool", "fetch", Noon));
        await harness.AddNoticeAsync(Samples.Notice("mytool", "fetch", Noon + TimeSpan.FromSeconds(1)));

        await harness.PassAtAsync(Noon + Window);
        await harness.PassAtAsync(Noon + Window + TimeSpan.FromDays(1));

        var mail = Assert.Single(await harness.MailsAsync());
        Assert.Equal(Noon + Window, mail.FailedAt);
        Assert.Equal(0, mail.Attempts);
        Assert.Contains("mail is off", mail.LastError, StringComparison.Ordinal);
        Assert.All(await harness.NoticesAsync(), n => Assert.Equal(mail.Id, n.MailId));
        var status = await harness.Status.GetAsync(harness.Token);
        Assert.False(status.Enabled);
        Assert.Equal(MailStatus.OffDetail, status.Detail);
        Assert.Equal((0, 1), (status.Pending, status.Failed));
        var warning = Assert.Single(harness.Services.GetServices<IWarningSource>().SelectMany(w => w.Warnings));
        Assert.StartsWith("mail is off", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AToolWithoutAnyAddress_ItsMailIsKeptAsFailed_WithTheReason()
    {
        await using var harness = await NotifierHarness.CreateAsync(NotifierHarness.MailTo(Smtp, ("Toolgrid:Mail:AddressFormat", "{user}@example.org")));
        await harness.AddToolAsync("lonely");
        await harness.AddNoticeAsync(Samples.Notice("lonely", "fetch", Noon));

        await harness.Notifier.BatchAsync(harness.Token);
        Assert.Empty(await harness.MailsAsync());
        harness.Time.SetUtcNow(Noon + Window);
        Assert.Equal(1, await harness.Notifier.BatchAsync(harness.Token));

        var mail = Assert.Single(await harness.MailsAsync());
        Assert.NotNull(mail.FailedAt);
        Assert.Contains("no maintainer with an address", mail.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WaitingNotices_CountsThoseWhoseWindowIsOpen()
    {
        await using var harness = await NotifierHarness.CreateAsync(NotifierHarness.MailTo(Smtp));
        await harness.AddToolAsync("mytool", null, "alice");
        await harness.AddNoticeAsync(Samples.Notice("mytool", "fetch", Noon));
        await harness.PassAtAsync(Noon + TimeSpan.FromSeconds(10));

        var status = await harness.Status.GetAsync(harness.Token);

        Assert.Equal((1, 0, 0), (status.WaitingNotices, status.Pending, status.Failed));
        Assert.Equal($"SMTP to 127.0.0.1:{Smtp.Port} (none), from Toolgrid <toolgrid@example.org>; each tool's events are gathered for 6m40s", status.Detail);
    }
}
