namespace Toolgrid.Core.Jobs;

/// <summary>What a job is for.</summary>
public enum JobKind
{
    /// <summary>Runs once (with retries per its policy), then is done.</summary>
    OneOff,

    /// <summary>Always up: restarted when it ends.</summary>
    Continuous,

    /// <summary>Runs on a schedule.</summary>
    Scheduled,
}
