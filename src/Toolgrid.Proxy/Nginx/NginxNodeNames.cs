using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Toolgrid.Proxy.Nginx;

/// <summary>
/// The addresses of the node names nginx's upstreams would name, looked up by toolgridd rather
/// than by nginx: nginx resolves a name when it loads its configuration, and one name it cannot
/// resolve makes it refuse the whole configuration, every tool's routes with it. A name that does
/// not resolve leaves only its own replicas out (<see cref="NginxConfig.Render"/>).
/// </summary>
/// <remarks>
/// <para>Each lookup is given <see cref="LookupTimeout"/>; an answer is kept for
/// <see cref="Fresh"/>, a failure for <see cref="RetryAfter"/>, then asked again. A name that
/// resolved before and now cannot be looked up for a passing reason (a timeout, a resolver that
/// answers "try again") keeps its last addresses; one the resolver says does not exist is left
/// out. Only <see cref="RefreshAsync"/> looks names up, off the thread that reads the routes.</para>
/// <para>A name that stops resolving is said once in the log, as a warning, and once again when it
/// resolves again: not at every configuration written.</para>
/// </remarks>
public sealed partial class NginxNodeNames(TimeProvider time, ILogger logger, Func<string, CancellationToken, Task<IPAddress[]>>? lookup = null)
{
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _lookup = lookup ?? Dns.GetHostAddressesAsync;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The names that resolve, with their addresses (those nginx can be given), as last looked up.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> Resolved
    {
        get
        {
            lock (_lock)
            {
                return _entries
                    .Where(e => e.Value.Addresses.Count > 0)
                    .ToDictionary(e => e.Key, e => e.Value.Addresses, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>The names looked up that do not resolve now.</summary>
    public IReadOnlyList<string> Unresolved
    {
        get
        {
            lock (_lock)
            {
                return _entries.Where(e => e.Value.Failing).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>The names of the replicas' addresses that are not IP addresses already.</summary>
    public static IReadOnlyList<string> NamesIn(Routing.ProxyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Webservices.Values
            .SelectMany(w => w.Replicas)
            .Select(r => r.Address)
            .Where(a => !IPAddress.TryParse(a, out _) && NginxConfig.IsSafeAddress(a))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Whether any of <paramref name="names"/> was never looked up or is due to be looked up again.</summary>
    public bool AnyDue(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        lock (_lock)
        {
            return names.Any(IsDue);
        }
    }

    /// <summary>Looks up those of <paramref name="names"/> that are due, all at once, each for at most <see cref="LookupTimeout"/>; returns whether any name's addresses changed.</summary>
    public async Task<bool> RefreshAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        List<string> due;
        lock (_lock)
        {
            due = names.Where(IsDue).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        var answers = await Task.WhenAll(due.Select(name => LookUpAsync(name, cancellationToken)));
        var changed = false;
        lock (_lock)
        {
            foreach (var (name, addresses, error, lasting) in answers)
            {
                changed |= Record(name, addresses, error, lasting);
            }
        }

        return changed;
    }

    private bool IsDue(string name) =>
        !_entries.TryGetValue(name, out var entry) || time.GetElapsedTime(entry.At) >= (entry.Failing ? RetryAfter : Fresh);

    private async Task<(string Name, IReadOnlyList<IPAddress> Addresses, string? Error, bool Lasting)> LookUpAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await _lookup(name, cancellationToken).WaitAsync(LookupTimeout, time, cancellationToken);

            // nginx takes no zone (fe80::1%eth0): a link-local address with one is of no use to it.
            var usable = found
                .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && a.ScopeId == 0))
                .Distinct()
                .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
                .ThenBy(a => a.ToString(), StringComparer.Ordinal)
                .ToList();
            return usable.Count > 0 ? (name, usable, null, false) : (name, [], "it has no IPv4 or IPv6 address nginx can use", true);
        }
        catch (TimeoutException)
        {
            return (name, [], $"no answer within {LookupTimeout.TotalSeconds} s", false);
        }
        catch (SocketException e)
        {
            return (name, [], e.Message, e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData);
        }
        catch (ArgumentException e)
        {
            return (name, [], e.Message, true);
        }
    }

    /// <summary>Keeps an answer; says when a name stops or starts resolving. Whether the addresses nginx gets changed.</summary>
    private bool Record(string name, IReadOnlyList<IPAddress> addresses, string? error, bool lasting)
    {
        _entries.TryGetValue(name, out var before);
        var previous = before?.Addresses ?? [];
        if (error is null)
        {
            _entries[name] = new Entry(addresses, time.GetTimestamp(), false);
            if (before is { Failing: true })
            {
                var now = string.Join(", ", addresses);
                LogResolvedAgain(name, now);
            }

            return !previous.SequenceEqual(addresses);
        }

        // A passing failure keeps what the name resolved to last; one that lasts leaves it out.
        var kept = lasting ? [] : previous;
        _entries[name] = new Entry(kept, time.GetTimestamp(), true);
        if (before is not { Failing: true })
        {
            if (kept.Count > 0)
            {
                var last = string.Join(", ", kept);
                LogStillUsing(name, error, last);
            }
            else
            {
                LogUnresolved(name, error);
            }
        }

        return !previous.SequenceEqual(kept);
    }

    [LoggerMessage(EventId = 5407, Level = LogLevel.Warning, Message = "Proxy: the node name {Name} does not resolve ({Error}): nginx leaves its replicas out (their tools are served by their other replicas, or answered as having none) until it does; looked up again every few seconds")]
    private partial void LogUnresolved(string name, string error);

    [LoggerMessage(EventId = 5408, Level = LogLevel.Warning, Message = "Proxy: the node name {Name} could not be looked up again ({Error}); nginx keeps its last addresses {Addresses}")]
    private partial void LogStillUsing(string name, string error, string addresses);

    [LoggerMessage(EventId = 5409, Level = LogLevel.Information, Message = "Proxy: the node name {Name} resolves again ({Addresses}): nginx gets its replicas back")]
    private partial void LogResolvedAgain(string name, string addresses);

    private sealed record Entry(IReadOnlyList<IPAddress> Addresses, long At, bool Failing);
}
