namespace Toolgrid.Backends.Local.Health;

/// <summary>A run's latest health verdict: <see cref="Healthy"/> null while it has none (yet).</summary>
/// <param name="Healthy">Whether its check passes.</param>
/// <param name="Message">What the failing check said.</param>
/// <param name="ListensOutside">Where it listens outside loopback on its port (empty: nowhere; null: not looked at yet).</param>
internal readonly record struct HealthVerdict(bool? Healthy, string? Message, string? ListensOutside = null);
