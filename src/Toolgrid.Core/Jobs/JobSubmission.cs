using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Jobs;

/// <summary>
/// Submitting a job by name, as the grid-era <c>jsub</c>, <c>jstart</c> and <c>qcronsub</c> do: the
/// rule of what happens when the tool already has a job of that name. Pure.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>No job of that name: it is made, and its first run queued at once.</item>
/// <item>A job of the name that is not active (nothing queued or running, and not a continuous
/// job waiting to be started again) runs again, declared as submitted now.</item>
/// <item>An active job refuses a submission with <c>once</c> (<c>jsub -once</c>, and always
/// <c>jstart</c> and <c>qcronsub</c>): "there is a job named 'x' already active".</item>
/// <item>Without <c>once</c>, the grid ran a second job of the same name: here a running one-off
/// job submitted again as it is declared gets a second run beside the first, with its own
/// number. The runs of a job share its declaration, so a submission that changes it (another
/// command, other limits) is refused while it runs, and so is a second copy of a continuous job.</item>
/// <item>A job of another kind (one-off, continuous, scheduled) is never turned into this one.</item>
/// </list>
/// </remarks>
public static class JobSubmission
{
    /// <summary>
    /// Whether <paramref name="job"/> is active as the grid saw it: a run queued, starting or
    /// running, or a continuous job between its runs (it is started again), unless it is done
    /// (under <c>on-failure</c>, its run of the current declaration exited 0).
    /// </summary>
    public static bool IsActive(Job job, IReadOnlyCollection<Run> activeRuns, Run? latest)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(activeRuns);
        if (activeRuns.Count > 0)
        {
            return true;
        }

        if (job.Kind != JobKind.Continuous || job.DeletedAt is not null)
        {
            return false;
        }

        var done = job.Restart == RestartPolicy.OnFailure && latest is { State: RunState.Succeeded } && latest.Generation >= job.Generation;
        return !done;
    }

    /// <summary>What submitting <paramref name="declared"/> does, given the tool's live job of that name (or null).</summary>
    /// <param name="existing">The tool's live job of the name, or null.</param>
    /// <param name="declared">The job as submitted now.</param>
    /// <param name="activeRuns">The existing job's runs that are queued, starting or running.</param>
    /// <param name="latest">The existing job's newest run, or null.</param>
    /// <param name="once">Refuse while the job is active.</param>
    public static SubmissionDecision Decide(Job? existing, Job declared, IReadOnlyList<Run> activeRuns, Run? latest, bool once)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(activeRuns);
        if (existing is null)
        {
            return new SubmissionDecision(SubmissionStep.Create, []);
        }

        var name = existing.Name;
        if (existing.Kind != declared.Kind)
        {
            return SubmissionDecision.Refused(
                "job-kind-differs",
                $"there is a {JobWire.Of(existing.Kind)} job named '{name}', and this submission would make it {JobWire.Of(declared.Kind)}: give this one another name, or delete that one first ('toolgrid jobs delete {name}', or jstop {name}).");
        }

        var changes = JobDiff.Between(existing, declared);
        if (!IsActive(existing, activeRuns, latest))
        {
            return new SubmissionDecision(changes.Count == 0 ? SubmissionStep.RunAgain : SubmissionStep.Replace, changes);
        }

        var current = activeRuns.OrderByDescending(r => r.Id).FirstOrDefault();
        var what = current is null ? "waiting to be started again" : $"run {current.Id}, {RunWire.Of(current.State)}";
        if (once)
        {
            return SubmissionDecision.Refused("job-active", $"there is a job named '{name}' already active ({what}).");
        }

        if (existing.Kind != JobKind.OneOff)
        {
            return SubmissionDecision.Refused(
                "job-active",
                $"there is a job named '{name}' already active ({what}), and a {JobWire.Of(existing.Kind)} job runs one copy of itself: give another copy another name.");
        }

        return changes.Count == 0
            ? new SubmissionDecision(SubmissionStep.RunAlongside, [])
            : SubmissionDecision.Refused(
                "job-active-differs",
                $"job '{name}' is active ({what}) as it was submitted before, and this submission changes it ({string.Join("; ", changes)}); the runs of a job share its declaration: give this one another name, or submit it once that run has ended.");
    }
}
