using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;

namespace Toolgrid.Cli.Api;

/// <summary>
/// Toolgrid's REST API (<c>/api/v1</c>, docs/api.md), one typed method per endpoint, in a file
/// per area (<c>ToolgridClient.Jobs.cs</c>, …). Shared by the CLI, the end-to-end tests and the
/// benchmarks.
/// </summary>
/// <remarks>
/// A refusal becomes a <see cref="ToolgridApiException"/> carrying the problem details; an API
/// that cannot be reached, a connection lost mid-answer or an answer that does not come in time
/// become an <see cref="ApiUnreachableException"/> (<see cref="ApiTransport"/>). Timeouts are
/// measured with the <see cref="TimeProvider"/> given, never with the HTTP client's own clock.
/// <para>
/// With <see cref="IdempotencyKeys"/> set, a creating request (POST, PUT) carries an
/// <c>Idempotency-Key</c> and is sent again, with the same key, when no answer came (the
/// connection was refused or lost, or the answer did not come in time): the API then answers
/// the first request's answer rather than doing it twice (docs/api.md).
/// </para>
/// </remarks>
public sealed partial class ToolgridClient : IDisposable
{
    private readonly ApiTransport _transport;

    /// <summary>Uses <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> is the API's root (the part before <c>api/v1/</c>).</summary>
    public ToolgridClient(HttpClient http, ApiAddress address, TimeProvider? timeProvider = null)
        : this(http, address, timeProvider, ownsHttp: false)
    {
    }

    private ToolgridClient(HttpClient http, ApiAddress address, TimeProvider? timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(address);
        _transport = new ApiTransport(http, address, timeProvider ?? TimeProvider.System, ownsHttp);
    }

    public ApiAddress Address => _transport.Address;

    /// <summary>How long an ordinary request may take before the API counts as unreachable.</summary>
    public TimeSpan RequestTimeout
    {
        get => _transport.RequestTimeout;
        set => _transport.RequestTimeout = value;
    }

    /// <summary>Gives the <c>Idempotency-Key</c> of each creating request, a new one each time; null sends none and never sends a request twice.</summary>
    public Func<string>? IdempotencyKeys
    {
        get => _transport.IdempotencyKeys;
        set => _transport.IdempotencyKeys = value;
    }

    /// <summary>How long to wait (on the client's clock) before each new try of a creating request that got no answer: one more try than delays.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays
    {
        get => _transport.RetryDelays;
        set => _transport.RetryDelays = value;
    }

    /// <summary>
    /// A client for <paramref name="address"/>. <paramref name="token"/> is sent as a bearer token
    /// over http(s) only: on the Unix socket the kernel says who is calling.
    /// </summary>
    public static ToolgridClient Create(ApiAddress address, string? token = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var http = new HttpClient(CreateHandler(address), disposeHandler: true)
        {
            BaseAddress = address.RequestBase,

            // Timeouts are per request, on the injected clock (long polls and log streams differ).
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("toolgrid", "1"));
        if (!address.IsUnixSocket && !string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return new ToolgridClient(http, address, timeProvider, ownsHttp: true);
    }

    /// <inheritdoc cref="ApiTransport.CreateHandler"/>
    public static HttpMessageHandler CreateHandler(ApiAddress address) => ApiTransport.CreateHandler(address);

    public void Dispose() => _transport.Dispose();

    internal static string ToolPath(string tool) => "api/v1/tools/" + Uri.EscapeDataString(tool);

    private static byte[] Body<T>(T value, JsonTypeInfo<T> type) => ApiTransport.Body(value, type);

    private Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _transport.SendAsync(method, path, body, type, cancellationToken);

    private Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> type, TimeSpan timeout, CancellationToken cancellationToken) =>
        _transport.SendAsync(method, path, body, type, timeout, cancellationToken);
}
