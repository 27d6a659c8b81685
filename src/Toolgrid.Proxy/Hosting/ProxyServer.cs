using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Native.Processes;
using Toolgrid.Proxy.Nginx;
using Toolgrid.Proxy.Routing;
using Toolgrid.Store;
using Toolgrid.Store.Changes;

namespace Toolgrid.Proxy.Hosting;

/// <summary>The <c>proxy</c> role: runs <see cref="ProxyApplication"/> inside toolgridd, started and stopped with it.</summary>
public sealed partial class ProxyServer(
    IOptions<ProxyOptions> options,
    IDbContextFactory<ToolgridDbContext> store,
    StoreChanges changes,
    StoreCommitWatch commitWatch,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<ProxyServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;
    private NginxDataPlane? _nginx;

    /// <summary>Where it listens, once started (ports resolved).</summary>
    public IReadOnlyList<string> Addresses =>
        _app?.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var listeners = ProxyListener.Parse(settings.Urls, []);
        if (listeners.Count == 0)
        {
            LogNotListening(ProxyOptions.Section);
            return;
        }

        foreach (var socket in listeners.Select(l => l.SocketPath).OfType<string>())
        {
            PrepareSocket(socket);
        }

        if (DataPlanes.IsNginx(settings))
        {
            await StartWithNginxAsync(settings, listeners, cancellationToken);
            return;
        }

        _app = ProxyApplication.Create(settings, listeners, store, time, loggers, changes, commitWatch: commitWatch);
        await _app.StartAsync(cancellationToken);
        foreach (var socket in listeners.Select(l => l.SocketPath).OfType<string>())
        {
            // A TLS terminator on this host (another user) forwards to it; the proxy is public anyway.
            File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110);
        }

        var addresses = string.Join(", ", Addresses);
        var domain = settings.Domain is { Length: > 0 } d ? $"<tool>.{d}" : "/<tool>/ (no domain set)";
        LogListening(addresses, domain);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_nginx is not null)
        {
            await _nginx.StopAsync(cancellationToken);
        }

        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
            _nginx = null;
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>
    /// nginx on the proxy's addresses, toolgridd's own proxy on a free loopback port behind it:
    /// nginx forwards to replicas what it has routes for and sends the rest there.
    /// </summary>
    private async Task StartWithNginxAsync(ProxyOptions settings, IReadOnlyList<ProxyListener> listeners, CancellationToken cancellationToken)
    {
        var directory = settings.NginxDirectory ?? throw new InvalidOperationException($"{ProxyOptions.Section}:NginxDirectory is not set: give nginx a directory of root's.");
        var secret = RandomNumberGenerator.GetHexString(64, lowercase: true);
        var own = new ProxyListener(new IPEndPoint(IPAddress.Loopback, 0), null);
        _app = ProxyApplication.Create(settings, [own], store, time, loggers, changes, new NginxFront(secret), commitWatch);
        await _app.StartAsync(cancellationToken);
        var port = new Uri(Addresses[0]).Port;
        var site = new NginxSite(
            listeners.Select(l => l.EndPoint!).ToList(),
            new IPEndPoint(IPAddress.Loopback, port),
            secret,
            directory,
            ProcessIdentity.EffectiveUid == 0 ? settings.NginxUser : null,
            settings.NginxWorkers);
        var source = _app.Services.GetRequiredService<ProxyStateSource>();
        _nginx = new NginxDataPlane(settings, site, time, loggers.CreateLogger<NginxDataPlane>());
        await _nginx.StartAsync(source.Current, cancellationToken);
        source.RoutesChanged += state => _nginx.Apply(state);

        // A change read while nginx started.
        _nginx.Apply(source.Current);
        var addresses = string.Join(", ", listeners) + $" (nginx; toolgridd's own proxy on {site.Site})";
        LogListening(addresses, "/<tool>/ (no domain set)");
    }

    /// <summary>Removes a socket left by a process that is gone; refuses one that is in use.</summary>
    private static void PrepareSocket(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }

        throw new InvalidOperationException($"another process is listening on {path}; stop it, or give the proxy another socket in {ProxyOptions.Section}:Urls.");
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Proxy: listening on {Addresses}; tools at {Domain}. Status page at the root.")]
    private partial void LogListening(string addresses, string domain);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Proxy role: no address to listen on ({Section}:Urls is empty), so no tool's site is served by this process. Set it, e.g. --proxy-urls http://*:8480.")]
    private partial void LogNotListening(string section);
}
