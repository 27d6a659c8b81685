using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;

namespace Toolgrid.Server.Identity;

/// <summary>The kernel's word on who is at the other end of a Unix socket (SO_PEERCRED).</summary>
public readonly record struct PeerCredentials(int Pid, int Uid, int Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads the peer's credentials when the request came over a Unix socket.</summary>
    public static bool TryGet(HttpContext context, out PeerCredentials credentials)
    {
        credentials = default;
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || socket.AddressFamily != AddressFamily.Unix)
        {
            return false;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> buffer = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, buffer);
        if (length < 12)
        {
            return false;
        }

        credentials = new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(buffer),
            BinaryPrimitives.ReadInt32LittleEndian(buffer[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(buffer[8..]));
        return true;
    }
}
