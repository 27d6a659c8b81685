using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Supervision;

/// <summary>One step that brings the store and a backend into agreement.</summary>
public abstract record ReconcileAction;

/// <summary>Record what the backend saw of an active run (a report that was missed).</summary>
public sealed record ObserveRun(BackendRunReport Report) : ReconcileAction;

/// <summary>Start again a run that was placed but that the backend never heard of (the start never happened).</summary>
public sealed record ResumeStart(long RunId) : ReconcileAction;

/// <summary>The store says the run is active but the backend does not know it.</summary>
public sealed record MarkRunLost(long RunId, RunReason Reason, string Message) : ReconcileAction;

/// <summary>The backend runs something the store does not want: stop it.</summary>
public sealed record StopOrphan(long RunId) : ReconcileAction
{
    /// <summary>How long the processes of a run nobody watches any more get between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);
}

/// <summary>The backend keeps an end the store has already recorded: let it go.</summary>
public sealed record ForgetRun(long RunId) : ReconcileAction;
