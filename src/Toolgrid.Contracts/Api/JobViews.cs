namespace Toolgrid.Contracts.Api;

/// <summary>A job as the API shows it, with its recent runs (newest first).</summary>
/// <remarks>
/// <see cref="Finished"/> is true once a one-off job has nothing more to do: no run is active and
/// no retry will come. <see cref="Status"/> says in words what is happening. <see cref="QueueNote"/>
/// says when its newest run was launched in <c>default</c> because its own queue had no usable node
/// ("running in default: no usable node in dedicated").
/// </remarks>
public sealed record JobView(
    string Tool,
    string Name,
    string Kind,
    string Command,
    string Mem,
    string Cpu,
    int Retry,
    string Queue,
    string Emails,
    string? FilelogStdout,
    string? FilelogStderr,
    int GracePeriod,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    bool Deleting,
    bool Finished,
    string Status,
    IReadOnlyList<RunView> Runs,
    string? Restart = null,
    int Replicas = 1,
    int? Port = null,
    string? HealthCheckScript = null,
    string? HealthCheckHttp = null,
    string? Schedule = null,
    string? Timezone = null,
    string? Concurrency = null,
    string? CatchUp = null,
    string? Timeout = null,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? Umask = null,
    bool MergeOutput = false,
    string? Webservice = null,
    IReadOnlyList<DateTimeOffset>? NextRuns = null,
    int RestartCount = 0,
    DateTimeOffset? NextStartAt = null,
    string? LastOutcome = null,
    int RestartsInARow = 0,
    string? QueueNote = null);

/// <summary>One run of a job.</summary>
public sealed record RunView(
    long Id,
    int Attempt,
    string State,
    string Reason,
    string? Message,
    int? ExitCode,
    int? Signal,
    string? Node,
    int? Pid,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string Mem,
    string Cpu,
    int? Port = null,
    bool? Healthy = null,
    DateTimeOffset? ReadyAt = null,
    DateTimeOffset? DueAt = null,
    string? LaunchQueue = null);
