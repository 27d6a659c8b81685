namespace Toolgrid.Backends.Local.Health;

/// <summary>A run's latest health verdict: <see cref="Healthy"/> null while it has none (yet).</summary>
internal readonly record struct HealthVerdict(bool? Healthy, string? Message);
