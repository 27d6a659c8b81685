namespace Toolgrid.Contracts.Api;

/// <summary><c>GET /api/v1/whoami</c>: how the API sees the caller, and where it can be reached with a token.</summary>
/// <param name="User">The caller's login name (a tool's Unix user name for a tool).</param>
/// <param name="Tool">The tool the caller is, or null for a person.</param>
/// <param name="Admin">Whether the caller is an admin.</param>
/// <param name="Via"><c>peer-credentials</c> (the Unix socket) or <c>token</c>.</param>
/// <param name="Maintains">The active tools the caller maintains.</param>
/// <param name="Mode"><c>multi-user</c> or <c>single-user</c>.</param>
/// <param name="Scope">What the caller may do: <c>admin</c> on the socket, the token's scope over TCP.</param>
/// <param name="ApiUrls">The API's TCP addresses, for callers with a token; empty when it listens on none.</param>
public sealed record WhoAmIView(
    string User,
    string? Tool,
    bool Admin,
    string Via,
    IReadOnlyList<string> Maintains,
    string Mode,
    string Scope = "admin",
    IReadOnlyList<string>? ApiUrls = null);

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
    MailStatusView? Mail = null,
    IReadOnlyList<QueueView>? Queues = null);

/// <summary>A node as the API shows it.</summary>
/// <remarks>
/// <c>Memory</c> and <c>Cpu</c> are what runs' limits may add up to on the node: the host's own
/// (<c>HostMemory</c>, <c>HostCpu</c> in cores) times the overcommit its backend allows
/// (<c>MemoryOvercommit</c>, <c>CpuOvercommit</c>). The host's figures are null where the
/// backend does not know them. <c>State</c> is <c>up</c>, <c>draining</c> (drained, runs still
/// on it), <c>drained</c> (drained and empty) or <c>down</c>; <c>Drain</c> says who drained it,
/// why, and what it still waits on.
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
    double? CpuOvercommit = null,
    NodeDrainView? Drain = null);
