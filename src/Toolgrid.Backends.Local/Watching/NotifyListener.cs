using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Toolgrid.Backends.Local.Native;

namespace Toolgrid.Backends.Local.Watching;

/// <summary>The Unix datagram socket the shepherds notify: <c>waiting &lt;runId&gt;</c>, <c>started &lt;runId&gt;</c>, <c>exited &lt;runId&gt;</c>.</summary>
/// <remarks>
/// Notifications are only a hint to look at a run's directory now rather than at the next rescan:
/// they carry no state, so one lost (toolgridd down, socket full) costs a little latency, nothing else.
/// </remarks>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256];

    public NotifyListener(string path)
    {
        // A socket file left by an earlier toolgridd (killed, so it could not clean up) is replaced.
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            _socket.Bind(new UnixDomainSocketEndPoint(path));
            PrivateFiles.RestrictToOwner(path);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The run id of the next notification; null for a datagram that is not one.</summary>
    public async Task<long?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken);
        var words = Encoding.ASCII.GetString(_buffer, 0, length).Split(' ');
        return words.Length == 2 && words[0] is "waiting" or "started" or "exited" &&
            long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
            ? runId
            : null;
    }

    public void Dispose() => _socket.Dispose();
}
