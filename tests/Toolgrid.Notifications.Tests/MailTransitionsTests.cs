using Toolgrid.Core.Notifications;
using Toolgrid.Notifications.Tests.Support;

namespace Toolgrid.Notifications.Tests;

public sealed class MailTransitionsTests
{
    private static readonly DateTimeOffset Noon = Samples.Noon;

    private static Mail Pending() => new()
    {
        ToolName = "mytool",
        Recipients = "alice@example.org",
        Subject = "s",
        Body = "b",
        CreatedAt = Noon,
        NextAttemptAt = Noon,
    };

    [Fact]
    public void DefaultPolicy_Waits30sDoublingTo1h_AndGivesUpAfterAboutADay()
    {
        var policy = MailRetryPolicy.Default;

        Assert.Equal(
            [30, 60, 120, 240, 480, 960, 1920, 3600, 3600],
            Enumerable.Range(1, 9).Select(a => (int)policy.DelayAfter(a).TotalSeconds));
        Assert.InRange(policy.Span, TimeSpan.FromHours(20), TimeSpan.FromHours(26));
        Assert.Equal(TimeSpan.FromHours(1), policy.DelayAfter(1000));
    }

    [Fact]
    public void AttemptFailed_BeforeTheLast_TriesAgainAfterTheDelay_KeepingTheError()
    {
        var mail = Pending();
        var policy = new MailRetryPolicy(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 3);

        Assert.True(MailTransitions.AttemptFailed(mail, "connection refused", Noon, policy));
        Assert.True(MailTransitions.AttemptFailed(mail, "connection refused", Noon + TimeSpan.FromSeconds(30), policy));

        Assert.Equal(2, mail.Attempts);
        Assert.Equal(Noon + TimeSpan.FromSeconds(90), mail.NextAttemptAt);
        Assert.Equal("attempt 2 of 3: connection refused", mail.LastError);
        Assert.Null(mail.FailedAt);
        Assert.True(MailTransitions.IsPending(mail));
    }

    [Fact]
    public void AttemptFailed_TheLast_KeepsTheMailAsFailed_NeverDropped()
    {
        var mail = Pending();
        var policy = new MailRetryPolicy(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 2);
        MailTransitions.AttemptFailed(mail, "connection refused", Noon, policy);

        Assert.True(MailTransitions.AttemptFailed(mail, "550 relay denied", Noon + TimeSpan.FromSeconds(30), policy));

        Assert.Equal(Noon + TimeSpan.FromSeconds(30), mail.FailedAt);
        Assert.Null(mail.NextAttemptAt);
        Assert.Null(mail.SentAt);
        Assert.Equal("attempt 2 of 2: 550 relay denied", mail.LastError);
        Assert.False(MailTransitions.IsPending(mail));
        Assert.False(MailTransitions.AttemptFailed(mail, "again", Noon + TimeSpan.FromHours(1), policy));
        Assert.False(MailTransitions.Sent(mail, Noon + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Sent_IsFinal_AndCountsTheAttempt()
    {
        var mail = Pending();

        Assert.True(MailTransitions.Sent(mail, Noon, "sent, but not to: bob@example.org (550 no such user)"));

        Assert.Equal(Noon, mail.SentAt);
        Assert.Null(mail.NextAttemptAt);
        Assert.Equal(1, mail.Attempts);
        Assert.Equal("sent, but not to: bob@example.org (550 no such user)", mail.LastError);
        Assert.False(MailTransitions.Sent(mail, Noon));
        Assert.False(MailTransitions.NotSendable(mail, "x", Noon));
    }

    [Fact]
    public void AttemptFailed_AHugeError_IsShortenedToFitTheStore()
    {
        var mail = Pending();

        MailTransitions.AttemptFailed(mail, new string('e', 10_000), Noon, MailRetryPolicy.Default);

        Assert.Equal(MailTransitions.MaxErrorLength, mail.LastError?.Length);
    }
}
