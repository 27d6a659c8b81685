namespace Toolgrid.Core.Jobs;

/// <summary>What a scheduled job does when a run falls due while the previous one still runs.</summary>
public enum ConcurrencyPolicy
{
    /// <summary>The new run is skipped, and recorded as skipped (Toolforge's default).</summary>
    Forbid,

    /// <summary>Runs overlap.</summary>
    Allow,

    /// <summary>The old run is stopped and the new one started.</summary>
    Replace,
}
