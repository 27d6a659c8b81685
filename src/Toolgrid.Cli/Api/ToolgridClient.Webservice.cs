using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Api;

// The API, continued: a tool's web service.
public sealed partial class ToolgridClient
{
    /// <summary>The tool's web service: its state in words, its addresses and its replicas.</summary>
    public Task<WebserviceView> GetWebserviceAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, WebservicePath(tool), null, CliJsonContext.Default.WebserviceView, cancellationToken);

    /// <summary>Starts the tool's web service, or changes the one it has.</summary>
    public Task<WebserviceView> StartWebserviceAsync(string tool, WebserviceStartRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, WebservicePath(tool), Body(request, CliJsonContext.Default.WebserviceStartRequest), CliJsonContext.Default.WebserviceView, cancellationToken);

    /// <summary>Stops the tool's web service: its replicas leave the proxy and are stopped.</summary>
    public Task<WebserviceView> StopWebserviceAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, WebservicePath(tool), null, CliJsonContext.Default.WebserviceView, cancellationToken);

    /// <summary>Replaces the web service's replicas, one at a time.</summary>
    public Task<WebserviceView> RestartWebserviceAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, WebservicePath(tool) + "/restart", null, CliJsonContext.Default.WebserviceView, cancellationToken);

    internal static string WebservicePath(string tool) => ToolPath(tool) + "/webservice";
}
