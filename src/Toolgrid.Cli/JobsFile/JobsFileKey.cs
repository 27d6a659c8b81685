using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.JobsFile;

/// <summary>
/// One key of a <c>jobs.yaml</c> entry: how it is spelled in the file, the API field it sets, what
/// kind of value it takes, and where that value is in a <see cref="JobRunRequest"/> (so that
/// <see cref="JobsFileReader"/> and <see cref="JobsFileWriter"/> need no list of fields of their own).
/// </summary>
internal sealed class JobsFileKey
{
    private readonly Func<JobRunRequest, object?> _get;
    private readonly Func<JobRunRequest, object?, JobRunRequest> _set;

    private JobsFileKey(string key, string? field, JobsFileValueType type, Func<JobRunRequest, object?> get, Func<JobRunRequest, object?, JobRunRequest> set)
    {
        Key = key;
        Field = field;
        Type = type;
        _get = get;
        _set = set;
    }

    /// <summary>The key in the file, e.g. <c>filelog-stdout</c>.</summary>
    public string Key { get; }

    /// <summary>The field of <see cref="JobRunRequest"/> it sets (API spelling, <see cref="JobFieldNames"/>), or null for keys the CLI handles itself (<c>image</c>, <c>wait</c>, <c>no-filelog</c>, <c>mount</c>).</summary>
    public string? Field { get; }

    /// <summary>The kind of value.</summary>
    public JobsFileValueType Type { get; }

    /// <summary>The value <paramref name="request"/> gives the key (a string, bool, int or the variables), or null.</summary>
    public object? Get(JobRunRequest request) => _get(request);

    /// <summary><paramref name="request"/> with the key's field set to <paramref name="value"/>, a value of the key's <see cref="Type"/> (null when it did not read).</summary>
    public JobRunRequest Set(JobRunRequest request, object? value) => _set(request, value);

    public static JobsFileKey Text(string key, string field, Func<JobRunRequest, string?> get, Func<JobRunRequest, string?, JobRunRequest> set) =>
        Of(key, field, JobsFileValueType.Text, get, set);

    public static JobsFileKey Boolean(string key, string field, Func<JobRunRequest, bool?> get, Func<JobRunRequest, bool?, JobRunRequest> set) =>
        Of(key, field, JobsFileValueType.Boolean, get, set);

    public static JobsFileKey Number(string key, string field, Func<JobRunRequest, int?> get, Func<JobRunRequest, int?, JobRunRequest> set) =>
        Of(key, field, JobsFileValueType.Number, get, set);

    public static JobsFileKey Port(string key, string field, Func<JobRunRequest, int?> get, Func<JobRunRequest, int?, JobRunRequest> set) =>
        Of(key, field, JobsFileValueType.Port, get, set);

    public static JobsFileKey Variables(string key, string field, Func<JobRunRequest, Dictionary<string, string>?> get, Func<JobRunRequest, Dictionary<string, string>?, JobRunRequest> set) =>
        Of(key, field, JobsFileValueType.Variables, get, set);

    /// <summary>A key the CLI handles itself: it sets no field of the request, and is never written.</summary>
    public static JobsFileKey OfCli(string key, JobsFileValueType type) => new(key, null, type, _ => null, (request, _) => request);

    private static JobsFileKey Of<T>(string key, string field, JobsFileValueType type, Func<JobRunRequest, T> get, Func<JobRunRequest, T, JobRunRequest> set) =>
        new(key, field, type, request => get(request), (request, value) => set(request, (T)value!));
}
