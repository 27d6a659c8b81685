using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class QueueAccessTests
{
    private static readonly string[] Existing = ["default", "dedicated", "gpu"];

    [Fact]
    public void Refusal_DefaultQueue_IsNullForEveryTool() =>
        Assert.Null(QueueAccess.Refusal("mytool", "default", Existing, []));

    [Fact]
    public void Refusal_GrantedDedicatedQueue_IsNull() =>
        Assert.Null(QueueAccess.Refusal("mytool", "dedicated", Existing, ["dedicated"]));

    [Fact]
    public void Refusal_DedicatedQueueGrantedToAnotherToolOnly_NamesTheUsableQueuesAndHowToAsk()
    {
        // Grants are per tool: the caller passes only this tool's, and gpu is someone else's.
        var refusal = QueueAccess.Refusal("mytool", "gpu", Existing, ["dedicated"]);

        Assert.Equal(
            "tool 'mytool' may not use queue 'gpu'; it may use: default, dedicated. A maintainer of the tool can ask an admin for it: toolgrid queues request gpu --tool mytool --reason \"what the tool needs it for\".",
            refusal);
    }

    [Fact]
    public void Refusal_GrantOfAQueueNoNodeServes_GivesNothing()
    {
        var refusal = QueueAccess.Refusal("mytool", "old", Existing, ["old"]);

        Assert.Equal("there is no queue named 'old' ('toolgrid queues list' shows them); tool 'mytool' may use: default.", refusal);
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("dedicated", true)]
    [InlineData("gpu", false)]
    public void MayUse_IsDefaultOrAGrant(string queue, bool expected) =>
        Assert.Equal(expected, QueueAccess.MayUse(queue, ["dedicated"]));
}
