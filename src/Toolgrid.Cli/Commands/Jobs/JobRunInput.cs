using Toolgrid.Cli.Jobs;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary>What <c>jobs run</c> was given, before it becomes a <see cref="JobRunRequest"/>.</summary>
/// <remarks>
/// <see cref="ToRequest"/> checks what can be checked without the server (<see cref="JobRequestRules"/>:
/// names, sizes, CPU, schedules, policies, which flags go with which kind of job) and reports every
/// problem at once. The server checks again, against the site's limits and the tool's home, which
/// only it knows.
/// </remarks>
internal sealed record JobRunInput
{
    /// <summary>The most retries <c>--retry</c> takes (the CLI's documented range, 0..5).</summary>
    public const int MaxRetry = JobRequestRules.MaxRetry;

    public string? Name { get; init; }

    public string? Command { get; init; }

    public string? Mem { get; init; }

    public string? Cpu { get; init; }

    public int? Retry { get; init; }

    public bool Wait { get; init; }

    public bool NoFilelog { get; init; }

    public string? Stdout { get; init; }

    public string? Stderr { get; init; }

    public string? Emails { get; init; }

    public int? GracePeriod { get; init; }

    public string? Queue { get; init; }

    public bool Continuous { get; init; }

    public string? Restart { get; init; }

    public int? Replicas { get; init; }

    public int? Port { get; init; }

    public string? HealthCheckScript { get; init; }

    public string? HealthCheckHttp { get; init; }

    public string? Schedule { get; init; }

    public string? Timezone { get; init; }

    public string? Concurrency { get; init; }

    public string? CatchUp { get; init; }

    public string? Timeout { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Each <c>--env NAME=VALUE</c>, in order.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    public string? Umask { get; init; }

    public bool MergeOutput { get; init; }

    /// <summary>The request to send; every problem found is added to <paramref name="problems"/> (fields in the API's spelling).</summary>
    public JobRunRequest ToRequest(Problems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        Dictionary<string, string>? environment = null;
        foreach (var assignment in Environment)
        {
            if (JobRequestRules.TryParseVariable(assignment, "environment", problems, out var name, out var value))
            {
                environment ??= new Dictionary<string, string>(StringComparer.Ordinal);
                if (!environment.TryAdd(name, value))
                {
                    problems.Add("environment", $"{name} is given twice.");
                }
            }
        }

        var request = new JobRunRequest
        {
            Name = Name,
            Command = Command,
            Mem = Mem,
            Cpu = Cpu,
            Retry = Retry,
            Filelog = NoFilelog ? false : null,
            FilelogStdout = Stdout,
            FilelogStderr = Stderr,
            GracePeriod = GracePeriod,
            Queue = Queue,
            Emails = Emails,
            Continuous = Continuous ? true : null,
            Restart = Restart,
            Replicas = Replicas,
            Port = Port,
            HealthCheckScript = HealthCheckScript,
            HealthCheckHttp = HealthCheckHttp,
            Schedule = Schedule,
            Timezone = Timezone,
            Concurrency = Concurrency,
            CatchUp = CatchUp,
            Timeout = Timeout,
            WorkingDirectory = WorkingDirectory,
            Environment = environment,
            Umask = Umask,
            MergeOutput = MergeOutput ? true : null,
        };
        request = JobRequestRules.Check(request, problems, CliFields.Of);

        if (Wait && (Continuous || Schedule is not null))
        {
            problems.Add("wait", Continuous
                ? "a continuous job never finishes, so there is nothing to wait for: drop --wait, and follow it with 'toolgrid jobs logs NAME -f'."
                : "a scheduled job runs again and again, so there is nothing to wait for: drop --wait, and see its runs with 'toolgrid jobs show NAME'.");
        }

        return request;
    }
}
