using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A real SMTP server on loopback: aiosmtpd (Debian's <c>python3-aiosmtpd</c>), storing every
/// message it accepts in a Maildir. It can be stopped and started again on the same port, to show
/// what toolgridd does while its mail server is down.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Prints the Maildir's messages as JSON, decoded (headers and the plain-text body).</summary>
    private const string ReadMaildir = """
        import email, email.policy, json, mailbox, sys
        out = []
        for key, message in mailbox.Maildir(sys.argv[1], factory=None, create=False).iteritems():
            m = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
            body = m.get_body(("plain",))
            out.append({
                "subject": str(m["Subject"] or ""),
                "to": str(m["To"] or ""),
                "rcptTo": str(m["X-RcptTo"] or ""),
                "tool": str(m["X-Toolgrid-Tool"] or ""),
                "messageId": str(m["Message-Id"] or ""),
                "body": body.get_content() if body is not None else "",
            })
        print(json.dumps(out))
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private Process? _process;

    public MailServer(string maildir)
    {
        Maildir = maildir;
        Port = FreePort();
    }

    public string Maildir { get; }

    public int Port { get; }

    public bool IsUp => _process is { HasExited: false };

    /// <summary>Starts the server (unless it is up) and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (IsUp)
        {
            return;
        }

        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", "-c", "aiosmtpd.handlers.Mailbox", Maildir })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("aiosmtpd did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode} (is python3-aiosmtpd installed?)");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (TimeProvider.System.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            }
        }
    }

    /// <summary>Stops the server; the port then refuses connections.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>The messages the server has accepted so far.</summary>
    public async Task<IReadOnlyList<MailReceived>> MessagesAsync()
    {
        if (!Directory.Exists(Path.Combine(Maildir, "new")))
        {
            return [];
        }

        var result = await Command.RunAsync(Python, ["-c", ReadMaildir, Maildir]);
        Assert.True(result.ExitCode == 0, "reading the Maildir failed: " + result);
        return JsonSerializer.Deserialize<List<MailReceived>>(result.Stdout, Json) ?? [];
    }

    /// <summary>The messages about <paramref name="tool"/>.</summary>
    public async Task<IReadOnlyList<MailReceived>> MessagesAboutAsync(string tool) =>
        (await MessagesAsync()).Where(m => m.Tool == tool).ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages about <paramref name="tool"/> have arrived.</summary>
    public Task<IReadOnlyList<MailReceived>> WaitForAsync(string tool, int count, TimeSpan timeout, Func<string> context) =>
        WaitForAsync(tool, messages => messages.Count >= count, $"{count} mails", timeout, context);

    /// <summary>Waits until the messages about <paramref name="tool"/> satisfy <paramref name="until"/>; all of them.</summary>
    public async Task<IReadOnlyList<MailReceived>> WaitForAsync(string tool, Func<IReadOnlyList<MailReceived>, bool> until, string what, TimeSpan timeout, Func<string> context)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var messages = await MessagesAboutAsync(tool);
            if (until(messages))
            {
                return messages;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"{what} about {tool} did not arrive within {timeout} ({messages.Count} did):\n{context()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
