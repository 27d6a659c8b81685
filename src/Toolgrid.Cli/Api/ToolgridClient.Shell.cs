namespace Toolgrid.Cli.Api;

// The API, continued: WebSockets on the client's connection (the shell of jobs shell).
public sealed partial class ToolgridClient
{
    /// <summary>
    /// Opens a WebSocket to <paramref name="pathAndQuery"/> (relative to the API's root, e.g. the
    /// shell endpoint), on this client's connection (the Unix socket, or TCP with its token).
    /// A refusal before the upgrade becomes a <see cref="ToolgridApiException"/> with its status.
    /// </summary>
    public async Task<System.Net.WebSockets.ClientWebSocket> ConnectWebSocketAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        if (_transport.Http.DefaultRequestHeaders.Authorization is { } authorization)
        {
            socket.Options.SetRequestHeader("Authorization", authorization.ToString());
        }

        var http = new Uri(_transport.Http.BaseAddress ?? Address.RequestBase, pathAndQuery);
        var uri = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, new HttpMessageInvoker(CreateHandler(Address)), cancellationToken);
            return socket;
        }
        catch (System.Net.WebSockets.WebSocketException e) when (socket.HttpStatusCode is not 0 and not System.Net.HttpStatusCode.SwitchingProtocols)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (status == System.Net.HttpStatusCode.BadRequest)
            {
                // A handshake's refusal carries no body here: the same request without the upgrade
                // is checked the same way first, and answers with the problem details.
                using var plain = await _transport.Http.GetAsync(http, cancellationToken);
                await ApiRefusal.ThrowIfRefusedAsync(plain, cancellationToken);
            }

            var detail = status switch
            {
                System.Net.HttpStatusCode.Forbidden => "you are not a maintainer of this tool",
                System.Net.HttpStatusCode.NotFound => "there is no such tool",
                System.Net.HttpStatusCode.Unauthorized => "the API did not accept your credentials",
                System.Net.HttpStatusCode.ServiceUnavailable => "this toolgridd cannot attach to runs (interactive jobs need its node role)",
                _ => e.Message,
            };
            throw new ToolgridApiException(status, new ApiProblem { Status = (int)status, Title = detail, Detail = detail });
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or HttpRequestException or IOException)
        {
            socket.Dispose();
            throw new ApiUnreachableException(Address, $"cannot reach the API at {Address}: {e.Message}", e);
        }
    }
}
