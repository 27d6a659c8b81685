using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolgrid.Proxy.Tests.Support;

/// <summary>
/// A tool's web service replica, in process, on a free loopback port: it answers with what it was
/// sent (method, path, headers), echoes WebSocket messages at <c>/ws</c>, and streams at
/// <c>/stream</c> (a first piece, then the rest once <see cref="ReleaseStream"/> is called); at
/// <c>/set-cookie</c> it also answers each <c>c</c> of the query as a <c>Set-Cookie</c> header.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private TaskCompletionSource _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestBackend(WebApplication app, string name)
    {
        _app = app;
        Name = name;
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>How many requests it answered.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The longest request body read to its end, in bytes.</summary>
    public long LongestBody => Interlocked.Read(ref _longestBody);

    private int _requests;

    public static async Task<TestBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        TestBackend? backend = null;
        app.UseWebSockets();
        app.Run(context => backend!.HandleAsync(context));
        await app.StartAsync();
        backend = new TestBackend(app, name);
        return backend;
    }

    /// <summary>Lets <c>/stream</c> send the rest of its answer.</summary>
    public void ReleaseStream() => _stream.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        _stream.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private long _longestBody;

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        context.Response.Headers["X-Backend"] = Name;
        var path = context.Request.Path.Value ?? "/";
        if (path.EndsWith("/ws", StringComparison.Ordinal) && context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                    return;
                }

                var reply = System.Text.Encoding.UTF8.GetBytes($"{Name} echoes: " + System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count));
                await socket.SendAsync(reply, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
            }
        }

        if (path.EndsWith("/stream", StringComparison.Ordinal))
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("first\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await _stream.Task.WaitAsync(context.RequestAborted);
            _stream = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await context.Response.WriteAsync("second\n", context.RequestAborted);
            return;
        }

        if (path.EndsWith("/set-cookie", StringComparison.Ordinal))
        {
            foreach (var cookie in context.Request.Query["c"])
            {
                context.Response.Headers.Append("Set-Cookie", cookie);
            }
        }

        long bodyLength = 0;
        var buffer2 = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer2, context.RequestAborted)) > 0)
        {
            bodyLength += read;
        }

        long longest;
        while (bodyLength > (longest = Interlocked.Read(ref _longestBody)) && Interlocked.CompareExchange(ref _longestBody, bodyLength, longest) != longest)
        {
        }

        var echo = new Echo(
            Name,
            context.Request.Method,
            path,
            context.Request.QueryString.Value ?? "",
            bodyLength,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal));
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(echo, EchoJson.Options), context.RequestAborted);
    }
}

/// <summary>What a <see cref="TestBackend"/> was sent.</summary>
public sealed record Echo(string Backend, string Method, string Path, string Query, long BodyLength, Dictionary<string, string> Headers)
{
    public static async Task<Echo> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<Echo>(text, EchoJson.Options) ?? throw new InvalidOperationException("not an echo: " + text);
    }

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

internal static class EchoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
