using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.JobsFile;

/// <summary>
/// The keys of a <c>jobs.yaml</c> entry: every key of Toolforge's jobs framework (the options of
/// its <c>jobs run</c>: <c>name</c>, <c>command</c>, <c>image</c>, <c>no-filelog</c>,
/// <c>filelog</c>, <c>filelog-stdout</c>, <c>filelog-stderr</c>, <c>retry</c>, <c>mem</c>,
/// <c>cpu</c>, <c>emails</c>, <c>mount</c>, <c>timeout</c>, <c>schedule</c>, <c>continuous</c>,
/// <c>wait</c>, <c>health-check-script</c>, <c>health-check-http</c>, <c>port</c>,
/// <c>replicas</c>) and Toolgrid's own.
/// </summary>
/// <remarks>
/// The order here is the order <c>jobs dump</c> writes them in. Any other key is an error that
/// names it: a key that is ignored silently is a setting that silently does not apply.
/// </remarks>
internal static class JobsFileKeys
{
    public static readonly IReadOnlyList<JobsFileKey> All =
    [
        JobsFileKey.Text("name", "name", r => r.Name, (r, v) => r with { Name = v }),
        JobsFileKey.Text("command", JobFieldNames.Command, r => r.Command, (r, v) => r with { Command = v }),
        JobsFileKey.OfCli("image", JobsFileValueType.Text),
        JobsFileKey.Boolean("continuous", "continuous", r => r.Continuous, (r, v) => r with { Continuous = v }),
        JobsFileKey.OfCli("wait", JobsFileValueType.Wait),
        JobsFileKey.Text("restart", JobFieldNames.Restart, r => r.Restart, (r, v) => r with { Restart = v }),
        JobsFileKey.Number("replicas", JobFieldNames.Replicas, r => r.Replicas, (r, v) => r with { Replicas = v }),
        JobsFileKey.Port("port", JobFieldNames.Port, r => r.Port, (r, v) => r with { Port = v }),
        JobsFileKey.Text("health-check-script", JobFieldNames.HealthCheckScript, r => r.HealthCheckScript, (r, v) => r with { HealthCheckScript = v }),
        JobsFileKey.Text("health-check-http", JobFieldNames.HealthCheckHttp, r => r.HealthCheckHttp, (r, v) => r with { HealthCheckHttp = v }),
        JobsFileKey.Text("schedule", JobFieldNames.Schedule, r => r.Schedule, (r, v) => r with { Schedule = v }),
        JobsFileKey.Text("timezone", JobFieldNames.Timezone, r => r.Timezone, (r, v) => r with { Timezone = v }),
        JobsFileKey.Text("concurrency", JobFieldNames.Concurrency, r => r.Concurrency, (r, v) => r with { Concurrency = v }),
        JobsFileKey.Text("catch-up", JobFieldNames.CatchUp, r => r.CatchUp, (r, v) => r with { CatchUp = v }),
        JobsFileKey.Text("timeout", JobFieldNames.Timeout, r => r.Timeout, (r, v) => r with { Timeout = v }),
        JobsFileKey.Text("mem", JobFieldNames.Mem, r => r.Mem, (r, v) => r with { Mem = v }),
        JobsFileKey.Text("cpu", JobFieldNames.Cpu, r => r.Cpu, (r, v) => r with { Cpu = v }),
        JobsFileKey.Number("retry", JobFieldNames.Retry, r => r.Retry, (r, v) => r with { Retry = v }),
        JobsFileKey.Text("emails", JobFieldNames.Emails, r => r.Emails, (r, v) => r with { Emails = v }),
        JobsFileKey.Text("queue", JobFieldNames.Queue, r => r.Queue, (r, v) => r with { Queue = v }),
        JobsFileKey.Number("grace-period", JobFieldNames.GracePeriod, r => r.GracePeriod, (r, v) => r with { GracePeriod = v }),
        JobsFileKey.Text("workdir", JobFieldNames.WorkingDirectory, r => r.WorkingDirectory, (r, v) => r with { WorkingDirectory = v }),
        JobsFileKey.Text("umask", JobFieldNames.Umask, r => r.Umask, (r, v) => r with { Umask = v }),
        JobsFileKey.Variables("env", JobFieldNames.Environment, r => r.Environment, (r, v) => r with { Environment = v }),
        JobsFileKey.Boolean("filelog", JobFieldNames.Filelog, r => r.Filelog, (r, v) => r with { Filelog = v }),
        JobsFileKey.OfCli("no-filelog", JobsFileValueType.Boolean),
        JobsFileKey.Text("filelog-stdout", JobFieldNames.FilelogStdout, r => r.FilelogStdout, (r, v) => r with { FilelogStdout = v }),
        JobsFileKey.Text("filelog-stderr", JobFieldNames.FilelogStderr, r => r.FilelogStderr, (r, v) => r with { FilelogStderr = v }),
        JobsFileKey.Boolean("merge-output", JobFieldNames.MergeOutput, r => r.MergeOutput, (r, v) => r with { MergeOutput = v }),
        JobsFileKey.OfCli("mount", JobsFileValueType.Text),
    ];

    // Spellings people reach for (the API's, the CLI's flags, Toolforge's envvars), and the key they mean.
    // (Toolforge's own keys are all in the list above.)
    private static readonly Dictionary<string, string> Likely = new(StringComparer.Ordinal)
    {
        ["environment"] = "env",
        ["envvars"] = "env",
        ["variables"] = "env",
        ["working-directory"] = "workdir",
        ["workingdirectory"] = "workdir",
        ["cwd"] = "workdir",
        ["memory"] = "mem",
        ["retries"] = "retry",
        ["tz"] = "timezone",
        ["cron"] = "schedule",
        ["email"] = "emails",
    };

    /// <summary>The key spelled <paramref name="key"/>, if there is one.</summary>
    public static JobsFileKey? Find(string key) => All.FirstOrDefault(k => k.Key == key);

    /// <summary>The key that sets the API field <paramref name="field"/>, as written in the file (<c>filelogStdout</c> → <c>filelog-stdout</c>).</summary>
    public static string KeyOf(string field) => All.FirstOrDefault(k => k.Field == field)?.Key ?? field;

    /// <summary>How a hint tells the user to write a setting in the file: <c>continuous</c> → <c>continuous: true</c>.</summary>
    public static string Spell(string field) => field switch
    {
        "continuous" => "continuous: true",
        JobFieldNames.Filelog => "filelog: false",
        JobFieldNames.MergeOutput => "merge-output: true",
        _ => KeyOf(field),
    };

    /// <summary>The key <paramref name="key"/> probably meant, for "did you mean": a different case or '_' for '-', a likely synonym, or one or two letters off.</summary>
    public static string? Suggest(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var normal = key.Trim().ToLowerInvariant().Replace('_', '-');
        if (Find(normal) is { } exact)
        {
            return exact.Key;
        }

        if (Likely.TryGetValue(normal, out var likely))
        {
            return likely;
        }

        var compact = normal.Replace("-", "", StringComparison.Ordinal);
        var byLetters = All.FirstOrDefault(k => k.Key.Replace("-", "", StringComparison.Ordinal) == compact);
        if (byLetters is not null)
        {
            return byLetters.Key;
        }

        return NearestNames.Closest(normal, All.Select(k => k.Key));
    }
}
