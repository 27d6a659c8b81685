using System.Net.Sockets;

namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// Tells, behind the engine reads, which execution hosts' execds do not take a connection on
/// their port: a node whose execd died, or that died with it, is seen at the next probe, not only
/// once the qmaster marks it unknown (after <c>max_unheard</c>, and only on its own 15 s timer).
/// </summary>
/// <remarks>
/// Each probe is a TCP connect to <c>HOST:SGE_EXECD_PORT</c>, closed at once (no byte of the
/// execd's protocol is sent), to every host asked about at the same time, within
/// <paramref name="timeout"/>; a host whose connect is refused, times out or whose name does not
/// resolve is silent. A probe runs beside the reads: <see cref="Silent"/> is what the last probe
/// that finished found, and <see cref="Probe"/> starts the next one only when that one is done, so
/// that a host that swallows connections never holds up a read. A refused connect (nothing listens
/// on the port: the execd died, its host did not) makes a host silent at once; a connect that times
/// out only when the probe before timed out too (<see cref="Next"/>), since a login host too busy
/// to see a connect within the timeout would otherwise take a healthy execd for dead. Only a host
/// whose execd answered an earlier probe can be silent: where the login host may not reach the execds' port at all (a
/// firewall that lets only the qmaster through), the probe says nothing and the qmaster's word
/// alone counts, rather than every node taken for dead.
/// </remarks>
internal sealed class ExecdProbe(int port, TimeSpan timeout, TimeProvider time)
{
    /// <summary>How often the hosts of the cell whose execd never answered are probed with the others (a host behind a firewall stays unheard).</summary>
    public static readonly TimeSpan UnheardEvery = TimeSpan.FromSeconds(30);

    private readonly HashSet<string> _heard = new(StringComparer.Ordinal);
    private Task<ProbeResult>? _running;
    private IReadOnlySet<string> _timedOut = new HashSet<string>(StringComparer.Ordinal);
    private DateTimeOffset? _unheardProbedAt;

    /// <summary>The hosts the last finished probe found silent, of those whose execd answered before.</summary>
    public IReadOnlySet<string> Silent { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The hosts whose execd answered a probe at least once.</summary>
    public IReadOnlySet<string> Heard => _heard;

    /// <summary>
    /// Takes the result of the probe under way if it finished, and starts the next one of
    /// <paramref name="hosts"/> if none is under way; with them, every <see cref="UnheardEvery"/>,
    /// the hosts of <paramref name="cell"/> not heard yet, so that a host is heard before its first
    /// job runs, and a node that dies just after it took the job is found silent.
    /// </summary>
    public void Probe(IReadOnlyCollection<string> hosts, IEnumerable<string>? cell = null)
    {
        if (_running is { IsCompleted: true } done)
        {
            // A probe that failed in an unforeseen way tells nothing: the last answer stands.
            if (done.IsCompletedSuccessfully)
            {
                _heard.UnionWith(done.Result.Answering);
                Silent = Next(done.Result, _timedOut, Silent, _heard);
                _timedOut = done.Result.TimedOut;
            }

            _running = null;
        }

        if (_running is not null)
        {
            return;
        }

        var asked = hosts.ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        if (cell is not null && (_unheardProbedAt is not { } last || now - last >= UnheardEvery))
        {
            _unheardProbedAt = now;
            asked.UnionWith(cell.Where(host => !_heard.Contains(host)));
        }

        if (asked.Count > 0)
        {
            _running = SplitAsync(asked);
        }
        else
        {
            Silent = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// The hosts silent after a probe found <paramref name="result"/>: those refused, and those
    /// that timed out in it and either timed out in the probe before (<paramref name="timedOutBefore"/>)
    /// or were silent already (<paramref name="silentBefore"/>); of those <paramref name="heard"/>.
    /// </summary>
    public static IReadOnlySet<string> Next(ProbeResult result, IReadOnlySet<string> timedOutBefore, IReadOnlySet<string> silentBefore, IReadOnlySet<string> heard)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(timedOutBefore);
        ArgumentNullException.ThrowIfNull(silentBefore);
        ArgumentNullException.ThrowIfNull(heard);
        return result.Refused
            .Concat(result.TimedOut.Where(host => timedOutBefore.Contains(host) || silentBefore.Contains(host)))
            .Where(heard.Contains)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The hosts of <paramref name="hosts"/> whose execd does not take a connection within the timeout.</summary>
    public async Task<IReadOnlySet<string>> SilentAmongAsync(IEnumerable<string> hosts)
    {
        var result = await SplitAsync(hosts);
        return result.Refused.Concat(result.TimedOut).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<ProbeResult> SplitAsync(IEnumerable<string> hosts)
    {
        var probes = hosts.Distinct(StringComparer.Ordinal).Select(async host => (host, answer: await AnswerAsync(host))).ToList();
        var results = await Task.WhenAll(probes);
        IReadOnlySet<string> Of(ExecdAnswer answer) => results.Where(r => r.answer == answer).Select(r => r.host).ToHashSet(StringComparer.Ordinal);
        return new ProbeResult(Of(ExecdAnswer.Answered), Of(ExecdAnswer.Refused), Of(ExecdAnswer.TimedOut));
    }

    private async Task<ExecdAnswer> AnswerAsync(string host)
    {
        using var limit = new CancellationTokenSource(timeout, time);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, limit.Token);
            return ExecdAnswer.Answered;
        }
        catch (SocketException)
        {
            // Refused, unreachable, or a name that does not resolve: the network's answer, not a wait.
            return ExecdAnswer.Refused;
        }
        catch (OperationCanceledException)
        {
            return ExecdAnswer.TimedOut;
        }
    }

    private enum ExecdAnswer
    {
        Answered,
        Refused,
        TimedOut,
    }
}

/// <summary>What one probe found: the hosts whose execd took the connection, refused it, or let it time out.</summary>
internal sealed record ProbeResult(IReadOnlySet<string> Answering, IReadOnlySet<string> Refused, IReadOnlySet<string> TimedOut);
