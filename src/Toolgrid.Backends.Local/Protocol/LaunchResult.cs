namespace Toolgrid.Backends.Local.Protocol;

/// <summary>How a launch went, with the launcher's standard error.</summary>
internal sealed record LaunchResult(LaunchOutcome Outcome, string Error)
{
    /// <summary>Whether the run is taken care of: started (now or before), held until its due time, failed with a recorded exit, or in another shepherd's hands.</summary>
    public bool IsSettled => Outcome is LaunchOutcome.Started or LaunchOutcome.Waiting or LaunchOutcome.StartFailed or LaunchOutcome.Busy or LaunchOutcome.AlreadyStarted;
}
