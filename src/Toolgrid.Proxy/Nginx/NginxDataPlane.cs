using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Toolgrid.Core.Waiting;
using Toolgrid.Native;
using Toolgrid.Proxy.Routing;

namespace Toolgrid.Proxy.Nginx;

/// <summary>
/// nginx as the proxy's data plane: toolgridd's child, started with the proxy and stopped with
/// it, started again when it dies; its configuration written from the routes
/// (<see cref="NginxConfig"/>), checked by <c>nginx -t</c> and put in place atomically only when
/// it changes and nginx accepts it, then a reload (SIGHUP to the master, which starts new workers
/// and lets the old ones finish their requests).
/// </summary>
/// <remarks>
/// <para>Its directory (configuration, pid file, temporary files) is created root's, 0711: nginx's
/// workers reach their temporary directories in it (nginx makes those theirs), nobody else
/// can write in it, and the configuration (0600) holds the secret toolgridd knows nginx by.</para>
/// <para>Route changes (<see cref="Apply"/>) only wake a loop of its own, which looks up the node
/// names (<see cref="NginxNodeNames"/>), writes, checks and reloads: the thread that reads the
/// routes never waits for a name lookup or for nginx. A configuration nginx refuses is never put
/// in place: nginx, and any nginx started again, go on with the last one it accepted.</para>
/// <para>A stop takes down the nginx it started or is starting: a master is started and recorded
/// in one step that a stop excludes, so there is never one the stop did not see.</para>
/// </remarks>
public sealed partial class NginxDataPlane(ProxyOptions options, NginxSite site, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private const string Setsid = "/usr/bin/setsid";

    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    // _master, _stopped and _state.
    private readonly Lock _lock = new();

    // The configuration file and the master that reads it: written, or a master started, one at a time.
    private readonly SemaphoreSlim _config = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly WakeSignal _changed = new();
    private readonly NginxNodeNames _names = new(time, logger);
    private Process? _master;
    private bool _stopped;
    private string _written = "";
    private string _refused = "";
    private ProxyState _state = ProxyState.Empty;
    private Task _supervision = Task.CompletedTask;
    private Task _writing = Task.CompletedTask;
    private long _reloads;

    public string ConfigPath => Path.Combine(site.Directory, "nginx.conf");

    public string PidPath => Path.Combine(site.Directory, "nginx.pid");

    /// <summary>The master's process id while it runs.</summary>
    public int? MasterPid
    {
        get
        {
            lock (_lock)
            {
                return _master is { HasExited: false } master ? master.Id : null;
            }
        }
    }

    /// <summary>How many configurations nginx was told to reload.</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>The node names of replicas that do not resolve now (those replicas are not in nginx's routes).</summary>
    public IReadOnlyList<string> UnresolvedNodes => _names.Unresolved;

    /// <summary>Called with a master's pid and the stop's token once it has been started, before it is waited for (tests).</summary>
    internal Func<int, CancellationToken, Task>? Launched { get; set; }

    /// <summary>Ends a leftover nginx of its directory, writes the configuration for <paramref name="state"/>, checks it, starts nginx and waits until it listens.</summary>
    public async Task StartAsync(ProxyState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = starting.Token;
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(site.Directory, mode);
        File.SetUnixFileMode(site.Directory, mode);
        Directory.CreateDirectory(Path.Combine(site.Directory, "tmp"));
        await EndLeftoverAsync(token);
        lock (_lock)
        {
            _state = state;
        }

        await _names.RefreshAsync(NginxNodeNames.NamesIn(state), token);
        await _config.WaitAsync(token);
        try
        {
            if (await InstallAsync(Render(state), token) is { } refused)
            {
                throw new InvalidOperationException($"nginx refuses the configuration toolgridd wrote ({ConfigPath}.new): {refused}");
            }

            await LaunchAsync(token);
        }
        finally
        {
            _config.Release();
        }

        _supervision = SuperviseAsync(_stopping.Token);
        _writing = WriteAsync(_stopping.Token);
    }

    /// <summary>Follows a route change: its configuration is written, and nginx reloads, soon, off the caller's thread, when it differs from the one in place.</summary>
    public void Apply(ProxyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            _state = state;
        }

        _changed.Wake();
    }

    /// <summary>Stops nginx gracefully (SIGQUIT: the workers finish their requests), then for good; also one being started. On return, none of its processes is left.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Process? master;
        lock (_lock)
        {
            _stopped = true;
            master = _master;
        }

        await _stopping.CancelAsync();
        if (master is not null)
        {
            await EndAsync(master, cancellationToken);
        }

        foreach (var loop in new[] { _supervision, _writing })
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _master?.Dispose();
        _stopping.Dispose();
        _config.Dispose();
    }

    private string Render(ProxyState state) => NginxConfig.Render(state, site, options, _names.Resolved);

    /// <summary>Writes, looks names up and reloads as the routes and the names change; the names are looked up again when due.</summary>
    private async Task WriteAsync(CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                await _changed.WaitAsync(NginxNodeNames.RetryAfter, time, stopping);
                ProxyState state;
                lock (_lock)
                {
                    state = _state;
                }

                await _names.RefreshAsync(NginxNodeNames.NamesIn(state), stopping);
                var text = Render(state);
                // A refused one is checked again at each tick (what nginx objected to may be mended), said once.
                if (text == _written)
                {
                    continue;
                }

                await _config.WaitAsync(stopping);
                try
                {
                    await ReloadAsync(text, state, stopping);
                }
                finally
                {
                    _config.Release();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // nginx goes on with the routes it has; the next change (or look-up) tries again.
                LogWriteFailed(e, ConfigPath);
            }
        }
    }

    private async Task ReloadAsync(string text, ProxyState state, CancellationToken stopping)
    {
        if (await InstallAsync(text, stopping) is { } refused)
        {
            if (text != _refused)
            {
                LogRefused(refused, ConfigPath);
            }

            _refused = text;
            return;
        }

        _refused = "";
        lock (_lock)
        {
            if (_master is { HasExited: false } master)
            {
                _ = LibC.Kill(master.Id, LibC.SigHup);
                Interlocked.Increment(ref _reloads);
                LogReloaded(master.Id, state.Webservices.Count);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> beside the configuration, has nginx check it, and puts it in place only if nginx accepts it; returns nginx's objection otherwise.</summary>
    private async Task<string?> InstallAsync(string text, CancellationToken cancellationToken)
    {
        var candidate = ConfigPath + ".new";
        File.Delete(candidate);
        using (var file = new FileStream(candidate, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync(text);
        }

        if (await RunTestAsync(candidate, cancellationToken) is { } refused)
        {
            return refused;
        }

        // Renamed over: nginx never reads half a file.
        File.Move(candidate, ConfigPath, overwrite: true);
        _written = text;
        return null;
    }

    /// <summary>
    /// nginx in a process group of its own (setsid: the master's pid is the group's), so that
    /// its workers, which outlive a master that was killed, can be ended with it.
    /// </summary>
    private ProcessStartInfo Command(string config, params string[] arguments)
    {
        var info = new ProcessStartInfo(Setsid) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { options.NginxPath, "-e", "stderr", "-p", site.Directory + "/", "-c", config }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private async Task<string?> RunTestAsync(string config, CancellationToken cancellationToken)
    {
        using var test = Process.Start(Command(config, "-t", "-q")) ?? throw new InvalidOperationException($"{options.NginxPath} did not start");
        try
        {
            var errors = test.StandardError.ReadToEndAsync(cancellationToken);
            await test.StandardOutput.ReadToEndAsync(cancellationToken);
            await test.WaitForExitAsync(cancellationToken);
            return test.ExitCode == 0 ? null : (await errors).Trim();
        }
        catch (OperationCanceledException)
        {
            test.Kill();
            throw;
        }
    }

    /// <summary>Starts a master with the configuration in place and waits until it listens. The caller holds <see cref="_config"/>.</summary>
    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        Process master;
        lock (_lock)
        {
            // Started and recorded in one step that a stop excludes: a stop sees it, or it is not started.
            if (_stopped)
            {
                throw new OperationCanceledException("the nginx data plane is stopping");
            }

            File.Delete(PidPath);
            master = Process.Start(Command(ConfigPath)) ?? throw new InvalidOperationException($"{options.NginxPath} did not start");
            _master = master;
        }

        master.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                LogNginxSaid(text);
            }
        };
        master.OutputDataReceived += (_, _) => { };
        master.BeginErrorReadLine();
        master.BeginOutputReadLine();
        try
        {
            if (Launched is { } launched)
            {
                await launched(master.Id, cancellationToken);
            }

            // Listening once it has written its pid file (it binds its addresses first); or it exited.
            var started = time.GetTimestamp();
            while (!WrotePid(master.Id))
            {
                if (master.HasExited)
                {
                    throw new InvalidOperationException($"nginx ({options.NginxPath}) exited with {master.ExitCode.ToString(CultureInfo.InvariantCulture)} at its start: see its messages above (is another process listening on {string.Join(", ", site.Listen)}?)");
                }

                if (time.GetElapsedTime(started) > StartWait)
                {
                    throw new TimeoutException($"nginx ({options.NginxPath}) did not write {PidPath} within {StartWait.TotalSeconds} s of its start");
                }

                await Task.Delay(Poll, time, cancellationToken);
            }
        }
        catch
        {
            // A master that did not come up is not left behind (whoever else ends it too).
            await EndAsync(master, CancellationToken.None);
            throw;
        }

        var addresses = string.Join(", ", site.Listen);
        LogStarted(master.Id, addresses, ConfigPath);
    }

    private bool WrotePid(int pid)
    {
        try
        {
            return File.Exists(PidPath) && File.ReadAllText(PidPath).Trim() == pid.ToString(CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Starts nginx again whenever it dies, with the last configuration it accepted.</summary>
    private async Task SuperviseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Process master;
            lock (_lock)
            {
                master = _master!;
            }

            await ExitAsync(master, stopping);
            LogDied(master.Id, master.ExitCode);

            // Its workers go on serving the old routes and hold its addresses: they go with it.
            if (NginxProcesses.GroupAlive(master.Id))
            {
                _ = LibC.Kill(-master.Id, LibC.SigKill);
            }

            await Task.Delay(RestartPause, time, stopping);
            await _config.WaitAsync(stopping);
            try
            {
                await LaunchAsync(stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRestartFailed(e);
            }
            finally
            {
                _config.Release();
            }
        }
    }

    /// <summary>Ends a master and its process group: gracefully (SIGQUIT) for up to <see cref="StopWait"/>, then SIGKILL; returns once none of them is alive (or, at worst, after another <see cref="StopWait"/>).</summary>
    private async Task EndAsync(Process master, CancellationToken cancellationToken)
    {
        var graceful = false;
        if (!master.HasExited)
        {
            _ = LibC.Kill(master.Id, LibC.SigQuit);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(StopWait);
            try
            {
                await ExitAsync(master, wait.Token);
                graceful = true;
            }
            catch (OperationCanceledException)
            {
            }
        }

        // A master that exits gracefully has waited for its workers. Otherwise they are ended
        // with it; its pid cannot have been given to another process while it (or they) live.
        if (!graceful && (!master.HasExited || NginxProcesses.GroupAlive(master.Id)))
        {
            _ = LibC.Kill(-master.Id, LibC.SigKill);
        }

        var since = time.GetTimestamp();
        while ((!master.HasExited || NginxProcesses.GroupAlive(master.Id)) && time.GetElapsedTime(since) < StopWait)
        {
            await Task.Delay(Poll, time, CancellationToken.None);
        }
    }

    /// <summary>
    /// When the process has exited. Not <see cref="Process.WaitForExitAsync"/>: it also waits for
    /// the end of its redirected output, which a killed master's workers hold open.
    /// </summary>
    private static async Task ExitAsync(Process process, CancellationToken cancellationToken)
    {
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult();
        if (process.HasExited)
        {
            exited.TrySetResult();
        }

        await exited.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// An nginx of this directory left running (by a toolgridd that died, or stopped while it
    /// started one): ended, so that its addresses are free. Only a process that is really that
    /// nginx's master (<see cref="NginxProcesses.IsMasterOf"/>) is signalled.
    /// </summary>
    private async Task EndLeftoverAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(PidPath, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        if (!NginxProcesses.IsMasterOf(pid, options.NginxPath, ConfigPath))
        {
            if (Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)))
            {
                LogNotOurs(PidPath, pid, ConfigPath);
            }

            return;
        }

        LogLeftover(pid);
        _ = LibC.Kill(pid, LibC.SigQuit);
        var since = time.GetTimestamp();
        while (NginxProcesses.GroupAlive(pid) && time.GetElapsedTime(since) < StopWait)
        {
            await Task.Delay(Poll, time, cancellationToken);
        }

        // While any of its group lives, the group's id is not another process's.
        if (NginxProcesses.GroupAlive(pid))
        {
            _ = LibC.Kill(-pid, LibC.SigKill);
            since = time.GetTimestamp();
            while (NginxProcesses.GroupAlive(pid) && time.GetElapsedTime(since) < StopWait)
            {
                await Task.Delay(Poll, time, cancellationToken);
            }
        }
    }
}
