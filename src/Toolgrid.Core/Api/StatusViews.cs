namespace Toolgrid.Core.Api;

/// <summary><c>GET /api/v1/whoami</c>: how the API sees the caller.</summary>
public sealed record WhoAmIView(string User, string? Tool, bool Admin, string Via, IReadOnlyList<string> Maintains, string Mode);

/// <summary><c>GET /api/v1/status</c>: the platform's state at a glance.</summary>
/// <remarks><c>Mail</c>, the mail outbox (queued and failed mails, the last error), is shown to admins only: null for others.</remarks>
public sealed record StatusView(
    string Version,
    string Mode,
    string ModeDetail,
    IReadOnlyList<string> Roles,
    string Backend,
    string DataRoot,
    string Store,
    IReadOnlyList<NodeView> Nodes,
    int Tools,
    int Jobs,
    IReadOnlyDictionary<string, int> Runs,
    IReadOnlyList<string> Warnings,
    Notifications.MailStatusView? Mail = null);

/// <summary>A node as the API shows it.</summary>
/// <remarks>
/// <c>Memory</c> and <c>Cpu</c> are what runs' limits may add up to on the node: the host's own
/// (<c>HostMemory</c>, <c>HostCpu</c> in cores) times the overcommit its backend allows
/// (<c>MemoryOvercommit</c>, <c>CpuOvercommit</c>). The host's figures are null where the
/// backend does not know them.
/// </remarks>
public sealed record NodeView(
    string Name,
    string State,
    IReadOnlyList<string> Queues,
    string Memory,
    string Cpu,
    int Slots,
    int Runs,
    DateTimeOffset? LastSeenAt,
    string? HostMemory = null,
    string? HostCpu = null,
    double? MemoryOvercommit = null,
    double? CpuOvercommit = null);
