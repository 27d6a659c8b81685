using System.Text.RegularExpressions;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Limits;
using Toolgrid.Core.Tools;

namespace Toolgrid.Core.Jobs;

/// <summary>Turns a request for a job into a <see cref="Job"/>, checking every field against the rules and the tool's limits.</summary>
public static partial class JobRules
{
    public const int MaxCommandLength = 8192;

    public const int MaxGracePeriodSeconds = 3600;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();

    /// <summary>Whether <paramref name="name"/> is a well-formed queue name.</summary>
    public static bool IsQueueName(string? name) => name is not null && QueueName().IsMatch(name);

    /// <summary>The most environment variables a job may set.</summary>
    public const int MaxEnvironment = 64;

    /// <summary>The longest a run may be given by a timeout.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(30);

    /// <summary>Variables the platform sets for every run; a job may not set them itself.</summary>
    public static IReadOnlySet<string> ReservedVariables => RunVariables.Reserved;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    /// <summary>
    /// Builds a job from <paramref name="request"/>: scheduled when it has a schedule, continuous
    /// when it says so, one-off otherwise. Every problem is added to <paramref name="problems"/>;
    /// the job is returned only when there are none.
    /// </summary>
    public static Job? Build(
        JobRunRequest request,
        Tool tool,
        JobLimits siteLimits,
        JobSite site,
        string createdBy,
        DateTimeOffset now,
        Problems problems,
        bool interactive = false)
    {
        var limits = siteLimits.For(tool);
        var before = problems.Count;

        JobName.Validate(request.Name, problems, "name");
        ValidateCommand(request.Command, problems);
        var memory = ParseMemory(request.Mem, limits, problems);
        var cpu = ParseCpu(request.Cpu, limits, problems);

        var continuous = request.Continuous == true;
        var scheduled = request.Schedule is not null;
        var kind = scheduled ? JobKind.Scheduled : continuous ? JobKind.Continuous : JobKind.OneOff;
        if (continuous && scheduled)
        {
            problems.Add(JobFieldNames.Schedule, "a job is either continuous or scheduled, not both: drop `continuous` or `schedule`.");
        }

        var retry = request.Retry ?? 0;
        if (retry < 0 || retry > limits.MaxRetry)
        {
            problems.Add(JobFieldNames.Retry, $"retry must be between 0 and {limits.MaxRetry}; got {retry}.");
        }
        else if (retry > 0 && kind == JobKind.Continuous)
        {
            problems.Add(JobFieldNames.Retry, "retry is for one-off and scheduled jobs; a continuous job is restarted by its restart policy.");
        }

        var grace = request.GracePeriod ?? JobDefaults.GracePeriodSeconds;
        if (grace < 0 || grace > MaxGracePeriodSeconds)
        {
            problems.Add(JobFieldNames.GracePeriod, $"the grace period must be between 0 and {MaxGracePeriodSeconds} seconds; got {grace}.");
        }

        var queue = request.Queue ?? Queues.Default;
        if (!QueueName().IsMatch(queue))
        {
            problems.Add(JobFieldNames.Queue, $"'{InputText.Shorten(queue)}' is not a valid queue name.");
        }
        else if (QueueAccess.Refusal(tool.Name, queue, site.Queues, site.GrantedQueues) is { } queueRefusal)
        {
            problems.Add(JobFieldNames.Queue, queueRefusal);
        }

        var emails = kind == JobKind.Continuous ? EmailPolicy.OnFailure : EmailPolicy.None;
        if (request.Emails is not null && !JobWire.TryParseEmails(request.Emails, out emails))
        {
            problems.Add(JobFieldNames.Emails, $"'{InputText.Shorten(request.Emails)}' is not an email policy: use none, onfailure, onfinish or all.");
        }

        var fileLog = request.Filelog ?? true;
        var stdout = NormalizePath(tool.Home, request.FilelogStdout, JobFieldNames.FilelogStdout, problems);
        var stderr = NormalizePath(tool.Home, request.FilelogStderr, JobFieldNames.FilelogStderr, problems);
        if (!fileLog && (request.FilelogStdout is not null || request.FilelogStderr is not null))
        {
            problems.Add(JobFieldNames.Filelog, "output files were given but file logging is off: drop `filelog`, or drop `filelogStdout` and `filelogStderr`.");
        }

        var merge = request.MergeOutput ?? false;
        if (merge && request.FilelogStderr is not null)
        {
            problems.Add(JobFieldNames.MergeOutput, "standard error goes to the standard output file, so it cannot also have a file of its own: drop `filelogStderr`, or drop `mergeOutput`.");
        }

        var restart = RestartPolicy.Always;
        if (request.Restart is not null)
        {
            if (!JobWire.TryParse(request.Restart.Trim().ToLowerInvariant(), out restart))
            {
                problems.Add(JobFieldNames.Restart, $"'{InputText.Shorten(request.Restart)}' is not a restart policy: use always or on-failure.");
            }
            else if (kind != JobKind.Continuous)
            {
                problems.Add(JobFieldNames.Restart, "a restart policy is for continuous jobs: add `continuous`.");
            }
        }

        var replicas = request.Replicas ?? 1;
        if (request.Replicas is not null && kind != JobKind.Continuous)
        {
            problems.Add(JobFieldNames.Replicas, "replicas are for continuous jobs: add `continuous`.");
        }
        else if (replicas < 1 || replicas > site.MaxReplicas)
        {
            problems.Add(JobFieldNames.Replicas, $"replicas must be between 1 and {site.MaxReplicas}; got {replicas}.");
        }

        var fixedPort = request.Port is > 0 ? request.Port : null;
        if (request.Port is { } port && port != 0 && (port < 1024 || port > 65535))
        {
            problems.Add(JobFieldNames.Port, $"port {port} is outside 1024–65535; give one in that range, or 0 to have one assigned to each run in $PORT.");
        }
        else if (fixedPort is not null && replicas > 1)
        {
            problems.Add(JobFieldNames.Port, $"a fixed port serves one replica per node; use port 0 to give each of the {replicas} replicas a port of its own in $PORT.");
        }

        if (request.HealthCheckScript is not null && request.HealthCheckHttp is not null)
        {
            problems.Add(JobFieldNames.HealthCheckHttp, "a job has one health check: a script or an HTTP path, not both.");
        }

        if (request.HealthCheckScript is not null)
        {
            ValidateCommand(request.HealthCheckScript, problems, JobFieldNames.HealthCheckScript);
        }

        if (request.HealthCheckHttp is { } path)
        {
            if (!path.StartsWith('/') || path.Length > 1024 || path.Any(char.IsControl) || path.Contains(' ', StringComparison.Ordinal))
            {
                problems.Add(JobFieldNames.HealthCheckHttp, $"'{InputText.Shorten(path)}' is not an HTTP path: give one such as /healthz.");
            }
            else if (request.Port is null)
            {
                problems.Add(JobFieldNames.HealthCheckHttp, "an HTTP health check needs the port the job serves on: add `port` (0 to have one assigned in $PORT).");
            }
        }

        if ((request.HealthCheckScript is not null || request.HealthCheckHttp is not null) && kind != JobKind.Continuous)
        {
            problems.Add(request.HealthCheckScript is not null ? JobFieldNames.HealthCheckScript : JobFieldNames.HealthCheckHttp, "health checks are for continuous jobs: add `continuous`.");
        }

        // What the site's backend cannot run is refused here, for every way a job comes in (run,
        // submit, load, webservice start, shell), before anything is stored.
        if (site.Backend.Refusal(interactive, request.HealthCheckScript is not null) is { } refusal)
        {
            problems.Add(interactive ? "interactive" : JobFieldNames.HealthCheckScript, refusal);
        }

        if (scheduled)
        {
            if (!CronSchedule.TryParse(request.Schedule, tool.Name, request.Name ?? "", request.Timezone, site.TimeZone, out _, out var error))
            {
                problems.Add(request.Timezone is not null && error.Contains("time zone", StringComparison.Ordinal) ? JobFieldNames.Timezone : JobFieldNames.Schedule, error);
            }
        }
        else
        {
            foreach (var (field, value) in new[] { (JobFieldNames.Timezone, request.Timezone), (JobFieldNames.Concurrency, request.Concurrency), (JobFieldNames.CatchUp, request.CatchUp) })
            {
                if (value is not null)
                {
                    problems.Add(field, $"`{field}` is for scheduled jobs: add `schedule`.");
                }
            }
        }

        var concurrency = ConcurrencyPolicy.Forbid;
        if (request.Concurrency is not null && scheduled && !JobWire.TryParse(request.Concurrency.Trim().ToLowerInvariant(), out concurrency))
        {
            problems.Add(JobFieldNames.Concurrency, $"'{InputText.Shorten(request.Concurrency)}' is not a concurrency policy: use forbid, allow or replace.");
        }

        var catchUp = CatchUpPolicy.Once;
        if (request.CatchUp is not null && scheduled && !JobWire.TryParse(request.CatchUp.Trim().ToLowerInvariant(), out catchUp))
        {
            problems.Add(JobFieldNames.CatchUp, $"'{InputText.Shorten(request.CatchUp)}' is not a catch-up policy: use once or skip.");
        }

        int? timeout = null;
        if (request.Timeout is not null)
        {
            if (!Duration.TryParse(request.Timeout, out var span, out var error))
            {
                problems.Add(JobFieldNames.Timeout, error);
            }
            else if (span < TimeSpan.FromSeconds(1) || span > MaxTimeout)
            {
                problems.Add(JobFieldNames.Timeout, $"a timeout is between 1s and {Duration.Format(MaxTimeout)}; got {request.Timeout}.");
            }
            else if (kind == JobKind.Continuous)
            {
                problems.Add(JobFieldNames.Timeout, "a continuous job runs until it is stopped; a timeout is for one-off and scheduled jobs.");
            }
            else
            {
                timeout = (int)span.TotalSeconds;
            }
        }

        var workingDirectory = request.WorkingDirectory is "." or "~" ? null : NormalizePath(tool.Home, request.WorkingDirectory, JobFieldNames.WorkingDirectory, problems);
        var environment = ValidateEnvironment(request.Environment, problems);

        var umask = ParseUmask(request.Umask, problems);

        if (problems.Count > before)
        {
            return null;
        }

        return new Job
        {
            Interactive = interactive,
            ToolName = tool.Name,
            Name = request.Name!,
            Kind = kind,
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
            Restart = restart,
            Replicas = replicas,
            UsesPort = request.Port is not null,
            FixedPort = fixedPort,
            HealthCheckScript = request.HealthCheckScript,
            HealthCheckHttpPath = request.HealthCheckHttp,
            Schedule = scheduled ? request.Schedule!.Trim() : null,
            TimeZone = scheduled ? request.Timezone : null,
            Concurrency = concurrency,
            CatchUp = catchUp,
            TimeoutSeconds = timeout,
            WorkingDirectory = workingDirectory,
            Environment = environment,
            Umask = umask,
            MergeOutput = merge,
            CreatedAt = now,
            NextDueAt = scheduled ? now : null,
            CreatedBy = createdBy,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// The live job, other than <paramref name="job"/> itself (same tool and name), that already
    /// serves on <paramref name="job"/>'s fixed port, if any: two jobs with one fixed port could never
    /// run on one node at once, and the later one would wait for a node for ever.
    /// </summary>
    public static Job? FixedPortHolder(Job job, IEnumerable<Job> liveJobs) =>
        job.UsesPort && job.FixedPort is { } port
            ? liveJobs.FirstOrDefault(other => other.UsesPort && other.FixedPort == port && other.DeletedAt is null
                && !(other.ToolName == job.ToolName && other.Name == job.Name))
            : null;

    /// <summary>Whether a change from <paramref name="old"/> to <paramref name="next"/> needs new runs (what a run was started with differs).</summary>
    public static bool NeedsNewRuns(Job old, Job next) =>
        JobFields.All.Any(f => f.NeedsNewRuns && f.Differs(old, next));

    private static Dictionary<string, string> ValidateEnvironment(Dictionary<string, string>? environment, Problems problems)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (environment is null)
        {
            return result;
        }

        if (environment.Count > MaxEnvironment)
        {
            problems.Add(JobFieldNames.Environment, $"{environment.Count} variables are given; at most {MaxEnvironment} are allowed.");
            return result;
        }

        foreach (var (name, value) in environment)
        {
            if (!VariableName().IsMatch(name))
            {
                problems.Add(JobFieldNames.Environment, $"'{InputText.Shorten(name)}' is not a variable name: letters, digits and '_', not starting with a digit.");
            }
            else if (RunVariables.IsReserved(name))
            {
                problems.Add(JobFieldNames.Environment, $"{name} is set by the platform for every run and cannot be changed.");
            }
            else if (value.Contains('\0', StringComparison.Ordinal) || value.Length > 32 * 1024)
            {
                problems.Add(JobFieldNames.Environment, $"the value of {name} holds a NUL character or is longer than 32 KiB.");
            }
            else
            {
                result[name] = value;
            }
        }

        return result;
    }

    public static void ValidateCommand(string? command, Problems problems, string field = JobFieldNames.Command)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            problems.Add(field, "a command is required, e.g. `command` './fetch.sh --all'.");
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

    /// <summary>The most jobs an admin may allow one tool.</summary>
    public const int MaxJobsCeiling = 10_000;

    /// <summary>
    /// A tool's memory ceiling as an admin gives it: a size no less than the least a job may have
    /// (it may be above the site's ceiling: that is what raising it is). Null when it does not parse.
    /// </summary>
    public static long? ParseMemoryCeiling(string text, JobLimits site, Problems problems, string field = "maxMemory")
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(problems);
        if (!MemorySize.TryParse(text, out _, out var error))
        {
            problems.Add(field, error);
            return null;
        }

        return ParseMemory(text, site with { MaxMemoryBytes = long.MaxValue }, problems, field);
    }

