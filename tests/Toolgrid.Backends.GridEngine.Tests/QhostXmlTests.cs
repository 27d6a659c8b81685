using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

public sealed class QhostXmlTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Fact]
    public void Parse_reads_each_execution_host_and_leaves_out_global()
    {
        var hosts = QhostXml.Parse(TestData.Read("qhost-F-h_vmem.xml"));

        Assert.Equal(["node1-gs27702", "node2-gs27702"], hosts.Select(h => h.Name));
        var node2 = hosts[1];
        Assert.Equal(2, node2.Processors);
        Assert.Equal((long)(23.5 * GiB), node2.MemoryTotalBytes);
        Assert.Equal(7 * GiB, node2.VmemAvailableBytes);
        Assert.Equal(4.00, node2.LoadAverage);
    }

    [Fact]
    public void Parse_gives_no_load_for_a_host_not_heard_from()
    {
        var dead = QhostXml.Parse(TestData.Read("qhost-node2-dead.xml")).Single(h => h.Name == "node2-gs27702");

        Assert.Null(dead.LoadAverage);
        Assert.Null(dead.MemoryUsedBytes);
        Assert.Equal(2, dead.Processors);
    }

    [Theory]
    [InlineData("0.0", 0L)]
    [InlineData("1024", 1024L)]
    [InlineData("570.9M", 598632038L)]
    [InlineData("2K", 2048L)]
    [InlineData("1T", 1024L * 1024 * 1024 * 1024)]
    public void Size_reads_sges_suffixes_as_powers_of_1024(string value, long bytes) => Assert.Equal(bytes, QhostXml.Size(value));

    [Fact]
    public void Size_refuses_what_is_not_a_size()
    {
        var e = Assert.Throws<SgeOutputException>(() => QhostXml.Size("lots", "n1"));

        Assert.Contains("'lots' for host n1, not a number", e.Message, StringComparison.Ordinal);
    }
}
