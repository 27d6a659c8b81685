using System.Globalization;
using System.Net.Sockets;

namespace Toolgrid.Core.Health;

/// <summary>HTTP health checks: <c>GET http://HOST:PORT/PATH</c>, 2xx or 3xx passes (redirects are not followed).</summary>
/// <remarks>
/// One client for every run: connections are pooled briefly, no proxy, no cookies. The local
/// backend checks on its node (at 127.0.0.1 unless the run was told to listen elsewhere); the
/// grid backends' runs are checked from the login host at their node (see docs/architecture.md).
/// </remarks>
public sealed class HttpCheck : IDisposable
{
    private readonly HttpClient _client = new(
        new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 2,
        })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly TimeProvider _timeProvider;

    public HttpCheck(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Checks <paramref name="path"/> at <paramref name="address"/>.</summary>
    public Task<CheckResult> CheckAsync(System.Net.IPAddress address, int port, string path, TimeSpan timeout, CancellationToken cancellationToken) =>
        CheckAsync(new System.Net.IPEndPoint(address, port).ToString(), path, timeout, cancellationToken);

    /// <summary>Checks <paramref name="path"/> at <paramref name="host"/> (a name or an address), port <paramref name="port"/>.</summary>
    public Task<CheckResult> CheckAsync(string host, int port, string path, TimeSpan timeout, CancellationToken cancellationToken) =>
        CheckAsync(Authority(host, port), path, timeout, cancellationToken);

    /// <summary>
    /// <c>HOST:PORT</c> for a URL: an IPv6 address in brackets (<c>[::1]:8080</c>), a name or an
    /// IPv4 address as it is.
    /// </summary>
    public static string Authority(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        return System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? new System.Net.IPEndPoint(address, port).ToString()
            : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
    }

    private async Task<CheckResult> CheckAsync(string authority, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var url = $"http://{authority}{path}";
        using var limit = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 400 ? CheckResult.Pass : CheckResult.Fail($"GET {url}: {status.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return CheckResult.Fail($"GET {url}: no answer within {CheckResult.Describe(timeout)}");
        }
        catch (HttpRequestException e)
        {
            return CheckResult.Fail($"GET {url}: {Describe(e)}");
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException socket => socket.Message,
        IOException io => io.Message,
        _ when e.StatusCode is { } status => ((int)status).ToString(CultureInfo.InvariantCulture),
        _ => e.Message,
    };
}