    /// <summary>A tool's CPU ceiling as an admin gives it: no less than the least a job may have. Null when it does not parse.</summary>
    public static int? ParseCpuCeiling(string text, JobLimits site, Problems problems, string field = "maxCpu")
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(problems);
        if (!CpuQuantity.TryParse(text, out _, out var error))
        {
            problems.Add(field, error);
            return null;
        }

        return ParseCpu(text, site with { MaxCpuMillis = int.MaxValue }, problems, field);
    }

    /// <summary>A tool's ceiling on jobs as an admin gives it: a number from 1 to <see cref="MaxJobsCeiling"/>. Null when it is not one.</summary>
    public static int? ParseJobsCeiling(string text, Problems problems, string field = "maxJobs")
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= MaxJobsCeiling)
        {
            return count;
        }

        problems.Add(field, $"'{InputText.Shorten(text)}' is not a number of jobs between 1 and {MaxJobsCeiling} (or 'default').");
        return null;
    }

    public static long ParseMemory(string? text, JobLimits limits, Problems problems, string field = JobFieldNames.Mem)
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
            problems.Add(field, $"{InputText.Shorten(text)} is less than the least a job may have, {MemorySize.Format(limits.MinMemoryBytes)}" + MebibyteHint(text, limits));
        }
        else if (bytes > limits.MaxMemoryBytes)
        {
            problems.Add(field, $"{InputText.Shorten(text)} is more than this tool's ceiling of {MemorySize.Format(limits.MaxMemoryBytes)} per job; ask an admin to raise it if the tool needs more.");
        }

        return bytes;
    }

    /// <summary>
    /// "; did you mean 512Mi?" for a bare number of bytes that would be a valid size in MiB (a
    /// forgotten unit), else ".": no hint for a size with a unit, nor for one that would be
    /// refused in MiB too.
    /// </summary>
    private static string MebibyteHint(string text, JobLimits limits)
    {
        var number = text.Trim();
        var valid = number.All(char.IsAsciiDigit)
            && MemorySize.TryParse(number + "Mi", out var asMebibytes, out _)
            && asMebibytes >= limits.MinMemoryBytes
            && asMebibytes <= limits.MaxMemoryBytes;
        return valid ? $"; did you mean {number}Mi?" : ".";
    }

    public static int ParseCpu(string? text, JobLimits limits, Problems problems, string field = JobFieldNames.Cpu)
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

    /// <summary>A file-mode creation mask given in octal (<c>022</c>), 0 to 0777; null when none is given (the run gets <see cref="JobDefaults.Umask"/>) or it is not one.</summary>
    private static int? ParseUmask(string? text, Problems problems)
    {
        if (text is null)
        {
            return null;
        }

        if (FileMask.TryParse(text, out var mask, out var error))
        {
            return mask;
        }

        problems.Add(JobFieldNames.Umask, error);
        return null;
    }

    private static string? NormalizePath(string home, string? path, string field, Problems problems)
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
