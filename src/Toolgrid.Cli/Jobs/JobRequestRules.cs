using System.Globalization;
using System.Text.RegularExpressions;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Scheduling;

namespace Toolgrid.Cli.Jobs;

/// <summary>
/// What the CLI can check about a <see cref="JobRunRequest"/> without the server: every source of
/// jobs (<c>jobs run</c>, <c>jobs.yaml</c>, the grid-era wrappers, a crontab) goes through here,
/// so each reports every problem at once and sends nothing when there is one.
/// </summary>
/// <remarks>
/// These are the rules of Core's <c>JobRules.Build</c> that need neither the tool (its home, its
/// ceilings) nor the site (its queues, its time zone, its most replicas): the server checks those,
/// and checks everything again. Problems name the API's fields (<c>mem</c>, <c>healthCheckHttp</c>);
/// each caller spells them as its user typed them (a flag, a YAML key, a grid-era flag).
/// </remarks>
internal static partial class JobRequestRules
{
    /// <summary>The most retries a job may have (the documented range, 0..5).</summary>
    public const int MaxRetry = 5;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    /// <summary>
    /// Checks <paramref name="request"/>, adding each problem to <paramref name="problems"/>, and
    /// returns it with its spellings normalized (trimmed sizes, the API's words for policies).
    /// </summary>
    /// <param name="request">The job as given.</param>
    /// <param name="problems">Where problems go, each naming an API field.</param>
    /// <param name="spell">How the user writes a setting, for the hints (<c>continuous</c> → <c>--continuous</c>, or <c>continuous: true</c>).</param>
    public static JobRunRequest Check(JobRunRequest request, Problems problems, Func<string, string> spell)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(spell);

        JobName.Validate(request.Name, problems, "name");
        JobRules.ValidateCommand(request.Command, problems, "command");

        var mem = request.Mem?.Trim();
        if (mem is not null && !MemorySize.TryParse(mem, out _, out var memError))
        {
            problems.Add("mem", memError);
        }

        var cpu = request.Cpu?.Trim();
        if (cpu is not null && !CpuQuantity.TryParse(cpu, out _, out var cpuError))
        {
            problems.Add("cpu", cpuError);
        }

        var continuous = request.Continuous == true;
        var scheduled = request.Schedule is not null;
        if (continuous && scheduled)
        {
            problems.Add("schedule", $"a job is either continuous or scheduled, not both: drop {spell("continuous")} or {spell("schedule")}.");
        }

        if (request.Retry is { } retry)
        {
            if (retry < 0 || retry > MaxRetry)
            {
                problems.Add("retry", $"retry must be between 0 and {MaxRetry}; got {retry}.");
            }
            else if (retry > 0 && continuous)
            {
                problems.Add("retry", "retry is for one-off and scheduled jobs; a continuous job is restarted by its restart policy.");
            }
        }

        if (request.GracePeriod is { } grace && (grace < 0 || grace > JobRules.MaxGracePeriodSeconds))
        {
            problems.Add("gracePeriod", $"the grace period must be between 0 and {JobRules.MaxGracePeriodSeconds} seconds; got {grace}.");
        }

        if (request.Queue is not null && string.IsNullOrWhiteSpace(request.Queue))
        {
            problems.Add("queue", "the queue name is empty; leave it out for the default queue.");
        }

        var emails = request.Emails;
        if (emails is not null)
        {
            if (Wire.TryParseEmails(emails, out var policy))
            {
                emails = Wire.Of(policy);
            }
            else
            {
                problems.Add("emails", $"'{InputText.Shorten(emails)}' is not an email policy: use none, onfailure, onfinish or all.");
            }
        }

        CheckOutput(request, problems, spell);
        var restart = CheckContinuous(request, continuous, problems, spell);
        var (concurrency, catchUp) = CheckSchedule(request, scheduled, problems, spell);
        CheckTimeout(request, continuous, problems);

        if (request.WorkingDirectory is { } directory)
        {
            CheckPath(directory, "workingDirectory", problems, "leave it out to run in the tool's home");
        }

        CheckEnvironment(request.Environment, problems);
        var umask = request.Umask is { } text ? CheckUmask(text, problems) : null;

