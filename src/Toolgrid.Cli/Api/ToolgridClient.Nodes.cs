using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Api;

public sealed partial class ToolgridClient
{
    /// <summary>Every node, with its state, runs and drain.</summary>
    public Task<IReadOnlyList<NodeEntryView>> ListNodesAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/nodes", null, CliJsonContext.Default.IReadOnlyListNodeEntryView, cancellationToken);

    /// <summary>Drains a node (admins only).</summary>
    public Task<NodeEntryView> DrainNodeAsync(string node, NodeDrainRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, NodePath(node) + "/drain", Body(request, CliJsonContext.Default.NodeDrainRequest), CliJsonContext.Default.NodeEntryView, cancellationToken);

    /// <summary>Lifts a node's drain (admins only).</summary>
    public Task<NodeEntryView> ResumeNodeAsync(string node, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, NodePath(node) + "/resume", null, CliJsonContext.Default.NodeEntryView, cancellationToken);

    private static string NodePath(string node) => "api/v1/nodes/" + Uri.EscapeDataString(node);
}
