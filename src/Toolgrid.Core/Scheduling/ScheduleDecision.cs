namespace Toolgrid.Core.Scheduling;

/// <summary>What <see cref="ScheduleRules.Decide"/> wants done for one scheduled job.</summary>
/// <param name="LastDueAt">
/// The new value of the job's <see cref="Jobs.Job.LastDueAt"/> (the latest due time this decision
/// deals with), or null to leave it unchanged. The controller saves it together with the
/// <paramref name="Steps"/>, in one transaction checked against the job's version: that is what
/// deals with each due time exactly once, even across controllers.
/// </param>
/// <param name="Steps">The steps, in the order to apply them: skipped due times oldest first, then the run (replaced runs before the run that replaces them).</param>
public sealed record ScheduleDecision(DateTimeOffset? LastDueAt, IReadOnlyList<ScheduleStep> Steps)
{
    /// <summary>No due time to deal with: nothing to do, and <see cref="Jobs.Job.LastDueAt"/> unchanged.</summary>
    public static ScheduleDecision Nothing { get; } = new(null, []);
}
