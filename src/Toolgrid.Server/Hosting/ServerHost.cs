using System.Net;
using System.Net.Sockets;
using Toolgrid.Core.Errors;
using Toolgrid.Native.Processes;
using Toolgrid.Server.Api;
using Toolgrid.Store;

namespace Toolgrid.Server.Hosting;

/// <summary>Builds and runs toolgridd from its command line and configuration.</summary>
public static class ServerHost
{
    /// <summary>Short command-line switches for the settings an operator sets most.</summary>
    public static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--data-root"] = "Toolgrid:DataRoot",
        ["--state-dir"] = "Toolgrid:StateDirectory",
        ["--roles"] = "Toolgrid:Roles",
        ["--backend"] = "Toolgrid:Backend",
        ["--api-socket"] = "Toolgrid:Api:Socket",
        ["--api-urls"] = "Toolgrid:Api:Urls",
        ["--proxy-urls"] = "Toolgrid:Proxy:Urls",
        ["--domain"] = "Toolgrid:Proxy:Domain",
        ["--admin-group"] = "Toolgrid:Accounts:AdminGroup",
    };

    public const string SiteConfigFile = "/etc/toolgrid/toolgridd.json";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == Uninstaller.Command)
        {
            return await new Uninstaller(Console.Out, Console.Error).RunAsync(args[1..], CancellationToken.None);
        }

        if (args.Contains("--help") || args.Contains("-h"))
        {
            await Console.Out.WriteLineAsync(Usage);
            return 0;
        }

        if (args.Contains("--version"))
        {
            await Console.Out.WriteLineAsync(StatusEndpoints.Version);
            return 0;
        }

        try
        {
            var app = Build(args);
            await app.RunAsync();
            return 0;
        }
        catch (ToolgridException e)
        {
            await Console.Error.WriteLineAsync($"toolgridd: {e.Message}");
            return 1;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("toolgridd: the configuration is not valid:\n  " + string.Join("\n  ", e.Failures));
            return 1;
        }
    }

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        AddSources(builder.Configuration, args);
        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        var roles = Roles.Parse(options.Roles, out var unknown);
        if (unknown.Count > 0 || roles.Names.Count == 0)
        {
            throw new ToolgridException(ErrorKind.Invalid, "bad-roles", $"unknown role(s) '{string.Join(", ", unknown)}' in '{options.Roles}': the roles are {string.Join(", ", Roles.Known)}.");
        }

        if (!BackendNames.Known.Contains(options.Backend, StringComparer.Ordinal))
        {
            throw new ToolgridException(ErrorKind.Invalid, "bad-backend", $"unknown backend '{options.Backend}' (--backend, Toolgrid:Backend): the backends are {string.Join(", ", BackendNames.Known)}.");
        }

        if (options.Backend == BackendNames.Local && roles.Controller != roles.Node)
        {
            throw new ToolgridException(ErrorKind.Invalid, "bad-roles", "with the local backend, the controller and node roles run together in one process: use --roles controller,node (with or without api).");
        }

        var paths = ServerPaths.Resolve(options, ProcessIdentity.EffectiveUid == 0, ProcessIdentity.EffectiveUid, builder.Configuration[$"{StoreOptions.Section}:{nameof(StoreOptions.Path)}"]);
        builder.Services.AddToolgridServer(builder.Configuration, paths, roles);
        builder.Services.AddHostedService<ServerStartup>();
        // The API's handlers read and write the store, which blocks: they run on the thread pool,
        // even when DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (set for a proxy of its own) would
        // run them on a socket's event loop.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = false);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.Api.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
            if (!roles.Api)
            {
                // A process without the API still answers health checks, on a socket of its own.
                kestrel.ListenUnixSocket(PrepareSocket(Path.Combine(paths.StateDirectory, "toolgridd.sock")));
                return;
            }

            if (paths.ApiSocket is { } socket)
            {
                kestrel.ListenUnixSocket(PrepareSocket(socket));
            }

            foreach (var url in (paths.ApiUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var (address, port) = ParseUrl(url);
                kestrel.Listen(address, port);
            }
        });

        var app = builder.Build();
        app.MapToolgrid(roles);
        return app;
    }

    /// <summary>The configuration's sources, in order (later wins): the site's file, <c>--config FILE</c>, the environment, the command line.</summary>
    public static void AddSources(IConfigurationBuilder configuration, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var config = args.SkipWhile(a => a != "--config").Skip(1).FirstOrDefault();
        configuration.AddJsonFile(SiteConfigFile, optional: true, reloadOnChange: false);
        if (config is not null)
        {
            configuration.AddJsonFile(Path.GetFullPath(config), optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args.Where(a => a != "--config" && a != config).ToArray(), Switches);
    }

    private static (IPAddress Address, int Port) ParseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http")
        {
            throw new ToolgridException(ErrorKind.Invalid, "bad-url", $"Toolgrid:Api:Urls has '{url}': give http://ADDRESS:PORT (put TLS in a front proxy).");
        }

        var address = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            var host when IPAddress.TryParse(host.Trim('[', ']'), out var parsed) => parsed,
            _ => throw new ToolgridException(ErrorKind.Invalid, "bad-url", $"Toolgrid:Api:Urls has '{url}': the host must be an IP address or localhost."),
        };
        return (address, uri.Port);
    }

    /// <summary>Makes the socket's directory and removes a socket left by a process that is gone; refuses one that is in use.</summary>
    private static string PrepareSocket(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        if (File.Exists(path))
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new ToolgridException(ErrorKind.Conflict, "already-running", $"another process is listening on {path}; stop it, or give this toolgridd another --api-socket.");
            }
            catch (SocketException)
            {
                File.Delete(path);
            }
        }

        return path;
    }

    public const string Usage = """
        toolgridd: the Toolgrid server (api, controller, node and proxy roles).

        Usage: toolgridd [options]

          --data-root DIR      where tools' homes are (default /srv/toolgrid as root,
                               ~/.local/share/toolgrid otherwise)
          --state-dir DIR      the platform's own state: store and runs (default DATA-ROOT/.toolgrid)
          --roles LIST         api,controller,node,proxy (default: all four)
          --backend NAME       what runs the runs: local (this host, the node role; default)
                               gridengine (a Grid Engine cell, see Toolgrid:GridEngine)
                               or slurm (a Slurm cluster, see Toolgrid:Slurm)
          --api-socket PATH    the API's Unix socket (default /run/toolgrid/api.sock as root)
          --api-urls URLS      the API's TCP addresses (default http://127.0.0.1:8470 as root,
                               none otherwise; '' for none)
          --proxy-urls URLS    where the front proxy listens (default http://127.0.0.1:8480 as
                               root, none otherwise; '' for none)
          --domain DOMAIN      serve tools at http(s)://TOOL.DOMAIN/ (default: at /TOOL/)
          --admin-group GROUP  members of this Unix group are admins (root always is)
          --config FILE        a JSON configuration file (besides /etc/toolgrid/toolgridd.json)
          --version            print the version

        toolgridd uninstall [--remove-state] [--remove-tool-users] [options]: removes what
        toolgridd made on this host (see docs/operator-guide.md, "Uninstalling").

        Any setting can also be given as --Toolgrid:Section:Key=value or as the environment
        variable Toolgrid__Section__Key. See docs/operator-guide.md.
        """;
}
