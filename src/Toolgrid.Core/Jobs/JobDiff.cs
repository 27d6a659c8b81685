namespace Toolgrid.Core.Jobs;

/// <summary>What differs between two declarations of a job, in words (for <c>jobs load --dry-run</c>), and taking one into the other; both field by field from <see cref="JobFields"/>.</summary>
public static class JobDiff
{
    /// <summary>Each field that differs, as <c>field: old → new</c>; empty when the declarations are the same.</summary>
    public static IReadOnlyList<string> Between(Job old, Job next)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(next);
        return JobFields.All
            .Where(f => f.Label is not null && f.Differs(old, next))
            .Select(f => $"{f.Label}: {f.Show(old)} → {f.Show(next)}")
            .ToList();
    }

    /// <summary>Takes <paramref name="next"/>'s declaration into <paramref name="job"/>, keeping its identity, history and state.</summary>
    public static void Apply(Job job, Job next, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(next);
        var newRuns = JobRules.NeedsNewRuns(job, next);

        // A new schedule (or zone) starts now: its past due times are not missed ones.
        if (job.Kind != next.Kind || job.Schedule != next.Schedule || job.TimeZone != next.TimeZone)
        {
            job.LastDueAt = next.Schedule is null ? null : now;
        }
        else if (newRuns && job.LastDueAt > now)
        {
            // A run set up ahead of its due time is of the old declaration: it is replaced, and
            // the due time decided again (see ScheduleRules).
            job.LastDueAt = now;
        }

        foreach (var field in JobFields.All)
        {
            field.Apply(job, next);
        }

        // The scheduler looks at it at its next pass, whatever changed, and works its next due time out.
        job.NextDueAt = job.Kind == JobKind.Scheduled ? now : null;

        job.UpdatedAt = now;
        if (newRuns)
        {
            job.Generation++;
            Backoff.Reset(job);
        }
    }
}
