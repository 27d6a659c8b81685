namespace Toolgrid.Core.Jobs;

/// <summary>What a submission by name (<see cref="JobSubmission"/>) does.</summary>
public enum SubmissionStep
{
    /// <summary>No job of that name: it is declared, with its first run (or replicas).</summary>
    Create,

    /// <summary>The job is not active and is submitted as it is declared: it runs again.</summary>
    RunAgain,

    /// <summary>The job is not active and the submission changes it: it is declared anew (its history kept) and runs.</summary>
    Replace,

    /// <summary>A one-off job is running and is submitted again as it is: another run of it starts beside the first.</summary>
    RunAlongside,

    /// <summary>Refused: <see cref="SubmissionDecision.ErrorCode"/> and <see cref="SubmissionDecision.Refusal"/> say why.</summary>
    Refuse,
}
