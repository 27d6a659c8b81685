using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Notifications.Tests.Support;
using Toolgrid.Store;

namespace Toolgrid.Notifications.Tests;

/// <summary>
/// When the notifier's loop looks at the outbox, where the store's commits are heard: within a
/// poll interval of a commit, and when the next thing falls due (a window closes, a retry's
/// time), not on a clock of its own.
/// </summary>
public sealed class NotifierRestTests : SmtpTestBase
{
    private static readonly DateTimeOffset Noon = Samples.Noon;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan PollInterval = new MailOptions().PollInterval;

    [Fact]
    public async Task Rest_NothingWaits_IsTheLongestRest()
    {
        await using var harness = await NotifierHarness.CreateAsync();

        Assert.Equal(Notifier.LongestRest, await harness.Notifier.RestAsync(harness.Token));
    }

    [Fact]
    public async Task Rest_AnUnmailedNotice_LastsUntilItsWindowCloses_AndOncePastIt_IsAPollInterval()
    {
        await using var harness = await NotifierHarness.CreateAsync(new Dictionary<string, string?> { ["Toolgrid:Mail:Window"] = "00:01:00" });
        await harness.AddToolAsync();
        await harness.AddNoticeAsync(Samples.Notice("mytool", "fetch", Noon - TimeSpan.FromSeconds(20)));
        await harness.AddNoticeAsync(Samples.Notice("mytool", "fetch", Noon - TimeSpan.FromSeconds(5), runId: 43));

        var before = await harness.Notifier.RestAsync(harness.Token);
        harness.Time.SetUtcNow(Noon + TimeSpan.FromMinutes(2));
        var past = await harness.Notifier.RestAsync(harness.Token);

        Assert.Equal((TimeSpan.FromSeconds(40), PollInterval), (before, past));
    }

    [Fact]
    public async Task Rest_AMailToRetry_LastsUntilItsNextAttempt_WhenMailIsOn()
    {
        // The server is not started: the attempt fails, and the mail waits for its first retry.
        await using var harness = await NotifierHarness.CreateAsync(NotifierHarness.MailTo(Smtp, ("Toolgrid:Mail:Window", "00:01:00"), ("Toolgrid:Mail:FirstRetryDelay", "00:00:30")));
        await harness.AddToolAsync("mytool", null, "alice");
        await harness.AddNoticeAsync(Samples.Notice("mytool", "fetch", Noon - Window));

        await harness.PassAtAsync(Noon);
        var mail = Assert.Single(await harness.MailsAsync());

        Assert.Equal(Noon + TimeSpan.FromSeconds(30), mail.NextAttemptAt);
        Assert.Equal(TimeSpan.FromSeconds(30), await harness.Notifier.RestAsync(harness.Token));
    }

    [SmtpFact]
    public async Task Loop_AtRest_HearsANoticeWritten_AndMailsItWhenItsWindowCloses_BeforeItsLongestRest()
    {
        await Smtp.StartAsync(CancellationToken.None);
        await using var harness = await NotifierHarness.CreateAsync(NotifierHarness.MailTo(Smtp, ("Toolgrid:Mail:Window", "00:01:00")));
        await harness.AddToolAsync("mytool", null, "alice");
        var watch = harness.Services.GetRequiredService<StoreCommitWatch>();
        var notifier = harness.Notifier;
        Assert.True(watch.Watching);

        await notifier.StartAsync(harness.Token);
        try
        {
            // Its first pass found nothing: it rests for its longest rest.
            await UntilAsync("the loop at rest", () => notifier.Rests >= 1);
            var heard = watch.Heard;
            var rests = notifier.Rests;
            await harness.AddNoticeAsync(Samples.Notice("mytool", "fetch", harness.Time.GetUtcNow()));
            await UntilAsync("the notice's commit heard", () => watch.Heard > heard);

            // Heard: a pass within a poll interval, which finds the window open and rests until it closes.
            harness.Time.Advance(PollInterval);
            await UntilAsync("a pass after the commit was heard", () => notifier.Rests > rests);
            Assert.Empty(Smtp.Messages());

            // The window closes: the mail goes out, long before the longest rest would have ended.
            var moved = PollInterval;
            while (Smtp.Messages().Count == 0)
            {
                Assert.True(moved < Notifier.LongestRest - PollInterval, "no mail before the longest rest: the loop did not wake when the window closed");
                harness.Time.Advance(TimeSpan.FromSeconds(1));
                moved += TimeSpan.FromSeconds(1);
                await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, harness.Token);
            }

            Assert.Equal("alice@example.org", Assert.Single(Smtp.Messages()).To.Mailboxes.Single().Address);
        }
        finally
        {
            await notifier.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Waits (on the real clock) until <paramref name="condition"/> holds; only catches a hang.</summary>
    private static async Task UntilAsync(string what, Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60), $"no {what} within 60 s");
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None);
        }
    }
}
