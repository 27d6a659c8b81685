using Toolgrid.Core.Backends;
using Toolgrid.Core.Nodes;

namespace Toolgrid.Core.Tests.Nodes;

/// <summary>What a node's record takes from a sighting (<see cref="NodeSighting"/>).</summary>
public sealed class NodeSightingTests
{
    private static readonly DateTimeOffset Seen = Sample.Now;

    private static NodeCapacity Sighting(int slots = 8, bool up = true, double? load = 0.5) =>
        new("node1", ["default"], 64L << 30, 16_000, slots, up, LoadAverage: load);

    private static Node Recorded()
    {
        var node = new Node { Name = "node1", Backend = "local" };
        NodeSighting.Record(node, Sighting(), Seen);
        return node;
    }

    [Fact]
    public void Record_NewNode_TakesEverything()
    {
        var node = Recorded();

        Assert.Equal(NodeState.Up, node.State);
        Assert.Equal("default", node.Queues);
        Assert.Equal(8, node.Slots);
        Assert.Equal(0.5, node.LoadAverage);
        Assert.Equal(Seen, node.LastSeenAt);
    }

    [Fact]
    public void Record_SameNodeSoonAfter_WithAnotherLoad_LeavesTheRecordAsItWas()
    {
        var node = Recorded();

        NodeSighting.Record(node, Sighting(load: 1.7), Seen + NodeSighting.Refresh - TimeSpan.FromSeconds(1));

        Assert.Equal(0.5, node.LoadAverage);
        Assert.Equal(Seen, node.LastSeenAt);
    }

    [Fact]
    public void Record_SameNodeOnceItsSightingIsOld_RefreshesTheLoadAndTheTime()
    {
        var node = Recorded();
        var later = Seen + NodeSighting.Refresh;

        NodeSighting.Record(node, Sighting(load: 1.7), later);

        Assert.Equal(1.7, node.LoadAverage);
        Assert.Equal(later, node.LastSeenAt);
    }

    [Theory]
    [InlineData(false, 8)]
    [InlineData(true, 4)]
    public void Record_StateOrCapacityChanged_IsTakenAtOnce_WithTheTimeAndTheLoad(bool up, int slots)
    {
        var node = Recorded();
        var later = Seen + TimeSpan.FromSeconds(30);

        NodeSighting.Record(node, Sighting(slots, up, load: 1.7), later);

        Assert.Equal(up ? NodeState.Up : NodeState.Down, node.State);
        Assert.Equal(slots, node.Slots);
        Assert.Equal(1.7, node.LoadAverage);
        Assert.Equal(later, node.LastSeenAt);
    }

    [Fact]
    public void Record_NodeAnAdminDrained_StaysDraining()
    {
        var node = Recorded();
        node.DrainedAt = Seen;

        NodeSighting.Record(node, Sighting(), Seen + TimeSpan.FromSeconds(30));

        Assert.Equal(NodeState.Draining, node.State);
        Assert.Equal(Seen + TimeSpan.FromSeconds(30), node.LastSeenAt);
    }

    [Fact]
    public void SameRecord_ALoadAverageAlone_IsTheSame_AStateQueueOrNodeChange_IsNot()
    {
        IReadOnlyList<NodeCapacity> read = [Sighting(load: 0.5)];

        Assert.True(NodeSighting.SameRecord(read, [Sighting(load: 3.0)]));
        Assert.False(NodeSighting.SameRecord(read, [Sighting(up: false)]));
        Assert.False(NodeSighting.SameRecord(read, [Sighting() with { Drained = true }]));
        Assert.False(NodeSighting.SameRecord(read, [Sighting() with { Queues = ["default", "bigmem"] }]));
        Assert.False(NodeSighting.SameRecord(read, [Sighting(slots: 4)]));
        Assert.False(NodeSighting.SameRecord(read, [Sighting() with { Name = "node2" }]));
        Assert.False(NodeSighting.SameRecord(read, [Sighting(), Sighting() with { Name = "node2" }]));
    }
}
