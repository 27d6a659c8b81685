using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>Reading <c>scontrol show partition -o</c>.</summary>
public sealed class SlurmPartitionTests
{
    [Fact]
    public void Every_partition_is_read_with_the_default_one_marked() =>
        Assert.Equal(
            [new SlurmPartition("tools", true), new SlurmPartition("dedicated", false)],
            SlurmPartition.ParseAll(TestData.Read("scontrol-partitions.txt")));

    [Fact]
    public void A_cluster_without_partitions_has_none() =>
        Assert.Empty(SlurmPartition.ParseAll("No partitions in the system\n"));

    [Fact]
    public void A_line_that_is_no_partition_is_an_error_quoting_it()
    {
        var e = Assert.Throws<SlurmOutputException>(() => SlurmPartition.ParseAll("Nodes=n1 Default=YES\n"));

        Assert.Contains("'Nodes=n1 Default=YES'", e.Message, StringComparison.Ordinal);
    }
}
