using System.Diagnostics;
using System.Globalization;
using Toolgrid.Bench.Native;
using Toolgrid.Cli.Api;

namespace Toolgrid.Bench.Server;

/// <summary>
/// A real toolgridd for the benchmark, as root in multi-user mode: its own data root, state
/// directory and API socket under a temporary directory, no TCP, the benchmark's Unix user
/// prefix and uid range, and its own cgroup parent. Its log (Debug for Toolgrid's own
/// categories, microsecond UTC timestamps) is kept for the breakdown of where time goes.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly BenchNames _names;
    private readonly string _toolgridd;
    private readonly IReadOnlyList<string> _environment;
    private Process? _process;
    private bool _perfMap;

    public BenchServer(BenchNames names, string root, string toolgridd, string logPath, IReadOnlyList<string>? environment = null)
    {
        _environment = environment ?? [];
        _names = names;
        _toolgridd = toolgridd;
        Root = root;
        Log = new ServerLog(logPath);
    }

    public string Root { get; }

    public string DataRoot => Path.Combine(Root, "data");

    public string StateDirectory => Path.Combine(Root, "state");

    public string RunDirectory => Path.Combine(StateDirectory, "runs");

    public string Socket => Path.Combine(Root, "api.sock");

    public string CgroupParent => _names.CgroupParent;

    public ServerLog Log { get; }

    /// <summary>The front proxy's address, when started as deployed (<c>asDeployed</c>); null otherwise.</summary>
    public string? ProxyUrl { get; private set; }

    public int Pid => _process?.Id ?? throw new InvalidOperationException("toolgridd is not running");

    /// <summary>The CPU time of toolgridd and everything it starts (null where cgroup v1 cpuacct is not mounted).</summary>
    public PlatformCpu? Cpu { get; private set; }

    public ToolgridClient CreateClient() => ToolgridClient.Create(ApiAddress.UnixSocket(Socket));

    public string HomeOf(string tool) => Path.Combine(DataRoot, tool);

    /// <summary>Starts toolgridd and waits until it says it is up and answers on its socket.</summary>
    /// <param name="extraArguments">Further arguments for toolgridd.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <param name="perfMap">Whether toolgridd writes perf maps for its JIT-compiled code.</param>
    /// <param name="asDeployed">
    /// Toolgridd as <c>run.sh</c> starts it: the API and the front proxy on TCP (loopback ports
    /// found free) and its default logging, rather than no TCP and Debug logs for the breakdowns.
    /// </param>
    public async Task StartAsync(IEnumerable<string> extraArguments, CancellationToken cancellationToken, bool perfMap = false, bool asDeployed = false)
    {
        var info = new ProcessStartInfo(_toolgridd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        ProxyUrl = asDeployed ? $"http://127.0.0.1:{FreePort()}" : null;
        string[] listeners = asDeployed
            ? ["--api-urls", $"http://127.0.0.1:{FreePort()}", "--proxy-urls", ProxyUrl!]
            : ["--api-urls", "", "--proxy-urls", ""];
        string[] logging = asDeployed
            ? []
            :
            [
                "--Logging:Console:FormatterName=simple",
                "--Logging:Console:FormatterOptions:SingleLine=true",
                "--Logging:Console:FormatterOptions:UseUtcTimestamp=true",
                $"--Logging:Console:FormatterOptions:TimestampFormat={LogLine.TimestampFormat}",
                "--Logging:LogLevel:Toolgrid=Debug",
            ];
        string[] arguments =
        [
            "--data-root", DataRoot,
            "--state-dir", StateDirectory,
            "--api-socket", Socket,
            .. listeners,
            $"--Toolgrid:Accounts:SudoersFile={_names.SudoersFile}",
            $"--Toolgrid:Accounts:UnixUserPrefix={_names.UnixUserPrefix}",
            $"--Toolgrid:Accounts:UidMin={_names.UidMin.ToString(CultureInfo.InvariantCulture)}",
            $"--Toolgrid:Accounts:UidMax={_names.UidMax.ToString(CultureInfo.InvariantCulture)}",
            $"--Toolgrid:Local:CgroupParent={_names.CgroupParent}",
            .. logging,
        ];
        foreach (var argument in arguments.Concat(extraArguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var variable in _environment)
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                info.Environment[variable[..equals]] = variable[(equals + 1)..];
            }
        }

        _perfMap = perfMap;
        if (perfMap)
        {
            // /tmp/perf-PID.map: perf can then name the JIT-compiled methods it samples.
            info.Environment["DOTNET_PerfMapEnabled"] = "1";

            // Without W^X, JIT-compiled code sits in anonymous memory, where perf looks the map up.
            info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{_toolgridd} did not start");
        _process = process;
        process.OutputDataReceived += (_, e) => Log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => Log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Cpu = PlatformCpu.Attach(process.Id, _names.CgroupParent);

        var time = TimeProvider.System;
        var begun = time.GetTimestamp();
        using var client = CreateClient();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"toolgridd exited with {process.ExitCode}:\n{Log.Text}");
            }

            if (Log.Text.Contains(" is up. ", StringComparison.Ordinal))
            {
                try
                {
                    await client.WhoAmIAsync(cancellationToken);
                    return;
                }
                catch (ApiUnreachableException)
                {
                    // Not listening yet.
                }
            }

            if (time.GetElapsedTime(begun) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"toolgridd did not come up within 60 s:\n{Log.Text}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    /// <summary>Stops toolgridd with SIGTERM (its runs, if any, go on under their shepherds), SIGKILL after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                Posix.Kill(process.Id, 15);
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30), TimeProvider.System);
                try
                {
                    await process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        finally
        {
            var pid = process.Id;
            process.Dispose();
            Log.Flush();
            if (_perfMap)
            {
                // The runtime leaves its perf maps behind (several MB each).
                File.Delete($"/tmp/perf-{pid.ToString(CultureInfo.InvariantCulture)}.map");
                File.Delete($"/tmp/perfinfo-{pid.ToString(CultureInfo.InvariantCulture)}.map");
            }
        }
    }

    /// <summary>Kills toolgridd with SIGKILL (its runs go on under their shepherds), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        Posix.Kill(process.Id, Posix.SigKill);
        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
        Log.Flush();
    }

    /// <summary>A loopback port nothing listens on now: the kernel's pick for port 0.</summary>
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        File.Delete(_names.SudoersFile);
        Log.Dispose();
    }
}
