using System.Text.RegularExpressions;
using Toolgrid.Core.Api;
using Toolgrid.Core.Limits;
using Toolgrid.Core.Tools;
using Toolgrid.Core.Validation;

namespace Toolgrid.Core.Jobs;

/// <summary>Turns a request for a job into a <see cref="Job"/>, checking every field against the rules and the tool's limits.</summary>
public static partial class JobRules
{
    public const int MaxCommandLength = 8192;

    public const int MaxGracePeriodSeconds = 3600;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();

    /// <summary>
    /// Builds a one-off job from <paramref name="request"/>. Every problem is added to
    /// <paramref name="problems"/>; the job is returned only when there are none.
    /// </summary>
    public static Job? BuildOneOff(
        JobRunRequest request,
        Tool tool,
        JobLimits siteLimits,
        IReadOnlyCollection<string> queues,
        string createdBy,
        DateTimeOffset now,
        Problems problems)
    {
        var limits = siteLimits.For(tool);
        var before = problems.Count;

        JobName.Validate(request.Name, problems, "name");
        ValidateCommand(request.Command, problems);
        var memory = ParseMemory(request.Mem, limits, problems);
        var cpu = ParseCpu(request.Cpu, limits, problems);

        var retry = request.Retry ?? 0;
        if (retry < 0 || retry > limits.MaxRetry)
        {
            problems.Add("retry", $"retry must be between 0 and {limits.MaxRetry}; got {retry}.");
        }

        var grace = request.GracePeriod ?? 15;
        if (grace < 0 || grace > MaxGracePeriodSeconds)
        {
            problems.Add("gracePeriod", $"the grace period must be between 0 and {MaxGracePeriodSeconds} seconds; got {grace}.");
        }

        var queue = request.Queue ?? Queues.Default;
        if (!QueueName().IsMatch(queue))
        {
            problems.Add("queue", $"'{InputText.Shorten(queue)}' is not a valid queue name.");
        }
        else if (!queues.Contains(queue))
        {
            problems.Add("queue", $"there is no queue named '{queue}'; the queues are: {string.Join(", ", queues.Order(StringComparer.Ordinal))}.");
        }

        var emails = EmailPolicy.None;
        if (request.Emails is not null && !Wire.TryParseEmails(request.Emails, out emails))
        {
            problems.Add("emails", $"'{InputText.Shorten(request.Emails)}' is not an email policy: use none, onfailure, onfinish or all.");
        }

        var fileLog = request.Filelog ?? true;
        var stdout = NormalizeLogPath(tool.Home, request.FilelogStdout, "filelogStdout", problems);
        var stderr = NormalizeLogPath(tool.Home, request.FilelogStderr, "filelogStderr", problems);
        if (!fileLog && (request.FilelogStdout is not null || request.FilelogStderr is not null))
        {
            problems.Add("filelog", "output files were given but file logging is off: drop --no-filelog, or drop -o/-e.");
        }

        if (problems.Count > before)
        {
            return null;
        }

        return new Job
        {
            ToolName = tool.Name,
            Name = request.Name!,
            Kind = JobKind.OneOff,
            Command = request.Command!,
            MemoryBytes = memory,
            CpuMillis = cpu,
            Retry = retry,
            Queue = queue,
            Emails = emails,
            FileLog = fileLog,
            StdoutPath = stdout,
            StderrPath = stderr,
            GracePeriodSeconds = grace,
            CreatedAt = now,
            CreatedBy = createdBy,
            UpdatedAt = now,
        };
    }

    public static void ValidateCommand(string? command, Problems problems, string field = "command")
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            problems.Add(field, "a command is required, e.g. --command './fetch.sh --all'.");
        }
        else if (command.Contains('\0', StringComparison.Ordinal))
        {
            problems.Add(field, "the command holds a NUL character.");
        }
        else if (command.Length > MaxCommandLength)
        {
            problems.Add(field, $"the command is {command.Length} characters long; at most {MaxCommandLength} are allowed. Put long commands in a script in the tool's home.");
        }
    }

    public static long ParseMemory(string? text, JobLimits limits, Problems problems, string field = "mem")
    {
        if (text is null)
        {
            return limits.DefaultMemoryBytes;
        }

        if (!MemorySize.TryParse(text, out var bytes, out var error))
        {
            problems.Add(field, error);
            return 0;
        }

        if (bytes < limits.MinMemoryBytes)
        {
            problems.Add(field, $"{InputText.Shorten(text)} is less than the least a job may have, {MemorySize.Format(limits.MinMemoryBytes)}" + (bytes < MemorySize.KiB * 64 ? $"; did you mean {text}Mi?" : "."));
        }
        else if (bytes > limits.MaxMemoryBytes)
        {
            problems.Add(field, $"{InputText.Shorten(text)} is more than this tool's ceiling of {MemorySize.Format(limits.MaxMemoryBytes)} per job; ask an admin to raise it if the tool needs more.");
        }

        return bytes;
    }

    public static int ParseCpu(string? text, JobLimits limits, Problems problems, string field = "cpu")
    {
        if (text is null)
        {
            return limits.DefaultCpuMillis;
        }

        if (!CpuQuantity.TryParse(text, out var millis, out var error))
        {
            problems.Add(field, error);
            return 0;
        }

        if (millis < limits.MinCpuMillis)
        {
            problems.Add(field, $"{InputText.Shorten(text)} is less than the least a job may have, {CpuQuantity.Format(limits.MinCpuMillis)} CPU.");
        }
        else if (millis > limits.MaxCpuMillis)
        {
            problems.Add(field, $"{InputText.Shorten(text)} CPU is more than this tool's ceiling of {CpuQuantity.Format(limits.MaxCpuMillis)} per job; ask an admin to raise it if the tool needs more.");
        }

        return millis;
    }

    private static string? NormalizeLogPath(string home, string? path, string field, Problems problems)
    {
        if (path is null)
        {
            return null;
        }

        if (!HomePath.TryNormalize(home, path, out var relative, out var error))
        {
            problems.Add(field, error);
            return null;
        }

        return relative;
    }
}
