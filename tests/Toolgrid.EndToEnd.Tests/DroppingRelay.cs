using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A Unix socket between the CLI and toolgridd's API that passes every HTTP/1.1 request on, and
/// for the first request only lets toolgridd answer it in full, then closes the caller's
/// connection without a byte of the answer: a connection lost after the API did the work, as a
/// crashed load balancer or a network fault would lose it.
/// </summary>
/// <remarks>
/// Each request is sent on with <c>Connection: close</c>, so its answer ends where toolgridd's
/// connection does. The API sees the relay's uid (the test's, root) through SO_PEERCRED.
/// </remarks>
public sealed class DroppingRelay : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly string _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;

    public DroppingRelay(string path, string target)
    {
        Path = path;
        _target = target;
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen();
        _accepting = AcceptAsync();
    }

    public string Path { get; }

    /// <summary>Each request as it came, head and body.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Each answer toolgridd gave, head and body, the dropped one included.</summary>
    public ConcurrentQueue<string> Answers { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        File.Delete(Path);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        {
            var request = await ReadRequestAsync(client);
            if (request is null)
            {
                return;
            }

            Requests.Enqueue(Encoding.UTF8.GetString(request));
            using var api = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await api.ConnectAsync(new UnixDomainSocketEndPoint(_target), _stop.Token);
            await api.SendAsync(request, _stop.Token);
            var answer = await ReadToEndAsync(api);
            Answers.Enqueue(Encoding.UTF8.GetString(answer));
            if (Interlocked.Increment(ref _requests) == 1)
            {
                // The work is done; the caller never hears of it.
                client.LingerState = new LingerOption(true, 0);
                return;
            }

            await client.SendAsync(answer, _stop.Token);
            client.Shutdown(SocketShutdown.Both);
        }
    }

    /// <summary>The request's head (with <c>Connection: close</c> put in) and its body of Content-Length bytes; null when the caller closed first.</summary>
    private async Task<byte[]?> ReadRequestAsync(Socket client)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
        {
            var read = await client.ReceiveAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString(buffer.GetRange(0, headEnd).ToArray());
        var lines = head.Split("\r\n").Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)).ToList();
        var length = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        while (buffer.Count < headEnd + 4 + length)
        {
            var read = await client.ReceiveAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        lines.Add("Connection: close");
        var body = buffer.GetRange(headEnd + 4, length).ToArray();
        return [.. Encoding.ASCII.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n"), .. body];
    }

    private async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var all = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(chunk, _stop.Token)) > 0)
        {
            all.Write(chunk, 0, read);
        }

        return all.ToArray();
    }

    private static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> pattern) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer).IndexOf(pattern);
}
