namespace Toolgrid.Contracts.Api;

/// <summary>
/// <c>POST /api/v1/tools/{tool}/jobs/{job}/runs</c>: submit a job by name, as the grid-era
/// <c>jsub</c>, <c>jstart</c> and <c>qcronsub</c> do (see <c>Toolgrid.Core.Jobs.JobSubmission</c>):
/// declared if new, run again if it has ended, a second run beside a running one-off job, or
/// refused while it is active when <see cref="Once"/>.
/// </summary>
public sealed record JobSubmitRequest
{
    /// <summary>The job as submitted; its name, when given, is the one in the path.</summary>
    public JobRunRequest? Job { get; init; }

    /// <summary>Refuse while a job of that name is queued or running (<c>jsub -once</c>).</summary>
    public bool? Once { get; init; }
}
