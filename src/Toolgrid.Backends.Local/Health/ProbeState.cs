using Toolgrid.Backends.Local.Protocol;

namespace Toolgrid.Backends.Local.Health;

/// <summary>One probed run: what to check, when next, and the latest verdict. Guarded by its own lock.</summary>
internal sealed class ProbeState(ProbeTarget target, StartedRecord started, long trackedAt)
{
    public Lock Gate { get; } = new();

    public ProbeTarget Target { get; } = target;

    public StartedRecord Started { get; } = started;

    /// <summary>When probing began (a timestamp of the prober's clock): the startup timeout counts from here.</summary>
    public long TrackedAt { get; } = trackedAt;

    /// <summary>Whether the startup phase is over (passed, or timed out): liveness checks from now on.</summary>
    public bool StartupOver { get; set; }

    /// <summary>Failed liveness checks in a row.</summary>
    public int Failures { get; set; }

    /// <summary>When the next check is due (a timestamp of the prober's clock).</summary>
    public long NextDue { get; set; } = trackedAt;

    public bool InFlight { get; set; }

    public bool Ended { get; set; }

    /// <summary>The latest verdict: null until the startup check passed or timed out.</summary>
    public bool? Healthy { get; set; }

    public string? Message { get; set; }

    /// <summary>Where the run listened outside loopback at the latest check (<see cref="ListeningSockets.Outside"/>); null before the first.</summary>
    public string? ListensOutside { get; set; }
}
