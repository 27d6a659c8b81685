namespace Toolgrid.Core.Jobs;

/// <summary>What a scheduled job does about runs that fell due while the controller was down.</summary>
public enum CatchUpPolicy
{
    /// <summary>One late run, if the last missed due time is within the catch-up window.</summary>
    Once,

    /// <summary>None: the missed due times are recorded as skipped.</summary>
    Skip,
}
