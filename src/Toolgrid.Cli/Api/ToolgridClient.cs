using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Api;

/// <summary>
/// Toolgrid's REST API (<c>/api/v1</c>, docs/api.md), one typed method per endpoint. Shared by the
/// CLI, the end-to-end tests and the benchmarks.
/// </summary>
/// <remarks>
/// A refusal becomes a <see cref="ToolgridApiException"/> carrying the problem details; an API
/// that cannot be reached, a connection lost mid-answer or an answer that does not come in time
/// become an <see cref="ApiUnreachableException"/>. Timeouts are measured with the
/// <see cref="TimeProvider"/> given, never with the HTTP client's own clock.
/// <para>
/// With <see cref="IdempotencyKeys"/> set, a creating request (POST, PUT) carries an
/// <c>Idempotency-Key</c> and is sent again, with the same key, when no answer came (the
/// connection was refused or lost, or the answer did not come in time): the API then answers
/// the first request's answer rather than doing it twice (docs/api.md).
/// </para>
/// </remarks>
public sealed class ToolgridClient : IDisposable
{
    /// <summary>The longest the API holds a <c>?wait=true</c> request (docs/api.md).</summary>
    public static readonly TimeSpan MaxWaitTimeout = TimeSpan.FromSeconds(300);

    /// <summary>How long one long poll of <see cref="WaitUntilFinishedAsync"/> asks the API to hold the answer.</summary>
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(60);

    // A poll that comes back unfinished sooner than this is followed by a pause, so that an API
    // that does not hold the answer is not asked in a tight loop.
    private static readonly TimeSpan MinimumPollInterval = TimeSpan.FromSeconds(1);

    // Room on top of a long poll's own timeout for the answer to travel.
    private static readonly TimeSpan WaitSlack = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;

    /// <summary>Uses <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> is the API's root (the part before <c>api/v1/</c>).</summary>
    public ToolgridClient(HttpClient http, ApiAddress address, TimeProvider? timeProvider = null)
        : this(http, address, timeProvider, ownsHttp: false)
    {
    }

    private ToolgridClient(HttpClient http, ApiAddress address, TimeProvider? timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(address);
        _http = http;
        _ownsHttp = ownsHttp;
        _time = timeProvider ?? TimeProvider.System;
        Address = address;
    }

    public ApiAddress Address { get; }

    /// <summary>How long an ordinary request may take before the API counts as unreachable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gives the <c>Idempotency-Key</c> of each creating request, a new one each time; null sends none and never sends a request twice.</summary>
    public Func<string>? IdempotencyKeys { get; set; }

    /// <summary>How long to wait (on the client's clock) before each new try of a creating request that got no answer: one more try than delays.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

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

    public Task<WhoAmIView> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/whoami", null, CliJsonContext.Default.WhoAmIView, cancellationToken);

    public Task<StatusView> GetStatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/status", null, CliJsonContext.Default.StatusView, cancellationToken);

    /// <summary>The active tools; with <paramref name="all"/>, deleted ones too.</summary>
    public Task<IReadOnlyList<ToolView>> ListToolsAsync(bool all = false, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, all ? "api/v1/tools?all=true" : "api/v1/tools", null, CliJsonContext.Default.IReadOnlyListToolView, cancellationToken);

    public Task<ToolView> CreateToolAsync(ToolCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/tools", Body(request, CliJsonContext.Default.ToolCreateRequest), CliJsonContext.Default.ToolView, cancellationToken);

    public Task<ToolView> GetToolAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ToolPath(tool), null, CliJsonContext.Default.ToolView, cancellationToken);

