using Toolgrid.Core.Waiting;

namespace Toolgrid.Controller;

/// <summary>Wakes the supervisor when something changed (a job was submitted, a run ended), so it need not wait for its next tick.</summary>
/// <remarks>Wake-ups coalesce: many in a burst make one pass.</remarks>
public sealed class SupervisorSignal
{
    private readonly WakeSignal _signal = new();

    public void Wake() => _signal.Wake();

    /// <summary>Waits for a wake-up or for <paramref name="timeout"/>, whichever comes first; true when woken.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, time, cancellationToken);
}
