namespace Toolgrid.Core.Jobs;

/// <summary>When a continuous job's run is started again after it ends.</summary>
public enum RestartPolicy
{
    /// <summary>Always: whatever the exit, a new run starts (after the crash-loop backoff).</summary>
    Always,

    /// <summary>Until the command exits 0 (the grid era's <c>jstart</c>).</summary>
    OnFailure,
}
