using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Toolgrid.Accounts;
using Toolgrid.Backends.Local;
using Toolgrid.Backends.Local.Uninstall;
using Toolgrid.Core.Errors;
using Toolgrid.Native.Processes;
using Toolgrid.Store;

namespace Toolgrid.Server.Hosting;

/// <summary>
/// <c>toolgridd uninstall</c>: removes what toolgridd made on this host, with the same
/// configuration as toolgridd (so the same paths): the sudoers drop-in of <c>toolgrid become</c>,
/// the cgroup parents, the sockets, the private <c>/tmp</c> of runs whose shepherd died; with
/// <c>--remove-state</c> the state directory (store, runs), with <c>--remove-tool-users</c> the
/// tools' Unix users and groups. Tools' homes are never removed. It refuses, removing nothing,
/// while toolgridd runs or a run is alive under its shepherd.
/// </summary>
public sealed class Uninstaller(TextWriter output, TextWriter error)
{
    public const string Command = "uninstall";

    public const string RemoveState = "--remove-state";

    public const string RemoveToolUsers = "--remove-tool-users";

    public const string Usage = """
        toolgridd uninstall: removes what toolgridd made on this host. Stop toolgridd first.

        Usage: toolgridd uninstall [--remove-state] [--remove-tool-users] [options]

          --remove-state       also remove the state directory (the store, the runs' records)
          --remove-tool-users  also remove the tools' Unix users and groups that toolgridd made
          options              the ones toolgridd was started with (--data-root, --state-dir,
                               --config FILE, --Toolgrid:Section:Key=value), so that the same
                               paths are found

        Always removed: the sudoers drop-in of 'toolgrid become', the cgroup parents, the API and
        notify sockets, the private /tmp of runs whose shepherd died. Never removed: the tools'
        homes (their code, logs and public_html).
        """;

    private static readonly string[] ConfigurationPrefixes = ["--Toolgrid:", "--Logging:"];

    /// <returns>0 when everything was removed; 1 when it refused or something stayed.</returns>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        var removeState = args.Contains(RemoveState);
        var removeUsers = args.Contains(RemoveToolUsers);
        var rest = args.Where(a => a != RemoveState && a != RemoveToolUsers).ToArray();
        if (UnknownOption(rest) is { } unknown)
        {
            return await RefuseAsync($"unknown option '{unknown}'. {Usage}");
        }

        var configuration = new ConfigurationBuilder();
        ServerHost.AddSources(configuration, rest);
        var settings = configuration.Build();
        var options = settings.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        var paths = ServerPaths.Resolve(options, ProcessIdentity.EffectiveUid == 0, ProcessIdentity.EffectiveUid, settings[$"{StoreOptions.Section}:{nameof(StoreOptions.Path)}"]);
        var accountsOptions = settings.GetSection(ToolAccountsOptions.Section).Get<ToolAccountsOptions>() ?? new ToolAccountsOptions();
        accountsOptions.DataRoot = settings[$"{ToolAccountsOptions.Section}:{nameof(ToolAccountsOptions.DataRoot)}"] ?? paths.DataRoot;
        var users = new UnixUserDatabase();
        var invalid = new ToolAccountsOptionsValidator(users).Validate(null, accountsOptions);
        if (invalid.Failed)
        {
            return await RefuseAsync("the configuration is not valid:\n  " + string.Join("\n  ", invalid.Failures));
        }

        var local = settings.GetSection(LocalBackendOptions.SectionName).Get<LocalBackendOptions>() ?? new LocalBackendOptions();
        var runDirectory = string.IsNullOrEmpty(local.RunDirectory) ? paths.RunDirectory : Path.GetFullPath(local.RunDirectory);

        using var instance = TakeInstanceLock(paths.StateDirectory, out var holder);
        if (holder is not null)
        {
            return await RefuseAsync($"toolgridd (pid {holder}) is running with the state directory {paths.StateDirectory}: stop it first (e.g. 'systemctl stop toolgridd'), then run this again.");
        }

        if (paths.ApiSocket is { } socket && Listening(socket))
        {
            return await RefuseAsync($"a toolgridd is listening on {socket}: stop it first, then run this again.");
        }

