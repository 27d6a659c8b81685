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
        new("name", "name", JobsFileValueType.Text),
        new("command", "command", JobsFileValueType.Text),
        new("image", null, JobsFileValueType.Text),
        new("continuous", "continuous", JobsFileValueType.Boolean),
        new("wait", null, JobsFileValueType.Wait),
        new("restart", "restart", JobsFileValueType.Text),
        new("replicas", "replicas", JobsFileValueType.Number),
        new("port", "port", JobsFileValueType.Port),
        new("health-check-script", "healthCheckScript", JobsFileValueType.Text),
        new("health-check-http", "healthCheckHttp", JobsFileValueType.Text),
        new("schedule", "schedule", JobsFileValueType.Text),
        new("timezone", "timezone", JobsFileValueType.Text),
        new("concurrency", "concurrency", JobsFileValueType.Text),
        new("catch-up", "catchUp", JobsFileValueType.Text),
        new("timeout", "timeout", JobsFileValueType.Text),
        new("mem", "mem", JobsFileValueType.Text),
        new("cpu", "cpu", JobsFileValueType.Text),
        new("retry", "retry", JobsFileValueType.Number),
        new("emails", "emails", JobsFileValueType.Text),
        new("queue", "queue", JobsFileValueType.Text),
        new("grace-period", "gracePeriod", JobsFileValueType.Number),
        new("workdir", "workingDirectory", JobsFileValueType.Text),
        new("umask", "umask", JobsFileValueType.Text),
        new("env", "environment", JobsFileValueType.Variables),
        new("filelog", "filelog", JobsFileValueType.Boolean),
        new("no-filelog", null, JobsFileValueType.Boolean),
        new("filelog-stdout", "filelogStdout", JobsFileValueType.Text),
        new("filelog-stderr", "filelogStderr", JobsFileValueType.Text),
        new("merge-output", "mergeOutput", JobsFileValueType.Boolean),
        new("mount", null, JobsFileValueType.Text),
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
        "filelog" => "filelog: false",
        "mergeOutput" => "merge-output: true",
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
