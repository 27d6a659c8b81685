namespace Toolgrid.Bench.Grid;

/// <summary>One job of <see cref="ObservationLag"/>: its command's own clock at its start and end, and when the API first showed each.</summary>
internal sealed record LagSample(string Name, DateTimeOffset? StartClock, DateTimeOffset? SeenRunning, DateTimeOffset? EndClock, DateTimeOffset? SeenEnded)
{
    /// <summary>Command started → the store says running, in ms; null when either is missing.</summary>
    public double? StartLagMs => SeenRunning - StartClock is { } lag ? lag.TotalMilliseconds : null;

    /// <summary>Command's last act → the store says ended, in ms; null when either is missing.</summary>
    public double? EndLagMs => SeenEnded - EndClock is { } lag ? lag.TotalMilliseconds : null;
}
