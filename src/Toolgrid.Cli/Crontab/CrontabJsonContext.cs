using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolgrid.Cli.Crontab;

/// <summary>
/// <c>crontab import --json</c>'s report, generated at build time as the API's JSON is
/// (<c>CliJsonContext</c>), here so that the API's folder knows nothing of crontabs.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CrontabImportReport))]
internal sealed partial class CrontabJsonContext : JsonSerializerContext
{
    private static CrontabJsonContext? _output;

    /// <summary>As every <c>--json</c>: indented, and every member written, nulls included.</summary>
    public static CrontabJsonContext Output => _output ??= new CrontabJsonContext(new JsonSerializerOptions(Default.Options)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    });
}
