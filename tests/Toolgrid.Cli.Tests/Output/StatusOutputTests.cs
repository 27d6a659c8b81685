using Toolgrid.Cli.Output;
using Toolgrid.Cli.Tests.Support;

namespace Toolgrid.Cli.Tests.Output;

public sealed class StatusOutputTests
{
    [Fact]
    public void WriteStatus_SingleUser_SaysClearlyThatToolsAreNotIsolated()
    {
        var text = RenderedText.Of(console => StatusOutput.WriteStatus(console, Sample.Status("single-user"), RenderedText.Times()));

        Assert.Contains("NO isolation between tools", text, StringComparison.Ordinal);
        Assert.Contains("warning: tools are not isolated from each other", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteStatus_ShowsRolesBackendNodesAndCounts()
    {
        var text = RenderedText.Of(console => StatusOutput.WriteStatus(console, Sample.Status(), RenderedText.Times()));

        Assert.DoesNotContain("isolation", text, StringComparison.Ordinal);
        Assert.Contains("api, controller, proxy, node", text, StringComparison.Ordinal);
        Assert.Contains("local", text, StringComparison.Ordinal);
        Assert.Contains("2 running, 1 queued", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.Contains("node1", StringComparison.Ordinal) && l.Contains("up", StringComparison.Ordinal) && l.Contains("3 s ago", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("single-user", true)]
    [InlineData("SingleUser", true)]
    [InlineData("multi-user", false)]
    public void IsSingleUser_ReadsTheModeInAnySpelling(string mode, bool expected) =>
        Assert.Equal(expected, StatusOutput.IsSingleUser(mode));
}
