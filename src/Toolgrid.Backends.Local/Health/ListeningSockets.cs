using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Toolgrid.Backends.Local.Health;

/// <summary>
/// Where a run listens on its port, from <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>: the
/// addresses other than loopback and the node's listen address, on which anyone who reaches the
/// node reaches the run around the proxy.
/// </summary>
/// <remarks>
/// Only sockets in the LISTEN state, on the run's port, owned by the tool's uid count. The files
/// are read for the network namespace of toolgridd, which is the runs' own.
/// </remarks>
internal static class ListeningSockets
{
    private const string Listen = "0A";

    /// <summary>The sockets listening outside, as <c>0.0.0.0:8123</c> or <c>[::]:8123</c>, joined by ", "; empty when there are none.</summary>
    /// <param name="port">The run's port.</param>
    /// <param name="uid">The uid its sockets are owned by.</param>
    /// <param name="allowed">The node's listen address: listening there is what the run was told to do.</param>
    public static string Outside(int port, int uid, IPAddress allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var found = new List<IPEndPoint>();
        foreach (var (file, v6) in new[] { ("/proc/net/tcp", false), ("/proc/net/tcp6", true) })
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                // No IPv6 on this host (or no /proc): nothing listens there.
                continue;
            }

            found.AddRange(Parse(text, v6).Where(s => s.Port == port && s.Uid == uid).Select(s => new IPEndPoint(s.Address, s.Port)));
        }

        return string.Join(", ", found.Where(e => !IsAllowed(e.Address, allowed)).Distinct().Select(e => e.ToString()));
    }

    /// <summary>The listening sockets in the text of <c>/proc/net/tcp</c> (or <c>tcp6</c>, <paramref name="v6"/>).</summary>
    public static IEnumerable<(IPAddress Address, int Port, int Uid)> Parse(string text, bool v6)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.Split('\n').Skip(1))
        {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid …
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8 || fields[3] != Listen)
            {
                continue;
            }

            var local = fields[1].Split(':');
            if (local.Length != 2
                || !int.TryParse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
                || !int.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                || Address(local[0], v6) is not { } address)
            {
                continue;
            }

            yield return (address, port, uid);
        }
    }

    /// <summary>Loopback, or where the run was told to listen (every address, when that is what it was told).</summary>
    private static bool IsAllowed(IPAddress address, IPAddress allowed)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return IPAddress.IsLoopback(plain)
            || plain.Equals(allowed)
            || allowed.Equals(IPAddress.Any)
            || allowed.Equals(IPAddress.IPv6Any);
    }

    /// <summary>The kernel prints an address as 32-bit words in hex, each in the host's byte order.</summary>
    private static IPAddress? Address(string hex, bool v6)
    {
        var length = v6 ? 16 : 4;
        if (hex.Length != length * 2)
        {
            return null;
        }

        var bytes = new byte[length];
        for (var word = 0; word < length / 4; word++)
        {
            if (!uint.TryParse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(word * 4), value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(word * 4), value);
            }
        }

        var address = new IPAddress(bytes);
        return address.AddressFamily == (v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork) ? address : null;
    }
}
