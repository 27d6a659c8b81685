namespace Toolgrid.Core.Jobs;

/// <summary>What a submission by name does, and, when refused, why.</summary>
/// <param name="Step">The step to take.</param>
/// <param name="Changes">For <see cref="SubmissionStep.Replace"/>, what changes (<c>mem: 512Mi → 1Gi</c>).</param>
/// <param name="ErrorCode">For <see cref="SubmissionStep.Refuse"/>, the API's error code.</param>
/// <param name="Refusal">For <see cref="SubmissionStep.Refuse"/>, why, in words, and what to do instead.</param>
public sealed record SubmissionDecision(SubmissionStep Step, IReadOnlyList<string> Changes, string? ErrorCode = null, string? Refusal = null)
{
    public static SubmissionDecision Refused(string errorCode, string refusal) => new(SubmissionStep.Refuse, [], errorCode, refusal);
}
