using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Toolgrid.Cli.Api;

/// <summary>
/// How <see cref="ToolgridClient"/> talks to the API: the connection (the Unix socket, or TCP),
/// each request's deadline on the injected clock, sending a creating request again with its
/// idempotency key when no answer came, and what a failure becomes.
/// </summary>
/// <remarks>
/// An API that cannot be reached, a connection lost mid-answer or an answer that does not come in
/// time become an <see cref="ApiUnreachableException"/>; a refusal a <see cref="ToolgridApiException"/>
/// (<see cref="ApiRefusal"/>); an answer that is not the JSON asked for a <see cref="ToolgridApiException"/>
/// that says so.
/// </remarks>
internal sealed class ApiTransport(HttpClient http, ApiAddress address, TimeProvider time, bool ownsHttp) : IDisposable
{
    public ApiAddress Address { get; } = address;

    public TimeProvider Time { get; } = time;

    /// <summary>The client's own requests go to this root; its headers are every request's.</summary>
    public HttpClient Http { get; } = http;

    /// <inheritdoc cref="ToolgridClient.RequestTimeout"/>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <inheritdoc cref="ToolgridClient.IdempotencyKeys"/>
    public Func<string>? IdempotencyKeys { get; set; }

    /// <inheritdoc cref="ToolgridClient.RetryDelays"/>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    /// <summary>The transport for <paramref name="address"/>: a connection to the Unix socket, or ordinary TCP.</summary>
    public static HttpMessageHandler CreateHandler(ApiAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (address.SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }

    /// <summary>A request body: serialized once, so that a retry sends the very same bytes.</summary>
    public static byte[] Body<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    public Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(method, path, body, type, RequestTimeout, cancellationToken);

    public async Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> type, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = method == HttpMethod.Post || method == HttpMethod.Put ? IdempotencyKeys?.Invoke() : null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(method, path, body, key, type, timeout, cancellationToken);
            }
            catch (Exception e) when (key is not null && attempt < RetryDelays.Count && IsWorthRetrying(e))
            {
                // Same request, same key: the API answers what it answered the first time, if it got it.
                await Task.Delay(RetryDelays[attempt], Time, cancellationToken);
            }
        }
    }

    /// <summary>Sends, turning transport failures into <see cref="ApiUnreachableException"/>.</summary>
    public async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var response = await Http.SendAsync(request, completion, linked.Token);
            try
            {
                if (completion == HttpCompletionOption.ResponseContentRead || !response.IsSuccessStatusCode)
                {
                    // Buffered already, or an error body (small): read within the deadline.
                    await response.Content.LoadIntoBufferAsync(linked.Token);
                }
            }
            catch
            {
                response.Dispose();
                throw;
            }

            return response;
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException(Address, FormattableString.Invariant($"the API at {Address} did not answer within {timeout.TotalSeconds:0} s."), e);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException(Address, Unreachable(e), e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException(Address, $"the connection to the API at {Address} was lost: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        if (ownsHttp)
        {
            Http.Dispose();
        }
    }

    /// <summary>No answer came (so whether it was done is unknown), or the first try is still being answered.</summary>
    private static bool IsWorthRetrying(Exception e) =>
        e is ApiUnreachableException
        || (e is ToolgridApiException { StatusCode: System.Net.HttpStatusCode.Conflict } refused && refused.ErrorCode == "idempotency-key-in-progress");

    private async Task<T> SendOnceAsync<T>(HttpMethod method, string path, byte[]? body, string? key, JsonTypeInfo<T> type, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout, cancellationToken);
        await ApiRefusal.ThrowIfRefusedAsync(response, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw Unreadable(response, null);
        }
        catch (JsonException e)
        {
            throw Unreadable(response, e);
        }
        catch (NotSupportedException e)
        {
            // ReadFromJsonAsync refuses a content type that is not JSON.
            throw Unreadable(response, e);
        }
    }

    private string Unreachable(HttpRequestException e)
    {
        var socketError = (e.InnerException as SocketException)?.SocketErrorCode;
        if (e.HttpRequestError != HttpRequestError.ConnectionError && e.HttpRequestError != HttpRequestError.NameResolutionError)
        {
            return $"the connection to the API at {Address} was lost: {e.Message}";
        }

        if (Address.SocketPath is { } path)
        {
            if (!File.Exists(path))
            {
                return $"there is no API socket at {path}: toolgridd does not seem to run here.";
            }

            return socketError == SocketError.AccessDenied
                ? $"not allowed to connect to the API socket {path}."
                : $"toolgridd does not answer on {path}; is it running?";
        }

        return e.HttpRequestError == HttpRequestError.NameResolutionError
            ? $"cannot resolve the API's host {Address.HttpBase!.Host}."
            : $"cannot connect to the API at {Address}: {e.InnerException?.Message ?? e.Message}";
    }

    private ToolgridApiException Unreadable(HttpResponseMessage response, Exception? inner) =>
        new($"the answer to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} could not be read: is {Address} really toolgridd's API?", inner);
}
