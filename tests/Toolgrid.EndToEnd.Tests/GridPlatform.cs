using System.Globalization;
using System.Security.Cryptography;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A <see cref="Platform"/> whose toolgridd runs its runs on a real Son of Grid Engine cluster
/// (<c>deploy/grid/sge-cluster.sh</c>: a qmaster and two execution hosts in network namespaces,
/// queues <c>default</c> and <c>dedicated</c>), brought up first and taken down last, with a name
/// of its own so that no other cluster on the machine is touched.
/// </summary>
public sealed class GridPlatform : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    private readonly string _clusterScript = Path.Combine(Platform.RepositoryRoot, "deploy", "grid", "sge-cluster.sh");
    private bool _clusterUp;

    public Platform Platform { get; } = new();

    public string ClusterName { get; } = "gse" + RandomNumberGenerator.GetInt32(100_000_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>What the cluster script says of the cluster: SGE_ROOT, SGE_CELL, the ports, the nodes' names.</summary>
    public IReadOnlyDictionary<string, string> Cluster { get; private set; } = new Dictionary<string, string>();

    /// <summary>toolgridd's settings for this cluster, as command-line arguments.</summary>
    public IReadOnlyList<string> GridArguments() =>
    [
        "--backend", "gridengine",
        $"--Toolgrid:GridEngine:Root={Cluster["SGE_ROOT"]}",
        $"--Toolgrid:GridEngine:Cell={Cluster["SGE_CELL"]}",
        $"--Toolgrid:GridEngine:QmasterPort={Cluster["SGE_QMASTER_PORT"]}",
        $"--Toolgrid:GridEngine:ExecdPort={Cluster["SGE_EXECD_PORT"]}",
        $"--Toolgrid:GridEngine:BinDirectory={Cluster["TOOLGRID_SGE_BIN"]}",
        "--Toolgrid:GridEngine:PollInterval=00:00:00.250",
    ];

    public async Task InitializeAsync()
    {
        if (!Platform.IsRoot)
        {
            return;
        }

        await MustAsync("/bin/bash", "-c", $"cd {Platform.RepositoryRoot} && . deploy/lib.sh && install_grid_packages sge");
        _clusterUp = true;
        var envFile = (await MustAsync(_clusterScript, "up", ClusterName)).Trim().Split('\n')[^1];
        Cluster = (await File.ReadAllLinesAsync(envFile))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        Platform.ExtraArguments.AddRange(GridArguments());
        await Platform.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (!Platform.IsRoot)
        {
            return;
        }

        try
        {
            await Platform.DisposeAsync();
        }
        finally
        {
            if (_clusterUp)
            {
                await MustAsync(_clusterScript, "down", ClusterName);
            }
        }
    }

    private static async Task<string> MustAsync(string program, params string[] arguments)
    {
        var result = await Command.RunAsync(program, arguments, timeout: ScriptTimeout);
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {result}");
    }
}
