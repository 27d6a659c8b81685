using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>
/// A real Slurm 22.05 cluster on this machine (<see cref="TestCluster"/>: slurmctld and two slurmd
/// nodes in network namespaces, partitions <c>tools</c>, the default, and <c>dedicated</c>), a
/// throwaway tool user, and a client of the cluster. Taken down at the end.
/// </summary>
public sealed class SlurmClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("the Slurm cluster is not up (the tests need root)");

    public SlurmClient Client { get; private set; } = null!;

    public SlurmCluster Settings { get; private set; } = null!;

    /// <summary>The cluster's default partition.</summary>
    public string DefaultPartition => Cluster.Environment["TOOLGRID_SLURM_DEFAULT_PARTITION"];

    public async Task InitializeAsync()
    {
        if (!RootFactAttribute.IsRoot)
        {
            return;
        }

        _cluster = await TestCluster.StartAsync("slurm", "sl");
        Settings = new SlurmCluster(_cluster.Environment["SLURM_CONF"], "/usr/bin", TimeZoneInfo.Local, _cluster.Environment["TOOLGRID_SLURM_JOBCOMP"]);
        Client = new SlurmClient(Settings, TimeProvider.System, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
