namespace Toolgrid.Contracts.Api;

/// <summary>
/// <c>POST /api/v1/tools/{tool}/jobs/apply</c>: make the tool's jobs match a list (what
/// <c>toolgrid jobs load jobs.yaml</c> sends). Every entry is validated first; one bad entry
/// changes nothing. Jobs missing from the list are deleted (unless <see cref="Only"/> or
/// <see cref="KeepOthers"/> is given). A dry run goes through the same decisions and only
/// leaves out the writing, so it says exactly what the real run would do or refuse.
/// </summary>
public sealed record JobsApplyRequest
{
    public List<JobRunRequest>? Jobs { get; init; }

    /// <summary>Only say what would be done.</summary>
    public bool? DryRun { get; init; }

    /// <summary>Apply this one job of the list, and touch no other.</summary>
    public string? Only { get; init; }

    /// <summary>
    /// Add and replace the listed jobs and delete none of the tool's others (what
    /// <c>toolgrid crontab import</c> sends): still all or nothing, the quota counted for the whole list.
    /// </summary>
    public bool? KeepOthers { get; init; }
}

/// <summary>What applying a list did (or would do).</summary>
/// <param name="Applied">False for a dry run.</param>
/// <param name="Plan">One step per job, in the list's order, then the deletions.</param>
/// <param name="Warnings">Fields that were accepted but cannot be honoured (e.g. <c>image</c>).</param>
public sealed record JobsApplyResult(bool Applied, IReadOnlyList<JobPlanStep> Plan, IReadOnlyList<string> Warnings);

/// <summary>What happens to one job.</summary>
/// <param name="Job">Its name.</param>
/// <param name="Action"><c>add</c>, <c>replace</c>, <c>delete</c> or <c>unchanged</c>.</param>
/// <param name="Changes">For a replacement, the fields that change, e.g. <c>mem: 512Mi → 1Gi</c>.</param>
public sealed record JobPlanStep(string Job, string Action, IReadOnlyList<string> Changes);
