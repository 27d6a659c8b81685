using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>The backend's settings checked at start: every wrong value named, then slurm.conf, then slurmctld itself.</summary>
[Collection(RealSlurmCluster.Name)]
public sealed class SlurmBackendOptionsValidatorTests(SlurmClusterFixture slurm)
{
    private readonly SlurmBackendOptionsValidator _validator = new(TimeProvider.System);

    [Fact]
    public void Every_wrong_value_is_named_at_once()
    {
        var failures = Failures(new SlurmBackendOptions
        {
            ConfigFile = "slurm.conf",
            BinDirectory = "/nonexistent",
            StateDirectory = "state",
            PollInterval = TimeSpan.Zero,
            MissingWait = TimeSpan.FromSeconds(-1),
            DefaultPartition = "tools,dedicated",
        });

        Assert.Equal(
            [
                "Toolgrid:Slurm:ConfigFile must be an absolute path (it is \"slurm.conf\").",
                "Toolgrid:Slurm:StateDirectory must be an absolute path (it is \"state\").",
                "Toolgrid:Slurm:PollInterval must be positive (it is 00:00:00).",
                "Toolgrid:Slurm:MissingWait must be positive (it is -00:00:01).",
                "Toolgrid:Slurm:DefaultPartition must name one partition (it is \"tools,dedicated\"), or be left out for the cluster's default partition.",
            ],
            failures);
    }

    [Fact]
    public void A_missing_slurm_conf_is_named_with_the_other_wrong_values_before_any_client_waits_for_it() =>
        Assert.Equal(
            [
                "Toolgrid:Slurm:CommandTimeout must be positive (it is 00:00:00).",
                "Toolgrid:Slurm:ConfigFile: there is no /nonexistent/slurm.conf: set it to the cluster's slurm.conf (SLURM_CONF) on this host.",
            ],
            Failures(new SlurmBackendOptions { ConfigFile = "/nonexistent/slurm.conf", CommandTimeout = TimeSpan.Zero }));

    [RootFact]
    public void The_clusters_own_settings_pass_with_its_default_partition_named_or_not()
    {
        Assert.Empty(Failures(Options()));
        Assert.Empty(Failures(Options("dedicated")));
    }

    [RootFact]
    public void A_partition_the_cluster_does_not_have_is_named_with_those_it_has() =>
        Assert.Equal(
            "Toolgrid:Slurm:DefaultPartition: the cluster has no partition 'nosuchpartition' (it has tools, dedicated): name one of them, or add it to slurm.conf.",
            Assert.Single(Failures(Options("nosuchpartition"))));

    [RootFact]
    public void A_slurmctld_that_does_not_answer_stops_the_start_saying_what_to_check()
    {
        // The cluster's slurm.conf with slurmctld on a port where nothing listens.
        var config = Path.Combine(slurm.Cluster.Root, "dead-" + Guid.NewGuid().ToString("N") + ".conf");
        var lines = File.ReadAllLines(slurm.Cluster.Environment["SLURM_CONF"])
            .Select(line => line.StartsWith("SlurmctldPort=", StringComparison.Ordinal) ? "SlurmctldPort=" + FreePort() : line);
        File.WriteAllLines(config, lines);
        try
        {
            var options = Options();
            options.ConfigFile = config;

            var failure = Assert.Single(Failures(options));

            Assert.StartsWith($"Toolgrid:Slurm: slurmctld of {config} did not answer (", failure, StringComparison.Ordinal);
            Assert.EndsWith("is slurmctld running, and do SlurmctldHost and SlurmctldPort in " + config + " name it?", failure, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private SlurmBackendOptions Options(string? defaultPartition = null) =>
        new() { ConfigFile = slurm.Cluster.Environment["SLURM_CONF"], DefaultPartition = defaultPartition };

    private List<string> Failures(SlurmBackendOptions options) =>
        _validator.Validate(null, options).Failures?.ToList() ?? [];

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
