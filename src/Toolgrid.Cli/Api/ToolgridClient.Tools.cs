using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Api;

// The API, continued: the caller, the API's status, tools and their maintainers and limits.
public sealed partial class ToolgridClient
{
    public Task<WhoAmIView> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/whoami", null, CliJsonContext.Default.WhoAmIView, cancellationToken);

    public Task<StatusView> GetStatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/status", null, CliJsonContext.Default.StatusView, cancellationToken);

    /// <summary>The active tools; with <paramref name="all"/>, deleted ones too.</summary>
    public Task<IReadOnlyList<ToolView>> ListToolsAsync(bool all = false, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, all ? "api/v1/tools?all=true" : "api/v1/tools", null, CliJsonContext.Default.IReadOnlyListToolView, cancellationToken);

    public Task<ToolView> CreateToolAsync(ToolCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/tools", Body(request, CliJsonContext.Default.ToolCreateRequest), CliJsonContext.Default.ToolView, cancellationToken);

    public Task<ToolView> GetToolAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ToolPath(tool), null, CliJsonContext.Default.ToolView, cancellationToken);

    /// <summary>Disables the tool: its runs are stopped; its files are kept.</summary>
    public Task<ToolView> DeleteToolAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ToolPath(tool), null, CliJsonContext.Default.ToolView, cancellationToken);

    public Task<IReadOnlyList<MaintainerView>> ListMaintainersAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ToolPath(tool) + "/maintainers", null, CliJsonContext.Default.IReadOnlyListMaintainerView, cancellationToken);

    public Task<IReadOnlyList<MaintainerView>> AddMaintainerAsync(string tool, string user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, MaintainerPath(tool, user), null, CliJsonContext.Default.IReadOnlyListMaintainerView, cancellationToken);

    public Task<IReadOnlyList<MaintainerView>> RemoveMaintainerAsync(string tool, string user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, MaintainerPath(tool, user), null, CliJsonContext.Default.IReadOnlyListMaintainerView, cancellationToken);

    /// <summary>Admins only: raises or resets the tool's ceilings.</summary>
    public Task<ToolView> UpdateToolAsync(string tool, ToolUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, ToolPath(tool), Body(update, CliJsonContext.Default.ToolUpdate), CliJsonContext.Default.ToolView, cancellationToken);

    public Task<LimitsView> UpdateLimitsAsync(string tool, ToolLimitsUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, ToolPath(tool) + "/limits", Body(update, CliJsonContext.Default.ToolLimitsUpdate), CliJsonContext.Default.LimitsView, cancellationToken);

    internal static string MaintainerPath(string tool, string user) => ToolPath(tool) + "/maintainers/" + Uri.EscapeDataString(user);
}
