namespace Toolgrid.Core.Notifications;

/// <summary>How often, and how far apart, sending a mail is tried.</summary>
/// <param name="FirstDelay">The wait after the first failed attempt; each further failure doubles it.</param>
/// <param name="MaxDelay">The longest wait between two attempts.</param>
/// <param name="MaxAttempts">How many attempts in all, the first included; after the last one fails, the mail is kept as failed.</param>
public sealed record MailRetryPolicy(TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxAttempts)
{
    /// <summary>30 s doubling to 1 h, 30 attempts: the last about 23 h after the first, so that a mail relay down overnight loses nothing.</summary>
    public static MailRetryPolicy Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 30);

    /// <summary>The wait after the <paramref name="attempt"/>-th failed attempt (1 for the first).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var shift = Math.Clamp(attempt - 1, 0, 30);
        var ticks = FirstDelay.Ticks > MaxDelay.Ticks >> shift ? MaxDelay.Ticks : FirstDelay.Ticks << shift;
        return TimeSpan.FromTicks(Math.Min(ticks, MaxDelay.Ticks));
    }

    /// <summary>How long after the first attempt the last one comes, when every attempt fails.</summary>
    public TimeSpan Span => TimeSpan.FromTicks(Enumerable.Range(1, Math.Max(MaxAttempts - 1, 0)).Sum(a => DelayAfter(a).Ticks));
}
