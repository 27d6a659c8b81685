using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Toolgrid.Proxy.Tests.Support;

/// <summary>
/// A replica as a process of its own (Python's HTTP server, keep-alive, one thread per
/// connection), so that it can be killed with SIGKILL like a crashing web service; or Python's
/// <c>http.server</c> module serving a directory, as a tool's web service may.
/// </summary>
public sealed class PythonBackend : IAsyncDisposable
{
    private const string Script = """
        import http.server, socketserver, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                body = ("ok from " + sys.argv[2] + "\n").encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128
        Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """;

    private readonly Process _process;
    private readonly string? _script;

    private PythonBackend(Process process, string? script, int port, string name)
    {
        _process = process;
        _script = script;
        Port = port;
        Name = name;
    }

    public int Port { get; }

    public string Name { get; }

    public static async Task<PythonBackend> StartAsync(string name)
    {
        var script = Path.Combine(Path.GetTempPath(), $"toolgrid-proxy-backend-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        var port = FreePort();
        var info = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(name);
        return await StartAsync(info, script, port, name);
    }

    /// <summary><c>python3 -m http.server --bind 127.0.0.1 --directory DIRECTORY PORT</c>: every file under the directory, hidden ones too.</summary>
    public static async Task<PythonBackend> ServeDirectoryAsync(string directory)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, port.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        return await StartAsync(info, null, port, "http.server");
    }

    private static async Task<PythonBackend> StartAsync(ProcessStartInfo info, string? script, int port, string name)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        if (info.RedirectStandardError)
        {
            // Its request log: read, so that a full pipe never stops it.
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
        }

        var backend = new PythonBackend(process, script, port, name);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return backend;
            }
            catch (SocketException) when (TimeProvider.System.GetUtcNow() < deadline && !process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            }
            catch
            {
                await backend.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>SIGKILL, as the kernel's OOM killer or a crash would end it.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        if (_script is not null)
        {
            File.Delete(_script);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
