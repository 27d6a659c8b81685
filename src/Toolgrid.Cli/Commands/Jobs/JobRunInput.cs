using Toolgrid.Core.Api;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary>What <c>jobs run</c> was given, before it becomes a <see cref="JobRunRequest"/>.</summary>
/// <remarks>
/// <see cref="ToRequest"/> checks what can be checked without the server (names, sizes, CPU,
/// ranges, -o/-e with --no-filelog) and reports every problem at once. The server checks again,
/// against the site's limits and the tool's home, which only it knows.
/// </remarks>
internal sealed record JobRunInput
{
    /// <summary>The most retries <c>--retry</c> takes (the CLI's documented range, 0..5).</summary>
    public const int MaxRetry = 5;

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

    /// <summary>The request to send; every problem found is added to <paramref name="problems"/> (fields in the API's spelling).</summary>
    public JobRunRequest ToRequest(Problems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        JobName.Validate(Name, problems, "name");
        JobRules.ValidateCommand(Command, problems, "command");

        var mem = Mem?.Trim();
        if (mem is not null && !MemorySize.TryParse(mem, out _, out var memError))
        {
            problems.Add("mem", memError);
        }

        var cpu = Cpu?.Trim();
        if (cpu is not null && !CpuQuantity.TryParse(cpu, out _, out var cpuError))
        {
            problems.Add("cpu", cpuError);
        }

        if (Retry is { } retry && (retry < 0 || retry > MaxRetry))
        {
            problems.Add("retry", $"retry must be between 0 and {MaxRetry}; got {retry}.");
        }

        if (GracePeriod is { } grace && (grace < 0 || grace > JobRules.MaxGracePeriodSeconds))
        {
            problems.Add("gracePeriod", $"the grace period must be between 0 and {JobRules.MaxGracePeriodSeconds} seconds; got {grace}.");
        }

        string? emails = null;
        if (Emails is not null)
        {
            if (Wire.TryParseEmails(Emails, out var policy))
            {
                emails = Wire.Of(policy);
            }
            else
            {
                problems.Add("emails", $"'{Emails}' is not an email policy: use none, onfailure, onfinish or all.");
            }
        }

        CheckPath(Stdout, "filelogStdout", problems);
        CheckPath(Stderr, "filelogStderr", problems);
        if (NoFilelog && (Stdout is not null || Stderr is not null))
        {
            problems.Add("filelog", "output files were given but file logging is off: drop --no-filelog, or drop -o/-e.");
        }

        if (Queue is not null && string.IsNullOrWhiteSpace(Queue))
        {
            problems.Add("queue", "the queue name is empty; leave --queue out for the default queue.");
        }

        return new JobRunRequest
        {
            Name = Name,
            Command = Command,
            Mem = mem,
            Cpu = cpu,
            Retry = Retry,
            Filelog = NoFilelog ? false : null,
            FilelogStdout = Stdout,
            FilelogStderr = Stderr,
            GracePeriod = GracePeriod,
            Queue = Queue,
            Emails = emails,
        };
    }

    private static void CheckPath(string? path, string field, Problems problems)
    {
        if (path is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add(field, "the path is empty; leave the option out for the default file.");
        }
        else if (path.Any(char.IsControl))
        {
            problems.Add(field, "the path holds control characters.");
        }
    }
}
