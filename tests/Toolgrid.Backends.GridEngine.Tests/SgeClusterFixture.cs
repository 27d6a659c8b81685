using System.Globalization;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>
/// A real SGE 8.1.9 cluster on this machine (<see cref="TestCluster"/>: a qmaster and two execution
/// hosts in network namespaces, queues <c>default</c> and <c>dedicated</c>; no
/// <c>reschedule_unknown</c>), a throwaway tool user (uid ≥ 1000: the cell refuses lower ones), and
/// a client of the cell. Taken down at the end.
/// </summary>
public sealed class SgeClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("the SGE cluster is not up (the tests need root)");

    public SgeClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!RootFactAttribute.IsRoot)
        {
            return;
        }

        // SGE's own default reschedule_unknown (never): a job on a node that stops answering stays
        // listed there, as the backend's node loss expects, and a qmaster restart reaps no job
        // whose execd registers again late (the script's 10 s does both).
        _cluster = await TestCluster.StartAsync("sge", "gst", new Dictionary<string, string> { ["TOOLGRID_SGE_RESCHEDULE_UNKNOWN"] = "00:00:00" });
        var environment = _cluster.Environment;
        var cell = new SgeCell(
            environment["SGE_ROOT"],
            environment["SGE_CELL"],
            int.Parse(environment["SGE_QMASTER_PORT"], CultureInfo.InvariantCulture),
            int.Parse(environment["SGE_EXECD_PORT"], CultureInfo.InvariantCulture),
            environment["TOOLGRID_SGE_BIN"],
            TimeZoneInfo.Local);
        Client = new SgeClient(cell, TimeProvider.System, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
