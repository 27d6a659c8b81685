using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

public sealed class SgeNodesTests
{
    [Fact]
    public void Capacity_gives_each_host_its_queues_slots_memory_and_cpus()
    {
        var nodes = SgeNodes.Capacity(QhostXml.Parse(TestData.Read("qhost-F-h_vmem.xml")), QstatXml.ParseQueueInstances(TestData.Read("qstat-f.xml")));

        Assert.Equal(["node1-gs27702", "node2-gs27702"], nodes.Select(n => n.Name));
        Assert.Equal(["dedicated", "default"], nodes[1].Queues);
        Assert.Equal((16, true, 2000, "node2-gs27702"), (nodes[1].Slots, nodes[1].Up, nodes[1].CpuMillis, nodes[1].Address));
        Assert.Equal((long)(23.5 * 1024 * 1024 * 1024), nodes[1].MemoryBytes);
    }

    [Fact]
    public void Capacity_says_a_node_is_down_when_none_of_its_queue_instances_takes_work()
    {
        var hosts = QhostXml.Parse(TestData.Read("qhost-F-h_vmem.xml"));

        var drained = SgeNodes.Capacity(hosts, QstatXml.ParseQueueInstances(TestData.Read("qstat-f-node1-disabled.xml")));
        var lost = SgeNodes.Capacity(hosts, QstatXml.ParseQueueInstances(TestData.Read("qstat-f-node2-unknown.xml")));

        Assert.Equal([false, true], drained.Select(n => n.Up));
        Assert.Equal([true, false], lost.Select(n => n.Up));
    }
}
