using Microsoft.Extensions.Options;
using Toolgrid.Core.Accounts;
using Toolgrid.Native.Processes;
using Toolgrid.Store;

namespace Toolgrid.Server.Hosting;

/// <summary>
/// What must happen before any role starts: take the controller's lock (one controller per
/// store), bring the store's schema up to date and, for the API, tokens of older versions into
/// line (<see cref="Identity.LegacyTokens"/>); and, once listening, open the API socket to
/// every local user and say where everything is.
/// </summary>
public sealed partial class ServerStartup(
    ServerPaths paths,
    Roles roles,
    StoreMigrator migrator,
    Identity.LegacyTokens legacyTokens,
    IToolAccounts accounts,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IOptions<ServerOptions> options,
    ILogger<ServerStartup> logger) : IHostedLifecycleService, IDisposable
{
    private InstanceLock? _lock;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (roles.Controller)
        {
            _lock = InstanceLock.Acquire(paths.StateDirectory);
        }

        Directory.CreateDirectory(paths.StateDirectory);
        if (accounts.Mode == AccountMode.MultiUser)
        {
            // The state holds the store and the runs' specs: root's business only.
            File.SetUnixFileMode(paths.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await migrator.MigrateAsync(cancellationToken);
        if (roles.Api)
        {
            await legacyTokens.UpgradeAsync(cancellationToken);
        }

        lifetime.ApplicationStarted.Register(Started);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    private void Started()
    {
        if (roles.Api && paths.ApiSocket is { } socket && File.Exists(socket))
        {
            // Anyone on the host may connect: the kernel tells the API who they are.
            File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110);
        }

        var mode = Api.StatusEndpoints.ModeName(accounts.Mode);
        var detail = Api.StatusEndpoints.ModeDetail(accounts, services);
        var roleNames = string.Join(',', roles.Names);
        LogStarted(Api.StatusEndpoints.Version, roleNames, mode, detail, paths.DataRoot, paths.StorePath, options.Value.Backend);
        if (roles.Api)
        {
            var socketText = paths.ApiSocket is null ? "(off)" : paths.ApiSocket;
            var urls = paths.ApiUrls ?? "(off)";
            var cli = paths.ApiSocket is null || paths.ApiSocket == ServerPaths.DefaultSocket(ProcessIdentity.EffectiveUid == 0, ProcessIdentity.EffectiveUid)
                ? "toolgrid status"
                : $"TOOLGRID_API=unix:{paths.ApiSocket} toolgrid status";
            LogApi(socketText, urls, cli);
        }

        if (accounts.Mode == AccountMode.SingleUser)
        {
            LogSingleUser(Environment.UserName);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "toolgridd {Version} is up. Roles: {Roles}. Mode: {Mode} ({ModeDetail}). Data root: {DataRoot}. Store: {Store}. Backend: {Backend}.")]
    private partial void LogStarted(string version, string roles, string mode, string modeDetail, string dataRoot, string store, string backend);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "API: unix socket {Socket} (no token needed on this host), TCP {Urls} (bearer token from 'toolgrid tokens create'). OpenAPI at /api/v1/openapi.json. Try: {Cli}")]
    private partial void LogApi(string socket, string urls, string cli);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Single-user mode: every tool runs as {User}, with no isolation between tools. Start toolgridd as root for one Unix user per tool.")]
    private partial void LogSingleUser(string user);
}
