using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class QueueChoiceTests
{
    [Fact]
    public void For_DedicatedQueueWithAnUpNode_IsThatQueue() =>
        Assert.Equal(
            new QueueChoice("dedicated", false),
            QueueChoice.For("dedicated", [Sample.Node("node1"), Sample.Node("node2", queues: ["default", "dedicated"])]));

    [Fact]
    public void For_DedicatedQueueWhoseNodesAreAllDown_IsDefault() =>
        Assert.Equal(
            new QueueChoice("default", true),
            QueueChoice.For("dedicated", [Sample.Node("node1"), Sample.Node("node2", up: false, queues: ["default", "dedicated"]), Sample.Node("node3", up: false, queues: "dedicated")]));

    [Fact]
    public void For_DedicatedQueueNoNodeServes_IsDefault() =>
        Assert.Equal(new QueueChoice("default", true), QueueChoice.For("dedicated", [Sample.Node("node1")]));

    [Fact]
    public void For_DefaultQueue_IsDefaultEvenWithNoUpNode() =>
        Assert.Equal(new QueueChoice("default", false), QueueChoice.For("default", [Sample.Node("node1", up: false)]));

    [Fact]
    public void For_NoNodesReported_KeepsTheQueue() =>
        Assert.Equal(new QueueChoice("dedicated", false), QueueChoice.For("dedicated", []));

    [Fact]
    public void Note_FallBack_SaysWhereAndWhy()
    {
        Assert.Equal("running in default: no usable node in dedicated", QueueChoice.Note("dedicated", "default"));
        Assert.Null(QueueChoice.Note("dedicated", "dedicated"));
        Assert.Null(QueueChoice.Note("dedicated", null));
    }
}
