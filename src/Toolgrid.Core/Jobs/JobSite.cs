using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Jobs;

/// <summary>What the site contributes to a job's rules: its queues, its time zone, its ceilings on replicas, what its backend runs.</summary>
/// <param name="Queues">The queues that exist.</param>
/// <param name="TimeZone">The IANA time zone schedules are read in when a job names none.</param>
/// <param name="MaxReplicas">The most replicas a continuous job may ask for.</param>
/// <param name="Abilities">What the site's backend can run; null for the local backend (everything).</param>
/// <param name="Granted">The dedicated queues the tool was granted; null for none (it may use <c>default</c> alone).</param>
public sealed record JobSite(IReadOnlyCollection<string> Queues, string TimeZone = "UTC", int MaxReplicas = 10, BackendAbilities? Abilities = null, IReadOnlyCollection<string>? Granted = null)
{
    public static JobSite Default { get; } = new([Jobs.Queues.Default]);

    /// <summary>What the site's backend can run.</summary>
    public BackendAbilities Backend => Abilities ?? BackendAbilities.Local;

    /// <summary>The dedicated queues the tool may use.</summary>
    public IReadOnlyCollection<string> GrantedQueues => Granted ?? [];
}
