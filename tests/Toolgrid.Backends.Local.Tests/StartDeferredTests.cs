using System.Net;
using System.Net.Sockets;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Users;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>
/// Starts that cannot happen yet, with real shepherds: the run directory's disk is full, or the
/// run's port is taken. <see cref="LocalBackend.StartAsync"/> says why (<see cref="StartDeferredException"/>),
/// starts nothing and records no end, and the same run starts once when asked again after the cause is gone.
/// </summary>
[Collection(RealRuns.Name)]
public sealed class StartDeferredTests(ToolUserFixture user, ITestOutputHelper output) : IClassFixture<ToolUserFixture>
{
    private const int Page = 4096;

    [RootFact]
    public async Task A_run_whose_port_another_process_listens_on_is_not_started_and_the_error_names_that_process()
    {
        await using var harness = new BackendHarness(user, output);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var marker = Path.Combine(harness.Work, "ran");
        var launch = harness.Launch($"echo ran >> {marker}") with { Port = port };

        var refused = await Assert.ThrowsAsync<StartDeferredException>(() => harness.Backend.StartAsync(launch, CancellationToken.None));
        listener.Stop();
        await harness.Backend.StartAsync(launch, CancellationToken.None);
        var end = await harness.WaitForEndAsync(launch.RunId);

        Assert.Equal($"port {port} on node {harness.Backend.NodeName} is taken by process {Environment.ProcessId} ({File.ReadAllText("/proc/self/comm").Trim()})", refused.Message);
        Assert.Equal((BackendRunPhase.Exited, 0), (end.Phase, end.ExitCode));
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(marker));
    }

    [RootFact]
    public async Task A_run_whose_file_does_not_fit_on_a_full_disk_is_not_started_and_starts_once_space_is_back()
    {
        await using var harness = new BackendHarness(user, output);
        await using var disk = FullDisk.Mount(harness.RunDirectory);
        var backend = harness.NewBackend();
        var marker = Path.Combine(harness.Work, "ran");
        var launch = harness.Launch($"echo ran >> {marker}");

        var refused = await Assert.ThrowsAsync<StartDeferredException>(() => backend.StartAsync(launch, CancellationToken.None));
        Assert.Empty(await backend.ListAsync(CancellationToken.None));
        disk.Free(Page * 16);
        await backend.StartAsync(launch, CancellationToken.None);
        var end = await harness.WaitForEndAsync(launch.RunId, backend);

        Assert.StartsWith($"the disk of node {backend.NodeName} is full (cannot ", refused.Message, StringComparison.Ordinal);
        Assert.Contains($" {harness.RunDirectory}/.new-{launch.RunId}-", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("No space left on device)", refused.Message, StringComparison.Ordinal);
        Assert.Equal((BackendRunPhase.Exited, 0), (end.Phase, end.ExitCode));
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(marker));
    }

    [RootFact]
    public async Task A_run_whose_started_record_does_not_fit_is_left_unstarted_with_no_end_and_starts_once_space_is_back()
    {
        await using var harness = new BackendHarness(user, output);
        await using var disk = FullDisk.Mount(harness.RunDirectory);
        var backend = harness.NewBackend();
        var marker = Path.Combine(harness.Work, "ran");
        var launch = FillingOnePage(harness, harness.Launch($"echo ran >> {marker}"));

        // One page free: the run file fits in it, its started record does not.
        disk.Free(Page);
        var refused = await Assert.ThrowsAsync<StartDeferredException>(() => backend.StartAsync(launch, CancellationToken.None));
        var unstarted = harness.Run(launch.RunId).Read();
        disk.Free(Page * 16);
        await backend.StartAsync(launch, CancellationToken.None);
        var end = await harness.WaitForEndAsync(launch.RunId, backend);

        Assert.Equal($"the disk of node {backend.NodeName} is full (tg-shepherd: cannot write the started record to {harness.Run(launch.RunId).Path}: No space left on device)", refused.Message);
        Assert.Equal((null, null), (unstarted.Started, unstarted.Exit));
        Assert.Equal((BackendRunPhase.Exited, 0), (end.Phase, end.ExitCode));
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(marker));
    }

    /// <summary><paramref name="launch"/> with a variable that makes its run file (header and spec) nearly one page long.</summary>
    private static RunLaunch FillingOnePage(BackendHarness harness, RunLaunch launch)
    {
        var account = UserDatabase.Lookup(user: launch.UnixUser, launch.Uid, launch.Gid, withGroups: true, out _) ?? throw new InvalidOperationException("no such user");
        var settings = new ShepherdSettings(true, harness.CgroupParent, Path.Combine(harness.RunDirectory, "notify.sock"));
        int Size(RunLaunch l) => RunFileFormat.Header.Length + ShepherdSpec.Build(l, account, settings).Length;
        var padded = launch with { Environment = new Dictionary<string, string> { ["PAD"] = "" } };
        return padded with { Environment = new Dictionary<string, string> { ["PAD"] = new string('x', Page - 96 - Size(padded)) } };
    }

    /// <summary>A tmpfs of 1 MiB mounted over a directory and filled, page by page; unmounted on dispose.</summary>
    private sealed class FullDisk : IAsyncDisposable
    {
        private readonly string _directory;
        private readonly Stack<string> _fillers = new();

        private FullDisk(string directory) => _directory = directory;

        public static FullDisk Mount(string directory)
        {
            Command.Run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", directory);
            var disk = new FullDisk(directory);
            try
            {
                for (var i = 0; ; i++)
                {
                    var filler = Path.Combine(directory, $".filler-{i}");
                    try
                    {
                        File.WriteAllBytes(filler, new byte[Page]);
                    }
                    catch (IOException)
                    {
                        // Full: the last one did not fit.
                        File.Delete(filler);
                        break;
                    }

                    disk._fillers.Push(filler);
                }
            }
            catch
            {
                Command.Run("umount", directory);
                throw;
            }

            return disk;
        }

        /// <summary>Frees at least <paramref name="bytes"/>.</summary>
        public void Free(int bytes)
        {
            for (var freed = 0; freed < bytes && _fillers.TryPop(out var filler); freed += Page)
            {
                File.Delete(filler);
            }
        }

        public ValueTask DisposeAsync()
        {
            Command.Run("umount", _directory);
            return ValueTask.CompletedTask;
        }
    }
}
