using System.Text.Json;
using System.Text.Json.Serialization;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Api;

/// <summary>
/// The JSON contract of the API, generated at build time: no reflection at run time, which keeps
/// the CLI's start fast (it runs from crontabs and scripts).
/// </summary>
/// <remarks>
/// Web defaults (camelCase, case-insensitive reading). Requests leave out what the user did not
/// give, so the API applies its own defaults and unknown fields are never sent.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WhoAmIView))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(ToolView))]
[JsonSerializable(typeof(IReadOnlyList<ToolView>))]
[JsonSerializable(typeof(ToolCreateRequest))]
[JsonSerializable(typeof(ToolLimitsUpdate))]
[JsonSerializable(typeof(ToolUpdate))]
[JsonSerializable(typeof(LimitsView))]
[JsonSerializable(typeof(IReadOnlyList<MaintainerView>))]
[JsonSerializable(typeof(JobRunRequest))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(IReadOnlyList<JobView>))]
[JsonSerializable(typeof(JobsApplyRequest))]
[JsonSerializable(typeof(JobSubmitRequest))]
[JsonSerializable(typeof(JobsApplyResult))]
[JsonSerializable(typeof(WebserviceStartRequest))]
[JsonSerializable(typeof(WebserviceView))]
[JsonSerializable(typeof(TokenCreateRequest))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(IReadOnlyList<TokenView>))]
[JsonSerializable(typeof(UserLimitsUpdate))]
[JsonSerializable(typeof(UserLimitsView))]
[JsonSerializable(typeof(IReadOnlyList<QueueView>))]
[JsonSerializable(typeof(QueueRequestCreate))]
[JsonSerializable(typeof(QueueDenial))]
[JsonSerializable(typeof(QueueRequestView))]
[JsonSerializable(typeof(IReadOnlyList<QueueRequestView>))]
[JsonSerializable(typeof(QueueGrantView))]
[JsonSerializable(typeof(NodeEntryView))]
[JsonSerializable(typeof(IReadOnlyList<NodeEntryView>))]
[JsonSerializable(typeof(NodeDrainRequest))]
[JsonSerializable(typeof(ApiProblem))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    private static CliJsonContext? _output;

    /// <summary>For <c>--json</c>: indented, and every member written, nulls included, so scripts see the whole shape.</summary>
    public static CliJsonContext Output => _output ??= new CliJsonContext(new JsonSerializerOptions(Default.Options)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    });
}
