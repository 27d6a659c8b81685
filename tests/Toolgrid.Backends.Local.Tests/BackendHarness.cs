using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Backends.Local.Isolation;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Native;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>
/// One test's local backend: its own run directory, its own cgroup parent and a work directory
/// in the tool's home; on dispose every run it started is ended and all of it is removed.
/// </summary>
internal sealed class BackendHarness : IAsyncDisposable
{
    /// <summary>How long a wait may take before it counts as a hang (never a promise of how long it takes).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ToolUserFixture _user;
    private readonly ITestOutputHelper _output;
    private readonly Action<LocalBackendOptions>? _configure;
    private readonly List<LocalBackend> _backends = [];
    private readonly List<StartedRecord> _started = [];
    private long _nextRunId;

    public BackendHarness(ToolUserFixture user, ITestOutputHelper output, Action<LocalBackendOptions>? configure = null)
    {
        _user = user;
        _output = output;
        _configure = configure;
        var name = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        RunDirectory = Path.Combine(user.Root, $"runs-{name}");
        CgroupParent = $"toolgrid-test-{name}";
        Work = Path.Combine(user.Home, $"work-{name}");
        Directory.CreateDirectory(Work);
        Command.Run("chown", $"{user.Uid}:{user.Gid}", Work);
        Backend = NewBackend();
    }

    public LocalBackend Backend { get; }

    public string RunDirectory { get; }

    public string CgroupParent { get; }

    /// <summary>A directory in the tool's home that the tool user owns.</summary>
    public string Work { get; }

    public ToolUserFixture User => _user;

    /// <summary>Another backend over the same run directory, as after a restart of toolgridd.</summary>
    public LocalBackend NewBackend()
    {
        var options = new LocalBackendOptions
        {
            RunDirectory = RunDirectory,
            CgroupParent = CgroupParent,
            RescanInterval = TimeSpan.FromMilliseconds(200),
        };
        _configure?.Invoke(options);
        var backend = new LocalBackend(Options.Create(options), TimeProvider.System, new TestOutputLogger<LocalBackend>(_output));
        _backends.Add(backend);
        return backend;
    }

    public long NextRunId() => Interlocked.Increment(ref _nextRunId);

    public RunLaunch Launch(
        string command,
        long? runId = null,
        long memoryBytes = 256L * 1024 * 1024,
        int cpuMillis = 1000,
        int maxProcesses = 100,
        string? stdout = null,
        string? stderr = null,
        TimeSpan? timeout = null,
        TimeSpan? grace = null,
        IReadOnlyDictionary<string, string>? environment = null) => new(
            runId ?? NextRunId(),
            "tool",
            "job",
            "node",
            "default",
            command,
            _user.Name,
            _user.Uid,
            _user.Gid,
            _user.Home,
            environment ?? new Dictionary<string, string>(),
            memoryBytes,
            cpuMillis,
            maxProcesses,
            stdout,
            stderr,
            timeout,
            grace ?? TimeSpan.FromSeconds(1));

    /// <summary>Waits (polling the list) for the run to reach a phase other than running.</summary>
    public Task<BackendRunReport> WaitForEndAsync(long runId, LocalBackend? backend = null) =>
        WaitForAsync(runId, r => r.Phase != BackendRunPhase.Running, backend);

    public async Task<BackendRunReport> WaitForAsync(long runId, Func<BackendRunReport, bool> until, LocalBackend? backend = null)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var reports = await (backend ?? Backend).ListAsync(patience.Token);
            if (reports.FirstOrDefault(r => r.RunId == runId) is { } report && until(report))
            {
                return report;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, patience.Token);
        }
    }

    public RunFile Run(long runId) => new(RunDirectory, runId);

    /// <summary>The run's started record; the run is ended on dispose even should its file be gone by then.</summary>
    public StartedRecord Started(long runId)
    {
        var started = Run(runId).Read().Started ?? throw new InvalidOperationException($"run {runId} has no started record");
        lock (_started)
        {
            _started.Add(started);
        }

        return started;
    }

    /// <summary>The processes of the tool user still alive (not zombies).</summary>
    public IReadOnlyList<int> LiveProcessesOfUser()
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var status = File.ReadAllLines(Path.Combine(directory, "status"));
                var uid = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                if (uid == _user.Uid.ToString(CultureInfo.InvariantCulture) && ProcStat.State(pid) is { } state && state != 'Z' && state != 'X')
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return pids;
    }

    public static bool IsGone(int pid) => ProcStat.State(pid) is null or 'Z' or 'X';

    /// <summary>Waits until <paramref name="condition"/> holds; the patience only catches a hang.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        // End whatever a failed test left running: shepherds first (so they start nothing), then the cgroups.
        foreach (var started in _started)
        {
            await KillAsync(started.ShepherdPid, started.ShepherdStartTime, started.CgroupDirectories);

            // Without cgroups, a command whose shepherd is gone is found by its process group (its own), if still the tool user's.
            if (LiveProcessesOfUser().Contains(started.Pid))
            {
                LibC.Kill(-started.Pid, LibC.SigKill);
            }
        }

        if (Directory.Exists(RunDirectory))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(RunDirectory))
            {
                var state = RunEntry.TryParseRunId(Path.GetFileName(entry), out var runId) ? RunEntry.Find(RunDirectory, runId)?.Read() : null;
                if (state?.Started is { } started)
                {
                    await KillAsync(started.ShepherdPid, started.ShepherdStartTime, started.CgroupDirectories);
                    PrivateTmp.Remove(started.PrivateTmp ?? []);
                }
                else if (state?.Waiting is { } waiting)
                {
                    // Held until its due time: its job process waits for a go that never comes once the shepherd is gone.
                    await KillAsync(waiting.ShepherdPid, waiting.ShepherdStartTime, waiting.CgroupDirectories);
                    PrivateTmp.Remove(waiting.PrivateTmp);
                }
            }

            Directory.Delete(RunDirectory, recursive: true);
        }

        foreach (var hierarchy in CgroupDetector.V1Hierarchies.Select(h => Path.Combine(CgroupDetector.Root, h)).Append(CgroupDetector.Root))
        {
            var parent = Path.Combine(hierarchy, CgroupParent);
            if (Directory.Exists(parent))
            {
                // Whatever is still in them (a test that failed, a run whose file it deleted) goes first.
                foreach (var leftover in Directory.GetDirectories(parent, "run-*"))
                {
                    await CgroupKiller.KillAndRemoveAsync([leftover], TimeProvider.System, CancellationToken.None);
                }

                Directory.Delete(parent);
            }
        }

        Directory.Delete(Work, recursive: true);
    }

    private static async Task KillAsync(int shepherdPid, long shepherdStartTime, IReadOnlyList<string> cgroupDirectories)
    {
        if (ProcStat.StartTime(shepherdPid) == shepherdStartTime)
        {
            LibC.Kill(shepherdPid, LibC.SigKill);
        }

        await CgroupKiller.KillAndRemoveAsync(cgroupDirectories, TimeProvider.System, CancellationToken.None);
    }
}
