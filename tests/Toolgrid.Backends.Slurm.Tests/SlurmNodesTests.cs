namespace Toolgrid.Backends.Slurm.Tests;

public sealed class SlurmNodesTests
{
    [Fact]
    public void Capacity_gives_each_node_its_queues_slots_memory_cpus_and_address()
    {
        var nodes = SlurmNodes.Capacity(CapturedOutput.Nodes("sinfo.json"), "tools");

        Assert.Equal(["node1-sl24825", "node2-sl24825"], nodes.Select(n => n.Name));
        Assert.Equal([["default"], ["dedicated", "default"]], nodes.Select(n => n.Queues));
        Assert.Equal((8, 8000, 8192L * 1024 * 1024, "10.213.208.12", true), (nodes[1].Slots, nodes[1].CpuMillis, nodes[1].MemoryBytes, nodes[1].Address, nodes[1].Up));
    }

    [Fact]
    public void Capacity_says_a_drained_or_dead_node_takes_no_work()
    {
        var drained = SlurmNodes.Capacity(CapturedOutput.Nodes("sinfo-node1-drained.json"), "tools");
        var dead = SlurmNodes.Capacity(CapturedOutput.Nodes("sinfo-node2-down.json"), "tools");

        Assert.Equal([false, true], drained.Select(n => n.Up));
        Assert.Equal([true, false], dead.Select(n => n.Up));
    }

    [Fact]
    public void Sinfo_gives_why_a_node_is_out()
    {
        var drained = CapturedOutput.Nodes("sinfo-node1-drained.json")[0];
        var dead = CapturedOutput.Nodes("sinfo-node2-down.json")[1];

        Assert.Equal((true, false, "drained by slurm-cluster.sh"), (drained.Drained, drained.NotResponding, drained.Reason));
        Assert.Equal((false, true, "down", "Not responding"), (dead.Drained, dead.NotResponding, dead.State, dead.Reason));
        Assert.Equal((1, 1024L), (CapturedOutput.Nodes("sinfo.json")[1].AllocatedCpus, CapturedOutput.Nodes("sinfo.json")[1].AllocatedMemoryMegabytes));
    }
}
