using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A real toolgridd, started from its build output as root in multi-user mode, in a directory
/// of its own, with people (Unix users) to act as maintainers. Tests drive it with the real
/// toolgrid binary, run as those people. Everything is removed again on disposal, leftovers of
/// an interrupted earlier run included, so the tests pass when run twice in a row.
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    public const string ToolPrefix = "tge2e.";
    public const string PersonPrefix = "tge2e-";
    public const int UidMin = 62000;
    public const int UidMax = 62999;
    public const string CgroupParent = "toolgrid-e2e";

    /// <summary>The tests' own sudoers drop-in (the rules of <c>toolgrid become</c>), removed with the rest.</summary>
    public const string SudoersFile = "/etc/sudoers.d/tge2e";

    private readonly StringBuilder _log = new();
    private Process? _server;
    private int _markers;

    /// <summary>Where each platform's directory is: not in /tmp or /var/tmp, which every run gets a private one of (tools' homes are in there).</summary>
    public const string BaseDirectory = "/var/lib";

    public string Root { get; } = Path.Combine(BaseDirectory, "tge2e-" + Guid.NewGuid().ToString("N")[..8]);

    public string DataRoot => Path.Combine(Root, "data");

    public string StateDirectory => Path.Combine(Root, "state");

    public string Socket => Path.Combine(Root, "api.sock");

    public int Port { get; private set; }

    /// <summary>Where the front proxy listens.</summary>
    public int ProxyPort { get; private set; }

    /// <summary>More toolgridd arguments, e.g. <c>--Toolgrid:Mail:Host=…</c>; set before the platform starts.</summary>
    public List<string> ExtraArguments { get; } = [];

    /// <summary>Done once <see cref="Root"/> exists, before toolgridd first starts (e.g. mount a small disk in it).</summary>
    public Func<Task>? Preparing { get; set; }

    /// <summary>Done once toolgridd has stopped for good, before <see cref="Root"/> is removed (e.g. unmount what <see cref="Preparing"/> mounted).</summary>
    public Func<Task>? Stopped { get; set; }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Toolgridd => Path.Combine(RepositoryRoot, "artifacts", "bin", "Toolgrid.Server", "debug", "toolgridd");

    public static string ToolgridCli => Path.Combine(RepositoryRoot, "artifacts", "bin", "Toolgrid.Cli", "debug", "toolgrid");

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>What toolgridd has logged so far, across restarts.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string Person(string name) => PersonPrefix + name;

    public string HomeOf(string tool) => Path.Combine(DataRoot, tool);

    public async Task InitializeAsync()
    {
        if (!IsRoot)
        {
            return;
        }

        await MachineLock.AcquireAsync();
        await RemoveLeftoversAsync();
        Directory.CreateDirectory(Root);
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        foreach (var person in new[] { "alice", "bob", "carol" })
        {
            await Command.MustAsync("useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/bin/sh", Person(person));
        }

        Port = FreePort();
        ProxyPort = FreePort();
        if (Preparing is not null)
        {
            await Preparing();
        }

        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (!IsRoot)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            if (Stopped is not null)
            {
                await Stopped();
            }

            await RemoveLeftoversAsync();
            MachineLock.Release();
        }
    }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Toolgridd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in ServerArguments())
        {
            info.ArgumentList.Add(argument);
        }

        _server = Process.Start(info) ?? throw new InvalidOperationException("toolgridd did not start");
        _server.OutputDataReceived += (_, e) => Append(e.Data);
        _server.ErrorDataReceived += (_, e) => Append(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        // Generous: only a hang should reach it (migrations alone took 11 s on a machine at load 40).
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(180);
        while (true)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"toolgridd exited with {_server.ExitCode}:\n{Log}");
            }

            try
            {
                using var client = RootClient();
                var answer = await client.GetAsync("/healthz");
                if (answer.IsSuccessStatusCode && Log.Contains("toolgridd", StringComparison.Ordinal) && Log.Contains("is up", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"toolgridd did not come up:\n{Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    /// <summary>toolgridd's options: its directories, ports, and the tests' own names for users, cgroups and sudoers.</summary>
    public IReadOnlyList<string> ServerArguments() =>
    [
        "--data-root", DataRoot,
        "--state-dir", StateDirectory,
        "--api-socket", Socket,
        "--api-urls", $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}",
        "--proxy-urls", $"http://127.0.0.1:{ProxyPort.ToString(CultureInfo.InvariantCulture)}",
        $"--Toolgrid:Accounts:UnixUserPrefix={ToolPrefix}",
        $"--Toolgrid:Accounts:UidMin={UidMin}",
        $"--Toolgrid:Accounts:UidMax={UidMax}",
        $"--Toolgrid:Local:CgroupParent={CgroupParent}",
        $"--Toolgrid:Accounts:SudoersFile={SudoersFile}",

        // The local node serves a dedicated queue besides default, as the docs' queue examples need.
        "--Toolgrid:Local:Queues:0=default",
        "--Toolgrid:Local:Queues:1=dedicated",

        // The tests' few people create a tool or more per test; the cap per person has tests of its own.
        "--Toolgrid:Tools:MaxToolsPerPerson=1000",
        "--Logging:Console:FormatterName=simple",
        "--Logging:Console:FormatterOptions:SingleLine=true",
        .. ExtraArguments,
    ];

    /// <summary>Stops toolgridd: gracefully, or with SIGKILL to show that runs survive it.</summary>
    public async Task StopAsync(bool kill = false)
    {
        if (_server is null || _server.HasExited)
        {
            return;
        }

        if (kill)
        {
            _server.Kill();
        }
        else
        {
            await Command.RunAsync("kill", ["-TERM", _server.Id.ToString(CultureInfo.InvariantCulture)]);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _server.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _server.Kill();
            throw new TimeoutException($"toolgridd did not stop within 30 s of SIGTERM:\n{Log}");
        }

        _server.Dispose();
        _server = null;
    }

    /// <summary>Runs the real toolgrid CLI as a person (or as root when <paramref name="user"/> is null).</summary>
    public Task<CommandResult> CliAsync(string? user, params string[] arguments) => CliAsync(user, null, arguments);

    public Task<CommandResult> CliAsync(string? user, IDictionary<string, string>? environment, params string[] arguments)
    {
        var env = new List<string> { "/usr/bin/env", $"TOOLGRID_API=unix:{Socket}", "HOME=/", "NO_COLOR=1", "COLUMNS=200", "PATH=/usr/local/bin:/usr/bin:/bin" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env.Add($"{key}={value}");
        }

        env.Add(ToolgridCli);
        env.AddRange(arguments);
        if (user is null)
        {
            return Command.RunAsync(env[0], env.Skip(1));
        }

        var name = user.Contains('.', StringComparison.Ordinal) ? user : Person(user);
        return Command.RunAsync("setpriv", ["--reuid=" + name, "--regid=" + name, "--init-groups", "--reset-env", "--", .. env]);
    }

    /// <summary>Runs the CLI and fails the test if it does not exit 0.</summary>
    public async Task<string> MustAsync(string? user, params string[] arguments)
    {
        var result = await CliAsync(user, arguments);
        Assert.True(result.ExitCode == 0, $"toolgrid {string.Join(' ', arguments)} as {user ?? "root"} failed: {result}");
        return result.Stdout;
    }

    /// <summary>
    /// Runs a one-off job of <paramref name="tool"/> (as <paramref name="person"/>) to its end:
    /// the marker that proves "nothing happened", never a sleep. The controller pass that started
    /// it read the store after this was called, and a pass writes its queue and stop steps before
    /// it starts runs: whatever that pass decided about the tool's other jobs (a restart, a
    /// second copy) was in the store before this returns.
    /// </summary>
    public async Task ControllerPassAsync(string person, string tool)
    {
        var name = "marker-" + Interlocked.Increment(ref _markers).ToString(CultureInfo.InvariantCulture);
        await MustAsync(person, "jobs", "run", name, "--tool", tool, "--command", "true", "--wait");
    }

    /// <summary>An HTTP client on the API's Unix socket, as root.</summary>
    public HttpClient RootClient() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://localhost") };

    /// <summary>An HTTP client on the API's TCP port, with no credentials.</summary>
    public HttpClient TcpClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}") };

    /// <summary>A job as the API shows it, read as root.</summary>
    public async Task<JsonElement> JobAsync(string tool, string job)
    {
        using var client = RootClient();
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/tools/{tool}/jobs/{job}");
    }

    /// <summary>How long a wait lasts at the most: a catch for hangs, not a promise of time.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>Waits until <paramref name="condition"/> holds, for at most <see cref="Patience"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"waited {Patience.TotalMinutes} minutes for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }
    }

    /// <summary>Waits until a job, as the API shows it, satisfies <paramref name="condition"/>, and returns it.</summary>
    public async Task<JsonElement> WaitForJobAsync(string tool, string job, Func<JsonElement, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        JsonElement last = default;
        try
        {
            await EventuallyAsync(async () => condition(last = await JobAsync(tool, job)), $"{tool}/{job} to get there");
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message}; last seen: {last}\n{Log}", timedOut);
        }

        return last;
    }

    /// <summary>Waits until a node, as <c>toolgrid nodes list --json</c> shows it, satisfies <paramref name="condition"/>, and returns it.</summary>
    public async Task<JsonElement> WaitForNodeAsync(string node, Func<JsonElement, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        JsonElement last = default;
        try
        {
            await EventuallyAsync(
                async () =>
                {
                    using var listed = JsonDocument.Parse(await MustAsync("alice", "nodes", "list", "--json"));
                    last = listed.RootElement.EnumerateArray().Single(n => n.GetProperty("name").GetString() == node).Clone();
                    return condition(last);
                },
                $"node {node} to get there");
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message}; last seen: {last}\n{Log}", timedOut);
        }

        return last;
    }

    /// <summary>Waits until a job's newest run satisfies <paramref name="condition"/>.</summary>
    public async Task<JsonElement> WaitForRunAsync(string tool, string job, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? Patience);
        while (true)
        {
            using var client = RootClient();
            var answer = await client.GetAsync($"/api/v1/tools/{tool}/jobs/{job}");
            if (answer.StatusCode == System.Net.HttpStatusCode.NotFound && TimeProvider.System.GetUtcNow() < deadline)
            {
                // Not submitted yet (the CLI that submits it runs concurrently).
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
                continue;
            }

            var view = await answer.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            var runs = view.GetProperty("runs");
            if (runs.GetArrayLength() > 0 && condition(runs[0]))
            {
                return runs[0];
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"{tool}/{job} did not get there: {view}\n{Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static async Task RemoveLeftoversAsync()
    {
        foreach (var line in await File.ReadAllLinesAsync("/etc/passwd"))
        {
            var name = line.Split(':')[0];
            if (name.StartsWith(ToolPrefix, StringComparison.Ordinal) || name.StartsWith(PersonPrefix, StringComparison.Ordinal))
            {
                await Command.RunAsync("pkill", ["-KILL", "-u", name]);
                await Command.RunAsync("userdel", [name]);
            }
        }

        foreach (var line in await File.ReadAllLinesAsync("/etc/group"))
        {
            var name = line.Split(':')[0];
            if (name.StartsWith(ToolPrefix, StringComparison.Ordinal) || name.StartsWith(PersonPrefix, StringComparison.Ordinal))
            {
                await Command.RunAsync("groupdel", [name]);
            }
        }

        File.Delete(SudoersFile);

        // The runs' cgroups go with their shepherds; the parent the platform made for them is ours to remove.
        var hierarchies = Directory.Exists("/sys/fs/cgroup") ? Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup") : [];
        foreach (var parent in hierarchies.Select(h => Path.Combine(h, CgroupParent)).Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(parent);
            }
            catch (IOException)
            {
            }
        }

        foreach (var directory in Directory.GetDirectories(BaseDirectory, "tge2e-*"))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Toolgrid.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Toolgrid.slnx not found above " + AppContext.BaseDirectory);
    }
}