    /// <summary>Disables the tool: its runs are stopped; its files are kept.</summary>
    public Task<ToolView> DeleteToolAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ToolPath(tool), null, CliJsonContext.Default.ToolView, cancellationToken);

    public Task<IReadOnlyList<MaintainerView>> ListMaintainersAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ToolPath(tool) + "/maintainers", null, CliJsonContext.Default.IReadOnlyListMaintainerView, cancellationToken);

    public Task<IReadOnlyList<MaintainerView>> AddMaintainerAsync(string tool, string user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, MaintainerPath(tool, user), null, CliJsonContext.Default.IReadOnlyListMaintainerView, cancellationToken);

    public Task<IReadOnlyList<MaintainerView>> RemoveMaintainerAsync(string tool, string user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, MaintainerPath(tool, user), null, CliJsonContext.Default.IReadOnlyListMaintainerView, cancellationToken);

    /// <summary>Admins only: raises or resets the tool's ceilings.</summary>
    public Task<ToolView> UpdateToolAsync(string tool, ToolUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, ToolPath(tool), Body(update, CliJsonContext.Default.ToolUpdate), CliJsonContext.Default.ToolView, cancellationToken);

    public Task<LimitsView> UpdateLimitsAsync(string tool, ToolLimitsUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, ToolPath(tool) + "/limits", Body(update, CliJsonContext.Default.ToolLimitsUpdate), CliJsonContext.Default.LimitsView, cancellationToken);

    /// <summary>The tool's jobs, each with its latest run.</summary>
    public Task<IReadOnlyList<JobView>> ListJobsAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ToolPath(tool) + "/jobs", null, CliJsonContext.Default.IReadOnlyListJobView, cancellationToken);

    /// <summary>Declares a job and queues its first run.</summary>
    public Task<JobView> RunJobAsync(string tool, JobRunRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ToolPath(tool) + "/jobs", Body(request, CliJsonContext.Default.JobRunRequest), CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>The job with its recent runs, newest first.</summary>
    public Task<JobView> GetJobAsync(string tool, string job, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, JobPath(tool, job), null, CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>One long poll: the API answers once the job is finished, or after <paramref name="timeout"/> (at most 300 s).</summary>
    public Task<JobView> WaitForJobAsync(string tool, string job, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var seconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, MaxWaitTimeout.TotalSeconds);
        return SendAsync(
            HttpMethod.Get,
            FormattableString.Invariant($"{JobPath(tool, job)}?wait=true&timeout={seconds}"),
            null,
            CliJsonContext.Default.JobView,
            TimeSpan.FromSeconds(seconds) + WaitSlack,
            cancellationToken);
    }

    /// <summary>Long-polls until the job is <see cref="JobView.Finished"/>; returns it then.</summary>
    public async Task<JobView> WaitUntilFinishedAsync(string tool, string job, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var asked = _time.GetTimestamp();
            var view = await WaitForJobAsync(tool, job, DefaultWaitTimeout, cancellationToken);
            if (view.Finished)
            {
                return view;
            }

            var took = _time.GetElapsedTime(asked);
            if (took < MinimumPollInterval)
            {
                await Task.Delay(MinimumPollInterval - took, _time, cancellationToken);
            }
        }
    }

    /// <summary>Deletes the job: its runs are being stopped.</summary>
    public Task<JobView> DeleteJobAsync(string tool, string job, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, JobPath(tool, job), null, CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>
    /// Replaces a continuous job's runs (one at a time), runs a one-off job again, or runs a
    /// scheduled job now without changing its schedule.
    /// </summary>
    public Task<JobView> RestartJobAsync(string tool, string job, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, JobPath(tool, job) + "/restart", null, CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>
    /// Makes the tool's jobs match a list (<c>jobs load</c>): adds, replaces and deletes; with
    /// <see cref="JobsApplyRequest.DryRun"/> only says what it would do; with
    /// <see cref="JobsApplyRequest.Only"/> touches that one job. One bad entry changes nothing.
    /// </summary>
    public Task<JobsApplyResult> ApplyJobsAsync(string tool, JobsApplyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ToolPath(tool) + "/jobs/apply", Body(request, CliJsonContext.Default.JobsApplyRequest), CliJsonContext.Default.JobsApplyResult, cancellationToken);

    /// <summary>
    /// Submits a job by name (<c>jsub</c>, <c>jstart</c>, <c>qcronsub</c>): made if new, run again if
    /// it has ended, a second run beside a running one-off job, or refused (409) while it is
    /// active with <see cref="JobSubmitRequest.Once"/>. The answer's newest run is the one queued.
    /// </summary>
    public Task<JobView> SubmitJobAsync(string tool, string job, JobSubmitRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, JobPath(tool, job) + "/runs", Body(request, CliJsonContext.Default.JobSubmitRequest), CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>Stops one run of a one-off or scheduled job (<c>qdel ID</c>); its job stays.</summary>
    public Task<JobView> StopRunAsync(string tool, long run, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ToolPath(tool) + FormattableString.Invariant($"/runs/{run}"), null, CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>Deletes every job of the tool (<c>jobs flush</c>).</summary>
    public Task<IReadOnlyList<JobView>> FlushJobsAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ToolPath(tool) + "/jobs", null, CliJsonContext.Default.IReadOnlyListJobView, cancellationToken);

    /// <summary>The tool's web service: its state in words, its addresses and its replicas.</summary>
    public Task<WebserviceView> GetWebserviceAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, WebservicePath(tool), null, CliJsonContext.Default.WebserviceView, cancellationToken);

    /// <summary>Starts the tool's web service, or changes the one it has.</summary>
    public Task<WebserviceView> StartWebserviceAsync(string tool, WebserviceStartRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, WebservicePath(tool), Body(request, CliJsonContext.Default.WebserviceStartRequest), CliJsonContext.Default.WebserviceView, cancellationToken);

    /// <summary>Stops the tool's web service: its replicas leave the proxy and are stopped.</summary>
    public Task<WebserviceView> StopWebserviceAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, WebservicePath(tool), null, CliJsonContext.Default.WebserviceView, cancellationToken);

    /// <summary>Replaces the web service's replicas, one at a time.</summary>
    public Task<WebserviceView> RestartWebserviceAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, WebservicePath(tool) + "/restart", null, CliJsonContext.Default.WebserviceView, cancellationToken);

    /// <summary>The tail of the job's log files, as text. <see cref="LogQuery.Follow"/> is ignored: use <see cref="CopyLogsAsync"/> to follow.</summary>
    public async Task<string> GetLogsAsync(string tool, string job, LogQuery query, CancellationToken cancellationToken = default)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await CopyLogsAsync(tool, job, query with { Follow = false }, writer, cancellationToken);
        return writer.ToString();
    }

    /// <summary>
    /// Copies the job's logs to <paramref name="destination"/> as they come, flushing after each
    /// piece. With <see cref="LogQuery.Follow"/> it returns only when the API ends the stream or
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task CopyLogsAsync(string tool, string job, LogQuery query, TextWriter destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, LogsPath(tool, job, query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));

        // A followed stream has no end; only the wait for its first byte is bounded.
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, RequestTimeout, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await destination.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException(Address, $"the connection to the API at {Address} was lost while reading the logs.", e);
        }
    }

    /// <summary>The caller's tokens.</summary>
    public Task<IReadOnlyList<TokenView>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/tokens", null, CliJsonContext.Default.IReadOnlyListTokenView, cancellationToken);

    /// <summary>Makes a token for the caller; its <see cref="TokenView.Secret"/> is shown only this once.</summary>
    public Task<TokenView> CreateTokenAsync(TokenCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/tokens", Body(request, CliJsonContext.Default.TokenCreateRequest), CliJsonContext.Default.TokenView, cancellationToken);

    /// <summary>Revokes the token and every token made from it; returns them.</summary>
    public Task<IReadOnlyList<TokenView>> RevokeTokenAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, FormattableString.Invariant($"api/v1/tokens/{id}"), null, CliJsonContext.Default.IReadOnlyListTokenView, cancellationToken);

    /// <summary>What one person may have, and has (their own, or anyone's for an admin).</summary>
    public Task<UserLimitsView> GetUserLimitsAsync(string user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, UserPath(user) + "/limits", null, CliJsonContext.Default.UserLimitsView, cancellationToken);

    /// <summary>Admins only: raises or resets what one person may have.</summary>
    public Task<UserLimitsView> UpdateUserLimitsAsync(string user, UserLimitsUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, UserPath(user) + "/limits", Body(update, CliJsonContext.Default.UserLimitsUpdate), CliJsonContext.Default.UserLimitsView, cancellationToken);

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
        if (_http.DefaultRequestHeaders.Authorization is { } authorization)
        {
            socket.Options.SetRequestHeader("Authorization", authorization.ToString());
        }

        var http = new Uri(_http.BaseAddress ?? Address.RequestBase, pathAndQuery);
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

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    internal static string ToolPath(string tool) => "api/v1/tools/" + Uri.EscapeDataString(tool);

    internal static string JobPath(string tool, string job) => ToolPath(tool) + "/jobs/" + Uri.EscapeDataString(job);

    internal static string UserPath(string user) => "api/v1/users/" + Uri.EscapeDataString(user);

    internal static string WebservicePath(string tool) => ToolPath(tool) + "/webservice";

    internal static string MaintainerPath(string tool, string user) => ToolPath(tool) + "/maintainers/" + Uri.EscapeDataString(user);

    internal static string LogsPath(string tool, string job, LogQuery query)
    {
        var parameters = new List<string>();
        if (query.Stream is not null)
        {
            parameters.Add("stream=" + Uri.EscapeDataString(query.Stream));
        }

        if (query.Lines is { } lines)
        {
            parameters.Add(FormattableString.Invariant($"lines={lines}"));
        }

        if (query.Follow)
        {
            parameters.Add("follow=true");
        }

        var path = JobPath(tool, job) + "/logs";
        return parameters.Count == 0 ? path : path + "?" + string.Join('&', parameters);
    }

    /// <summary>A request body: serialized once, so that a retry sends the very same bytes.</summary>
    private static byte[] Body<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    private Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(method, path, body, type, RequestTimeout, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> type, TimeSpan timeout, CancellationToken cancellationToken)
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
                await Task.Delay(RetryDelays[attempt], _time, cancellationToken);
            }
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
        await ThrowIfRefusedAsync(response, cancellationToken);
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

    /// <summary>Sends, turning transport failures into <see cref="ApiUnreachableException"/>.</summary>
    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var response = await _http.SendAsync(request, completion, linked.Token);
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

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = await ReadProblemAsync(response, cancellationToken);
        throw new ToolgridApiException(response.StatusCode, problem);
    }

    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var status = (int)response.StatusCode;
        if (mediaType is not null && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync(CliJsonContext.Default.ApiProblem, cancellationToken);
                if (problem is not null)
                {
                    return problem with { Status = problem.Status ?? status };
                }
            }
            catch (JsonException)
            {
                // Not a problem document after all (a proxy's error page); described below instead.
            }
        }

        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        return new ApiProblem
        {
            Status = status,
            Title = response.ReasonPhrase,
            Detail = text.Length is > 0 and <= 300 && mediaType is "text/plain"
                ? text
                : $"the API answered {status} {response.ReasonPhrase}".TrimEnd(),
        };
    }

    private ToolgridApiException Unreadable(HttpResponseMessage response, Exception? inner) =>
        new($"the answer to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} could not be read: is {Address} really toolgridd's API?", inner);
}