        return request with
        {
            Mem = mem,
            Cpu = cpu,
            Emails = emails,
            Restart = restart,
            Schedule = request.Schedule?.Trim(),
            Concurrency = concurrency,
            CatchUp = catchUp,
            Timeout = request.Timeout?.Trim(),
            Umask = umask ?? request.Umask,
        };
    }

    /// <summary>The umask in the three octal digits the API shows, e.g. "022"; null (with a problem) when it is not one.</summary>
    public static string? CheckUmask(string text, Problems problems, string field = "umask")
    {
        ArgumentNullException.ThrowIfNull(problems);
        var s = text?.Trim() ?? "";
        if (s.Length is >= 1 and <= 4 && s.All(c => c is >= '0' and <= '7'))
        {
            var value = Convert.ToInt32(s, 8);
            if (value <= 0b111_111_111)
            {
                return Convert.ToString(value, 8).PadLeft(3, '0');
            }
        }

        problems.Add(field, $"'{InputText.Shorten(text ?? "")}' is not a umask: give three octal digits such as 022.");
        return null;
    }

    /// <summary>Reads one <c>NAME=VALUE</c> (<c>--env</c>, <c>jsub -v</c>); adds a problem when it is not one.</summary>
    public static bool TryParseVariable(string text, string field, Problems problems, out string name, out string value)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(problems);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            problems.Add(field, $"'{InputText.Shorten(text)}' is not NAME=VALUE.");
            name = value = "";
            return false;
        }

        name = text[..equals];
        value = text[(equals + 1)..];
        return true;
    }

    private static void CheckOutput(JobRunRequest request, Problems problems, Func<string, string> spell)
    {
        if (request.FilelogStdout is { } stdout)
        {
            CheckPath(stdout, "filelogStdout", problems, "leave it out for the default file");
        }

        if (request.FilelogStderr is { } stderr)
        {
            CheckPath(stderr, "filelogStderr", problems, "leave it out for the default file");
        }

        if (request.Filelog == false && (request.FilelogStdout is not null || request.FilelogStderr is not null))
        {
            problems.Add("filelog", $"output files were given but file logging is off: drop {spell("filelog")}, or drop {spell("filelogStdout")} and {spell("filelogStderr")}.");
        }

        if (request.MergeOutput == true && request.FilelogStderr is not null)
        {
            problems.Add("mergeOutput", $"standard error goes to the standard output file, so it cannot also have a file of its own: drop {spell("filelogStderr")}, or drop {spell("mergeOutput")}.");
        }
    }

    private static string? CheckContinuous(JobRunRequest request, bool continuous, Problems problems, Func<string, string> spell)
    {
        string? restart = null;
        if (request.Restart is { } text)
        {
            if (!Wire.TryParse(text.Trim().ToLowerInvariant(), out RestartPolicy policy))
            {
                problems.Add("restart", $"'{InputText.Shorten(text)}' is not a restart policy: use always or on-failure.");
            }
            else if (!continuous)
            {
                problems.Add("restart", $"a restart policy is for continuous jobs: add {spell("continuous")}.");
            }
            else
            {
                restart = Wire.Of(policy);
            }
        }

        var replicas = request.Replicas ?? 1;
        if (request.Replicas is not null && !continuous)
        {
            problems.Add("replicas", $"replicas are for continuous jobs: add {spell("continuous")}.");
        }
        else if (replicas < 1)
        {
            problems.Add("replicas", $"replicas must be at least 1; got {replicas}.");
        }

        if (request.Port is { } port && port != 0 && (port < 1024 || port > 65535))
        {
            problems.Add("port", $"port {port} is outside 1024–65535; give one in that range, or 0 to have one assigned to each run in $PORT.");
        }
        else if (request.Port is > 0 && replicas > 1)
        {
            problems.Add("port", $"a fixed port serves one replica per node; use port 0 to give each of the {replicas} replicas a port of its own in $PORT.");
        }

        if (request.HealthCheckScript is not null && request.HealthCheckHttp is not null)
        {
            problems.Add("healthCheckHttp", "a job has one health check: a script or an HTTP path, not both.");
        }

        if (request.HealthCheckScript is { } script)
        {
            JobRules.ValidateCommand(script, problems, "healthCheckScript");
        }

        if (request.HealthCheckHttp is { } path)
        {
            if (!path.StartsWith('/') || path.Length > 1024 || path.Any(char.IsControl) || path.Contains(' ', StringComparison.Ordinal))
            {
                problems.Add("healthCheckHttp", $"'{InputText.Shorten(path)}' is not an HTTP path: give one such as /healthz.");
            }
            else if (request.Port is null)
            {
                problems.Add("healthCheckHttp", $"an HTTP health check needs the port the job serves on: add {spell("port")} (0 to have one assigned in $PORT).");
            }
        }

        if ((request.HealthCheckScript is not null || request.HealthCheckHttp is not null) && !continuous)
        {
            problems.Add(request.HealthCheckScript is not null ? "healthCheckScript" : "healthCheckHttp", $"health checks are for continuous jobs: add {spell("continuous")}.");
        }

        return restart ?? request.Restart;
    }

    private static (string? Concurrency, string? CatchUp) CheckSchedule(JobRunRequest request, bool scheduled, Problems problems, Func<string, string> spell)
    {
        if (!scheduled)
        {
            foreach (var (field, value) in new[] { ("timezone", request.Timezone), ("concurrency", request.Concurrency), ("catchUp", request.CatchUp) })
            {
                if (value is not null)
                {
                    problems.Add(field, $"{spell(field)} is for scheduled jobs: add {spell("schedule")}.");
                }
            }

            return (request.Concurrency, request.CatchUp);
        }

        // The zone is checked on its own, so that a bad zone and a bad schedule are both reported.
        if (request.Timezone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            problems.Add("timezone", $"'{InputText.Shorten(zone)}' is not a known time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC.");
        }

        // The spread of a macro depends on the tool, which only the server knows; the syntax does not.
        if (!CronSchedule.TryParse(request.Schedule, "tool", request.Name ?? "", zoneId: null, defaultZoneId: "UTC", out _, out var error))
        {
            problems.Add("schedule", error);
        }

        string? concurrency = request.Concurrency;
        if (concurrency is not null)
        {
            if (Wire.TryParse(concurrency.Trim().ToLowerInvariant(), out ConcurrencyPolicy policy))
            {
                concurrency = Wire.Of(policy);
            }
            else
            {
                problems.Add("concurrency", $"'{InputText.Shorten(concurrency)}' is not a concurrency policy: use forbid, allow or replace.");
            }
        }

        string? catchUp = request.CatchUp;
        if (catchUp is not null)
        {
            if (Wire.TryParse(catchUp.Trim().ToLowerInvariant(), out CatchUpPolicy policy))
            {
                catchUp = Wire.Of(policy);
            }
            else
            {
                problems.Add("catchUp", $"'{InputText.Shorten(catchUp)}' is not a catch-up policy: use once or skip.");
            }
        }

        return (concurrency, catchUp);
    }

    private static void CheckTimeout(JobRunRequest request, bool continuous, Problems problems)
    {
        if (request.Timeout is not { } text)
        {
            return;
        }

        if (!Duration.TryParse(text, out var span, out var error))
        {
            problems.Add("timeout", error);
        }
        else if (span < TimeSpan.FromSeconds(1) || span > JobRules.MaxTimeout)
        {
            problems.Add("timeout", $"a timeout is between 1s and {Duration.Format(JobRules.MaxTimeout)}; got {text.Trim()}.");
        }
        else if (continuous)
        {
            problems.Add("timeout", "a continuous job runs until it is stopped; a timeout is for one-off and scheduled jobs.");
        }
    }

    private static void CheckEnvironment(Dictionary<string, string>? environment, Problems problems)
    {
        if (environment is null)
        {
            return;
        }

        if (environment.Count > JobRules.MaxEnvironment)
        {
            problems.Add("environment", string.Create(CultureInfo.InvariantCulture, $"{environment.Count} variables are given; at most {JobRules.MaxEnvironment} are allowed."));
            return;
        }

        foreach (var (name, value) in environment)
        {
            if (!VariableName().IsMatch(name))
            {
                problems.Add("environment", $"'{InputText.Shorten(name)}' is not a variable name: letters, digits and '_', not starting with a digit.");
            }
            else if (JobRules.ReservedVariables.Contains(name) || name.StartsWith("TOOLGRID_", StringComparison.Ordinal))
            {
                problems.Add("environment", $"{name} is set by the platform for every run and cannot be changed.");
            }
            else if (value.Contains('\0', StringComparison.Ordinal) || value.Length > 32 * 1024)
            {
                problems.Add("environment", $"the value of {name} holds a NUL character or is longer than 32 KiB.");
            }
        }
    }

    private static void CheckPath(string path, string field, Problems problems, string hint)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add(field, $"the path is empty; {hint}.");
        }
        else if (path.Any(char.IsControl))
        {
            problems.Add(field, "the path holds control characters.");
        }
    }
}
