using Toolgrid.Bench.Server;

namespace Toolgrid.Bench.Scenarios;

/// <summary>One job submitted alone: the client's clock around the POST, the run's times from the API, and the backend's launch from the log.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="RunId">Its (first) run.</param>
/// <param name="State">The run's state once the job was finished.</param>
/// <param name="SentAt">The client's clock just before it sent the POST.</param>
/// <param name="AnsweredAt">The client's clock when the 201 had been read.</param>
/// <param name="SubmittedAt">The run's submittedAt: the API handler's clock, before its checks and its transaction.</param>
/// <param name="StartedAt">The run's startedAt: the shepherd's clock just before it forks the job.</param>
/// <param name="FinishedAt">The run's finishedAt: the shepherd's clock when it reaped the job.</param>
/// <param name="ExecAt">For a job that prints its own clock (<c>exec date +%s%N</c>): that time, less the offset measured for date itself.</param>
/// <param name="Launch">The backend's launch of its shepherd, from toolgridd's log.</param>
internal sealed record LatencySample(
    string Job,
    long RunId,
    string State,
    DateTimeOffset SentAt,
    DateTimeOffset AnsweredAt,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? ExecAt = null,
    LaunchRecord? Launch = null)
{
    public double SubmitToStartMs => Ms(SentAt, StartedAt);

    public double ServerSubmitToStartMs => Ms(SubmittedAt, StartedAt);

    public double SubmitToExecMs => Ms(SentAt, ExecAt);

    public static double Ms(DateTimeOffset from, DateTimeOffset? to) => to is { } t ? (t - from).TotalMilliseconds : double.NaN;
}
