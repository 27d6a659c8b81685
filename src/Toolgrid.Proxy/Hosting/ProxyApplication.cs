using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Proxy.Files;
using Toolgrid.Proxy.Forwarding;
using Toolgrid.Proxy.Nginx;
using Toolgrid.Proxy.Pages;
using Toolgrid.Proxy.Routing;
using Toolgrid.Proxy.Sites;
using Toolgrid.Proxy.Status;
using Toolgrid.Store;
using Toolgrid.Store.Changes;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Toolgrid.Proxy.Hosting;

/// <summary>
/// The proxy as a web application of its own: its own Kestrel server, limits and pipeline, apart
/// from the API's. toolgridd runs it beside the API (<see cref="ProxyServer"/>); tests run it
/// alone on a free port.
/// </summary>
/// <remarks>
/// <para>Why a server of its own rather than more endpoints on the API's: the proxy takes bodies of
/// 128 MiB and holds requests for ten minutes, where the API takes 1 MiB; every path belongs to
/// tools (a tool may be called <c>api</c>); and its pipeline is YARP's, without the API's
/// authentication and problem details.</para>
/// <code>
/// request ─► [forwarded headers, trusted proxies only] ─► SiteHandler.Middleware
///              │ status page, /_toolgrid/healthz, unknown tool (404), path → host (301)
///              ▼
///            routing ─► YARP route of a tool with replicas getting traffic
///              │          ProxyErrorPages ─► ReplicaRetry ─► load balancing ─► passive health ─► forward
///              ▼
///            fallback ─► SiteHandler.ServeToolAsync: public_html, default page, 503
/// </code>
/// </remarks>
public static class ProxyApplication
{
    /// <summary>
    /// The proxy over <paramref name="store"/>; <paramref name="changes"/>, when given, are the writes
    /// to it this process makes, which it reads again at once; <paramref name="commitWatch"/>, when
    /// given, hears of every process's commits, so that it need not poll for them; <paramref name="front"/>,
    /// when given, the nginx in front of it (<see cref="NginxFront"/>).
    /// </summary>
    public static WebApplication Create(ProxyOptions options, IReadOnlyList<ProxyListener> listeners, IDbContextFactory<ToolgridDbContext> store, TimeProvider time, ILoggerFactory loggers, StoreChanges? changes = null, NginxFront? front = null, StoreCommitWatch? commitWatch = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listeners);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "toolgrid-proxy",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            foreach (var listener in listeners)
            {
                if (listener.SocketPath is { } path)
                {
                    kestrel.ListenUnixSocket(path);
                }
                else
                {
                    kestrel.Listen(listener.EndPoint!);
                }
            }
        });

        var services = builder.Services;
        services.AddSingleton<ILoggerFactory>(new ProxyLoggers(loggers));
        services.AddSingleton(time);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(store);
        if (changes is not null)
        {
            services.AddSingleton(changes);
        }

        if (commitWatch is not null)
        {
            services.AddSingleton(commitWatch);
        }

        services.AddRoutingCore();
        services.AddReverseProxy();
        services.AddSingleton<StoreProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(p => p.GetRequiredService<StoreProxyConfigProvider>());
        services.AddSingleton<ITransformProvider, ForwardingTransforms>();
        services.AddSingleton<IForwarderHttpClientFactory, ProxyHttpClientFactory>();
        services.AddSingleton<IPassiveHealthCheckPolicy, ReplicaFailurePolicy>();
        services.AddSingleton<ProxyStateReader>();
        services.AddSingleton<ProxyStateSource>();
        services.AddHostedService(p => p.GetRequiredService<ProxyStateSource>());
        services.AddSingleton<JobsSummaryReader>();
        services.AddSingleton<StatusPageTables>();
        services.AddSingleton<PublicHtml>();
        services.AddSingleton<SiteHandler>();
        if (options.TrustedProxies.Count > 0)
        {
            services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var proxy in options.TrustedProxies)
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            });
        }

        var app = builder.Build();
        if (options.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (front is not null)
        {
            app.Use(front.Middleware);
        }

        var site = app.Services.GetRequiredService<SiteHandler>();
        app.Use(site.Middleware);
        app.UseRouting();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ProxyErrorPages>();
            proxy.UseMiddleware<ReplicaRetry>();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        app.MapFallback("{**path}", site.ServeToolAsync);
        return app;
    }
}
