using System.Net;
using Toolgrid.Backends.Local.Health;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>Reading <c>/proc/net/tcp</c> and <c>tcp6</c> for the sockets that listen.</summary>
public sealed class ListeningSocketsTests
{
    private const string Tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 50001        0 1 1 0000000000000000 100 0 0 10 0
           1: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000 50001        0 2 1 0000000000000000 100 0 0 10 0
           2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000 50001        0 3 1 0000000000000000 20 4 30 10 -1
           3: 0F02000A:1F92 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0000000000000000 100 0 0 10 0
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:1F93 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 50001        0 5 1 0000000000000000 100 0 0 10 0
           1: 00000000000000000000000001000000:1F94 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 50001        0 6 1 0000000000000000 100 0 0 10 0
        """;

    [Fact]
    public void Parse_ReadsTheListeningSockets_WithTheirAddressPortAndOwner()
    {
        var v4 = ListeningSockets.Parse(Tcp, v6: false).ToList();
        var v6 = ListeningSockets.Parse(Tcp6, v6: true).ToList();

        Assert.Equal([(IPAddress.Loopback, 8080, 50001), (IPAddress.Any, 8081, 50001), (IPAddress.Parse("10.0.2.15"), 8082, 0)], v4);
        Assert.Equal([(IPAddress.IPv6Any, 8083, 50001), (IPAddress.IPv6Loopback, 8084, 50001)], v6);
    }
}
