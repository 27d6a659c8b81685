using Toolgrid.Core.Health;

namespace Toolgrid.Core.Tests.Health;

/// <summary>Where an HTTP health check goes: the node's address as the proxy has it, and the run's port.</summary>
public sealed class HttpCheckTests
{
    [Theory]
    [InlineData("node1-tg", 20001, "node1-tg:20001")]
    [InlineData("10.213.1.11", 20001, "10.213.1.11:20001")]
    [InlineData("fd00::11", 20001, "[fd00::11]:20001")]
    [InlineData("[fd00::11]", 20001, "[fd00::11]:20001")]
    [InlineData("::1", 8080, "[::1]:8080")]
    public void Authority_PutsAnIpv6AddressInBrackets_AndANameOrIpv4AddressAsItIs(string host, int port, string expected) =>
        Assert.Equal(expected, HttpCheck.Authority(host, port));
}
