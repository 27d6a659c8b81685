namespace Toolgrid.Bench.Grid;

/// <summary>What <see cref="NodeLoss"/> saw: when the node was killed, when the store had its run ended (and how), and when a new run ran elsewhere.</summary>
internal sealed record NodeLossSample(string Node, DateTimeOffset KilledAt, DateTimeOffset? LostSeen, DateTimeOffset? ElsewhereSeen, string? Reason, string? Message)
{
    public double? LostAfterSeconds => LostSeen - KilledAt is { } t ? t.TotalSeconds : null;

    public double? ElsewhereAfterSeconds => ElsewhereSeen - KilledAt is { } t ? t.TotalSeconds : null;
}
