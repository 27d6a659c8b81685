using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Tests.Support;

/// <summary>
/// A stand-in for toolgridd's API: real Kestrel on a Unix socket (or on loopback TCP), answering
/// what each test scripts and recording what it was asked. The real server is tested on its own;
/// this one lets the CLI's tests see exactly what goes over the wire.
/// </summary>
internal sealed class ApiTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _directory;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<Func<HttpContext, Task>>> _answers = new(StringComparer.Ordinal);

    private ApiTestServer(WebApplication app, string? directory)
    {
        _app = app;
        _directory = directory;
        _app.Run(HandleAsync);
    }

    public ApiAddress Address { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>The directory the Unix socket is in (<c>DIRECTORY/toolgrid/api.sock</c>, as under $XDG_RUNTIME_DIR).</summary>
    public string? RuntimeDirectory => _directory;

    /// <summary>Starts on a Unix socket in a fresh directory under /tmp (socket paths are short).</summary>
    public static async Task<ApiTestServer> StartUnixAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tgcli-" + Guid.NewGuid().ToString("N")[..10]);
        var socket = Path.Combine(directory, "toolgrid", "api.sock");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        var server = new ApiTestServer(Build(kestrel => kestrel.ListenUnixSocket(socket)), directory);
        await server._app.StartAsync();
        server.Address = ApiAddress.UnixSocket(socket);
        return server;
    }

    /// <summary>Starts on a free loopback port.</summary>
    public static async Task<ApiTestServer> StartTcpAsync()
    {
        var server = new ApiTestServer(Build(kestrel => kestrel.Listen(IPAddress.Loopback, 0)), null);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Address = ApiAddress.Http(new Uri(address));
        return server;
    }

    /// <summary>Answers the next request for <paramref name="method"/> <paramref name="path"/> with <paramref name="handler"/>; the last answer scripted for a route repeats.</summary>
    public void Handle(string method, string path, Func<HttpContext, Task> handler)
    {
        lock (_lock)
        {
            var key = method + " " + path;
            if (!_answers.TryGetValue(key, out var queue))
            {
                _answers[key] = queue = new Queue<Func<HttpContext, Task>>();
            }

            queue.Enqueue(handler);
        }
    }

    public void Answer(string method, string path, int status, string? body = null, string contentType = "application/json") =>
        Handle(method, path, async context =>
        {
            context.Response.StatusCode = status;
            if (body is not null)
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body);
            }
        });

    public void AnswerJson<T>(string method, string path, T value, JsonTypeInfo<T> type, int status = 200) =>
        Answer(method, path, status, JsonSerializer.Serialize(value, type));

    public void AnswerProblem(string method, string path, int status, string errorCode, string detail, params (string Field, string Message)[] errors)
    {
        var problem = new ApiProblem
        {
            Type = "urn:toolgrid:problem:" + errorCode,
            Title = "refused",
            Status = status,
            Detail = detail,
            ErrorCode = errorCode,
            Errors = errors.Length == 0 ? null : errors.Select(e => new Contracts.Validation.Problem(e.Field, e.Message)).ToArray(),
        };
        Answer(method, path, status, JsonSerializer.Serialize(problem, CliJsonContext.Default.ApiProblem), "application/problem+json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static WebApplication Build(Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> listen)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(listen);
        return builder.Build();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _requests.Enqueue(new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            body,
            request.Headers.Authorization.FirstOrDefault(),
            request.ContentType,
            request.Headers["Idempotency-Key"].FirstOrDefault()));

        Func<HttpContext, Task>? handler = null;
        lock (_lock)
        {
            if (_answers.TryGetValue(request.Method + " " + request.Path.Value, out var queue) && queue.Count > 0)
            {
                handler = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
            }
        }

        if (handler is null)
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync($$"""{"errorCode":"unscripted","detail":"the test scripted no answer to {{request.Method}} {{request.Path}}"}""");
            return;
        }

        await handler(context);
    }
}
