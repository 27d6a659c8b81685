using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Core.Supervision;

/// <summary>
/// Whether a starting run is still to be handed to its backend, as it is about to be: once
/// placed, and again when its start is resumed (after a restart of the controller, or after a
/// start that could not happen yet).
/// </summary>
/// <param name="Abandon">Why the run is no longer wanted: it ends, never started. Null when it is.</param>
/// <param name="Failure">Why it cannot start at all: it fails. Null when it can.</param>
public sealed record StartCheck(RunReason? Abandon, string? Failure)
{
    /// <summary>Nothing stands in the way: the backend is asked to start the run.</summary>
    public static StartCheck Launch { get; } = new(null, null);

    public bool ShouldLaunch => Abandon is null && Failure is null;

    /// <summary>Decides for <paramref name="run"/>, its <paramref name="job"/> and <paramref name="tool"/> as they are now (null: gone from the store).</summary>
    public static StartCheck Decide(Run run, Job? job, Tool? tool)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (job is null || tool is null)
        {
            return new StartCheck(null, "its job or tool no longer exists");
        }

        if (job.DeletedAt is not null || !tool.IsActive || run.StopReason is not null)
        {
            // Its job or tool was deleted, or it was asked to stop, while its start waited.
            return new StartCheck(run.StopReason ?? (tool.IsActive ? RunReason.JobDeleted : RunReason.ToolDeleted), null);
        }

        return Launch;
    }
}
