using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Toolgrid.Native;
using Toolgrid.Proxy.Routing;

namespace Toolgrid.Proxy.Nginx;

/// <summary>
/// nginx as the proxy's data plane: toolgridd's child, started with the proxy and stopped with
/// it, started again when it dies; its configuration written from the routes
/// (<see cref="NginxConfig"/>), atomically and only when it changes, then a reload (SIGHUP to
/// the master, which starts new workers and lets the old ones finish their requests).
/// </summary>
/// <remarks>
/// Its directory (configuration, pid file, temporary files) is created root's, 0711: nginx's
/// workers reach their temporary directories in it (nginx makes those theirs), nobody else
/// can write in it, and the configuration (0600) holds the secret toolgridd knows nginx by.
/// </remarks>
public sealed partial class NginxDataPlane(ProxyOptions options, NginxSite site, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private const string Setsid = "/usr/bin/setsid";

    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Process? _master;
    private string _written = "";
    private ProxyState _state = ProxyState.Empty;
    private Task _supervision = Task.CompletedTask;

    public string ConfigPath => Path.Combine(site.Directory, "nginx.conf");

    public string PidPath => Path.Combine(site.Directory, "nginx.pid");

    /// <summary>The master's process id while it runs.</summary>
    public int? MasterPid => _master is { HasExited: false } master ? master.Id : null;

    /// <summary>Writes the configuration for <paramref name="state"/>, checks it, starts nginx and waits until it listens.</summary>
    public async Task StartAsync(ProxyState state, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(site.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(site.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(Path.Combine(site.Directory, "tmp"));
        await EndLeftoverAsync(cancellationToken);
        lock (_lock)
        {
            _state = state;
            Write(NginxConfig.Render(state, site, options));
        }

        var test = await RunTestAsync(cancellationToken);
        if (test is not null)
        {
            throw new InvalidOperationException($"nginx refuses the configuration toolgridd wrote ({ConfigPath}): {test}");
        }

        await LaunchAsync(cancellationToken);
        _supervision = SuperviseAsync(_stopping.Token);
    }

    /// <summary>Follows a route change: a new configuration and a reload when it differs from the one written. Returns whether it did.</summary>
    public bool Apply(ProxyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            _state = state;
            var text = NginxConfig.Render(state, site, options);
            if (text == _written)
            {
                return false;
            }

            try
            {
                Write(text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // nginx goes on with the routes it has; the next change (or read) tries again.
                LogWriteFailed(e, ConfigPath);
                return false;
            }

            if (_master is { HasExited: false } master)
            {
                _ = LibC.Kill(master.Id, LibC.SigHup);
                var tools = state.Webservices.Count;
                LogReloaded(master.Id, tools);
            }

            return true;
        }
    }

    /// <summary>Stops nginx gracefully (SIGQUIT: the workers finish their requests), then for good.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var master = _master;
        if (master is null || master.HasExited)
        {
            return;
        }

        _ = LibC.Kill(master.Id, LibC.SigQuit);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(StopWait);
        try
        {
            await ExitAsync(master, wait.Token);
        }
        catch (OperationCanceledException)
        {
            _ = LibC.Kill(-master.Id, LibC.SigKill);
        }

        try
        {
            await _supervision;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _master?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Writes beside, then renames over: nginx never reads half a file.</summary>
    private void Write(string text)
    {
        var temporary = ConfigPath + ".new";
        File.Delete(temporary);
        using (var file = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(text);
        }

        File.Move(temporary, ConfigPath, overwrite: true);
        _written = text;
    }

    /// <summary>
    /// nginx in a process group of its own (setsid: the master's pid is the group's), so that
    /// its workers, which outlive a master that was killed, can be ended with it.
    /// </summary>
    private ProcessStartInfo Command(params string[] arguments)
    {
        var info = new ProcessStartInfo(Setsid) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { options.NginxPath, "-e", "stderr", "-p", site.Directory + "/", "-c", ConfigPath }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private async Task<string?> RunTestAsync(CancellationToken cancellationToken)
    {
        using var test = Process.Start(Command("-t", "-q")) ?? throw new InvalidOperationException($"{options.NginxPath} did not start");
        var errors = test.StandardError.ReadToEndAsync(cancellationToken);
        await test.StandardOutput.ReadToEndAsync(cancellationToken);
        await test.WaitForExitAsync(cancellationToken);
        return test.ExitCode == 0 ? null : (await errors).Trim();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        File.Delete(PidPath);
        var master = Process.Start(Command()) ?? throw new InvalidOperationException($"{options.NginxPath} did not start");
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
        lock (_lock)
        {
            _master = master;
        }

        // Listening once it has written its pid file (it binds its addresses first); or it exited.
        var started = time.GetTimestamp();
        while (!File.Exists(PidPath))
        {
            if (master.HasExited)
            {
                throw new InvalidOperationException($"nginx ({options.NginxPath}) exited with {master.ExitCode.ToString(CultureInfo.InvariantCulture)} at its start: see its messages above (is another process listening on {string.Join(", ", site.Listen)}?)");
            }

            if (time.GetElapsedTime(started) > StartWait)
            {
                throw new TimeoutException($"nginx ({options.NginxPath}) did not write {PidPath} within {StartWait.TotalSeconds} s of its start");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken);
        }

        var addresses = string.Join(", ", site.Listen);
        LogStarted(master.Id, addresses, ConfigPath);
    }

    /// <summary>Starts nginx again whenever it dies, with the latest routes.</summary>
    private async Task SuperviseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var master = _master!;
            await ExitAsync(master, stopping);
            LogDied(master.Id, master.ExitCode);

            // Its workers go on serving the old routes and hold its addresses: they go with it.
            _ = LibC.Kill(-master.Id, LibC.SigKill);
            await Task.Delay(RestartPause, time, stopping);
            try
            {
                lock (_lock)
                {
                    Write(NginxConfig.Render(_state, site, options));
                }

                await LaunchAsync(stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRestartFailed(e);
            }
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

    /// <summary>An nginx of this directory left by a toolgridd that died: ended, so that its addresses are free.</summary>
    private async Task EndLeftoverAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(PidPath) || !int.TryParse((await File.ReadAllTextAsync(PidPath, cancellationToken)).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        string command;
        try
        {
            command = (await File.ReadAllTextAsync($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline", cancellationToken)).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return;
        }

        if (!command.Contains(ConfigPath, StringComparison.Ordinal))
        {
            return;
        }

        LogLeftover(pid);
        _ = LibC.Kill(-pid, LibC.SigQuit);
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }

        _ = LibC.Kill(-pid, LibC.SigKill);
    }

    [LoggerMessage(EventId = 5400, Level = LogLevel.Information, Message = "Proxy: nginx (pid {Pid}) is the data plane, listening on {Addresses}; its configuration is {Config}")]
    private partial void LogStarted(int pid, string addresses, string config);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "Proxy: nginx (pid {Pid}) reloads with new routes ({Tools} web services)")]
    private partial void LogReloaded(int pid, int tools);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "nginx: {Line}")]
    private partial void LogNginxSaid(string line);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Error, Message = "Proxy: nginx (pid {Pid}) exited with {ExitCode}; starting it again")]
    private partial void LogDied(int pid, int exitCode);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Error, Message = "Proxy: nginx could not be started again; trying again")]
    private partial void LogRestartFailed(Exception e);

    [LoggerMessage(EventId = 5406, Level = LogLevel.Error, Message = "Proxy: nginx's configuration {Config} could not be written; nginx goes on with the routes it has")]
    private partial void LogWriteFailed(Exception e, string config);

    [LoggerMessage(EventId = 5405, Level = LogLevel.Warning, Message = "Proxy: ending nginx (pid {Pid}) left running by an earlier toolgridd")]
    private partial void LogLeftover(int pid);
}
