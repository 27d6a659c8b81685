using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Health;

namespace Toolgrid.Backends.Local.Health;

/// <summary>One probed run: what to check, its health so far (when next, the latest verdict). Guarded by its own lock.</summary>
internal sealed class ProbeState(ProbeTarget target, StartedRecord started, TimeProvider time, long trackedAt)
{
    public Lock Gate { get; } = new();

    public ProbeTarget Target { get; } = target;

    public StartedRecord Started { get; } = started;

    /// <summary>Its checks so far: the verdict and when the next is due.</summary>
    public HealthProgress Progress { get; } = new(target.Check, time, trackedAt);

    public bool InFlight { get; set; }

    public bool Ended { get; set; }

    /// <summary>Where the run listened outside loopback at the latest check (<see cref="ListeningSockets.Outside"/>); null before the first.</summary>
    public string? ListensOutside { get; set; }
}
