using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Toolgrid.Notifications.Tests.Support;

/// <summary>
/// A real SMTP server on a free loopback port: aiosmtpd (Debian's <c>python3-aiosmtpd</c>), which
/// accepts every recipient into a Maildir. Started and stopped by the test, by its own process.
/// </summary>
internal sealed class SmtpServer : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(FindOrInstall);

    private static readonly string[] MaildirFolders = ["new", "cur"];

    private readonly List<string> _output = [];
    private Process? _process;

    private SmtpServer(string directory, int port)
    {
        Maildir = Path.Combine(directory, "maildir");
        Port = port;
    }

    /// <summary>Why aiosmtpd cannot run here, or null when it can.</summary>
    public static string? Unavailable => Missing.Value;

    public int Port { get; }

    public string Maildir { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A server on a port that is free now; not started yet, so that a test can first see it down.</summary>
    public static SmtpServer Create(string directory)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new SmtpServer(directory, port);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("aiosmtpd did not start");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Ready once the port answers; only a hang makes this wait long.
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
            }
        }
    }

    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every message the server accepted, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        if (!Directory.Exists(Maildir))
        {
            return [];
        }

        return MaildirFolders
            .Select(d => Path.Combine(Maildir, d))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetFiles)
            .Select(f => (File: f, Time: File.GetLastWriteTimeUtc(f)))
            .OrderBy(f => f.Time)
            .Select(f => MimeMessage.Load(f.File))
            .ToList();
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Whether aiosmtpd can be imported; as root, installs Debian's package when it cannot.</summary>
    private static string? FindOrInstall()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing (apt-get install python3 python3-aiosmtpd)";
        }

        if (Run(Python, "-c", "import aiosmtpd") == 0)
        {
            return null;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "python3-aiosmtpd is not installed, and the tests do not run as root to install it (apt-get install python3-aiosmtpd, or run test.sh as root)";
        }

        if (Run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "python3-aiosmtpd") != 0)
        {
            Run("apt-get", "update", "-qq");
            Run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "python3-aiosmtpd");
        }

        return Run(Python, "-c", "import aiosmtpd") == 0
            ? null
            : "python3-aiosmtpd is not installed and apt-get could not install it";
    }

    private static int Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                return -1;
            }

            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