        var alive = NodeFootprint.AliveRuns(runDirectory, local.CgroupParent);
        if (alive.Count > 0)
        {
            return await RefuseAsync(
                $"runs are still alive under their shepherds, which outlive toolgridd:\n  {string.Join("\n  ", alive)}\n" +
                "Start toolgridd and stop them ('toolgrid jobs delete JOB --tool TOOL', or 'toolgrid tools delete TOOL'), then stop toolgridd and run this again.");
        }

        var accounts = new ToolAccounts(users, Microsoft.Extensions.Options.Options.Create(accountsOptions), TimeProvider.System, NullLogger<ToolAccounts>.Instance);
        var problems = new List<string>();
        if (accounts.RemoveBecomeRules() is { } sudoers)
        {
            await ReportAsync($"the rules of 'toolgrid become' ({sudoers})");
        }

        var (removed, left) = NodeFootprint.Remove(runDirectory, local.CgroupParent, local.NotifySocketPath);
        foreach (var item in removed)
        {
            await ReportAsync(item);
        }

        problems.AddRange(left);
        foreach (var path in new[] { paths.ApiSocket, Path.Combine(paths.StateDirectory, "toolgridd.sock") })
        {
            if (path is not null && File.Exists(path))
            {
                File.Delete(path);
                await ReportAsync($"the socket {path}");
                RemoveIfEmpty(Path.GetDirectoryName(path)!, paths.StateDirectory);
            }
        }

        if (removeUsers)
        {
            var (gone, stayed) = await accounts.RemoveToolUsersAsync(cancellationToken);
            foreach (var name in gone)
            {
                await ReportAsync($"the Unix user and group {name}");
            }

            problems.AddRange(stayed);
        }

        if (removeState && Directory.Exists(paths.StateDirectory))
        {
            instance?.Dispose();
            Directory.Delete(paths.StateDirectory, recursive: true);
            await ReportAsync($"the state directory {paths.StateDirectory} (the store and the runs' records)");
        }

        await output.WriteLineAsync($"kept: the tools' homes in {accountsOptions.DataRoot} (remove a tool's with 'rm -r {Path.Combine(accountsOptions.DataRoot, "NAME")}')");
        if (!removeUsers)
        {
            await output.WriteLineAsync($"kept: the tools' Unix users and groups ({accountsOptions.UnixUserPrefix}NAME; {RemoveToolUsers} removes them)");
        }

        if (!removeState && Directory.Exists(paths.StateDirectory))
        {
            await output.WriteLineAsync($"kept: the state directory {paths.StateDirectory} ({RemoveState} removes it)");
        }

        await output.WriteLineAsync("kept: the installed binaries (deploy/uninstall.sh removes them)");
        foreach (var problem in problems)
        {
            await error.WriteLineAsync($"toolgridd uninstall: could not remove: {problem}");
        }

        return problems.Count == 0 ? 0 : 1;
    }

    private static string? UnknownOption(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--config" || ServerHost.Switches.ContainsKey(arg))
            {
                i++;
            }
            else if (!ConfigurationPrefixes.Any(p => arg.StartsWith(p, StringComparison.Ordinal)))
            {
                return arg;
            }
            else if (!arg.Contains('=', StringComparison.Ordinal))
            {
                i++;
            }
        }

        return null;
    }

    /// <summary>The instance lock, so that no toolgridd starts meanwhile; null with the holder's pid when one runs.</summary>
    private static InstanceLock? TakeInstanceLock(string stateDirectory, out string? holder)
    {
        holder = null;
        if (!Directory.Exists(stateDirectory))
        {
            return null;
        }

        try
        {
            return InstanceLock.Acquire(stateDirectory);
        }
        catch (ToolgridException e) when (e.ErrorCode == "already-running")
        {
            holder = InstanceLock.Holder(stateDirectory);
            return null;
        }
    }

    private static bool Listening(string socket)
    {
        if (!File.Exists(socket))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Removes a runtime directory of toolgridd's (<c>/run/toolgrid</c>) once its socket is gone; never the state directory.</summary>
    private static void RemoveIfEmpty(string directory, string stateDirectory)
    {
        if (directory != stateDirectory && Path.GetFileName(directory) == "toolgrid" && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }

    private async Task<int> RefuseAsync(string message)
    {
        await error.WriteLineAsync($"toolgridd uninstall: {message}");
        await error.WriteLineAsync("Nothing was removed.");
        return 1;
    }

    private Task ReportAsync(string what) => output.WriteLineAsync($"removed: {what}");
}
