using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Api;

// The API, continued: queues, who may use them, and the requests for them.
public sealed partial class ToolgridClient
{
    /// <summary>Every queue: its nodes, slots, state and the tools that may use it.</summary>
    public Task<IReadOnlyList<QueueView>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/queues", null, CliJsonContext.Default.IReadOnlyListQueueView, cancellationToken);

    /// <summary>A maintainer asks that a tool may use a dedicated queue.</summary>
    public Task<QueueRequestView> RequestQueueAsync(string queue, QueueRequestCreate request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, QueuePath(queue) + "/requests", Body(request, CliJsonContext.Default.QueueRequestCreate), CliJsonContext.Default.QueueRequestView, cancellationToken);

    /// <summary>Admins only: the open requests.</summary>
    public Task<IReadOnlyList<QueueRequestView>> ListQueueRequestsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/queues/requests", null, CliJsonContext.Default.IReadOnlyListQueueRequestView, cancellationToken);

    /// <summary>Admins only: lets a tool use a dedicated queue (answering its open request, if any).</summary>
    public Task<QueueGrantView> GrantQueueAsync(string queue, string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, QueueToolPath(queue, tool), null, CliJsonContext.Default.QueueGrantView, cancellationToken);

    /// <summary>Admins only: takes a dedicated queue from a tool; its jobs there ask for default from then on.</summary>
    public Task<QueueGrantView> RevokeQueueAsync(string queue, string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, QueueToolPath(queue, tool), null, CliJsonContext.Default.QueueGrantView, cancellationToken);

    /// <summary>Admins only: refuses a tool's open request for a queue, saying why.</summary>
    public Task<QueueRequestView> DenyQueueAsync(string queue, string tool, QueueDenial denial, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, QueuePath(queue) + "/requests/" + Uri.EscapeDataString(tool) + "/deny", Body(denial, CliJsonContext.Default.QueueDenial), CliJsonContext.Default.QueueRequestView, cancellationToken);

    private static string QueuePath(string queue) => "api/v1/queues/" + Uri.EscapeDataString(queue);

    private static string QueueToolPath(string queue, string tool) => QueuePath(queue) + "/tools/" + Uri.EscapeDataString(tool);
}
