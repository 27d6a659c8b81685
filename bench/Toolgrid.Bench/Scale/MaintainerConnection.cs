using System.Net.Sockets;
using Toolgrid.Cli.Api;

namespace Toolgrid.Bench.Scale;

/// <summary>
/// A <see cref="ToolgridClient"/> on toolgridd's Unix socket whose connections are a maintainer's
/// (a person's uid, as the CLI on the login host would be), made by a bench that runs as root.
/// </summary>
internal sealed class MaintainerConnection : IDisposable
{
    private static readonly Lock Connecting = new();

    private readonly HttpClient _http;

    public MaintainerConnection(string socket, int uid, int gid)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, _) =>
            {
                var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    // One connect at a time, on this thread, as the maintainer; back to root at once.
                    lock (Connecting)
                    {
                        ThreadIdentity.Become(uid, gid);
                        try
                        {
                            connection.Connect(new UnixDomainSocketEndPoint(socket));
                        }
                        finally
                        {
                            ThreadIdentity.Restore();
                        }
                    }

                    return ValueTask.FromResult<Stream>(new NetworkStream(connection, ownsSocket: true));
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            },
        };
        var address = ApiAddress.UnixSocket(socket);
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = address.RequestBase, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        Client = new ToolgridClient(_http, address);
    }

    public ToolgridClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }
}
