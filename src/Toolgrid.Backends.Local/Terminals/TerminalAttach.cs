using System.Text;
using Microsoft.Win32.SafeHandles;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.Local.Terminals;

/// <summary>
/// The backend's side of an attach (see the shepherd's terminal.c): connect to the
/// run's <c>&lt;runId&gt;.attach</c> socket and receive, with <c>SCM_RIGHTS</c>, <c>pty</c> and the
/// pseudo-terminal's master, or <c>pipes</c>, the input's write end and the output's read end.
/// The shepherd lets the run's command go once it has passed them.
/// </summary>
internal static class TerminalAttach
{
    /// <summary>The socket of a run waiting for its attach.</summary>
    public static string SocketPath(string runPath) => runPath + ".attach";

    /// <summary>
    /// Attaches; null when nobody listens on the socket (the run is not interactive, was attached
    /// before, or has ended). Throws <see cref="IOException"/> when the shepherd does not answer as it should.
    /// </summary>
    public static DescriptorTerminal? Attach(long runId, string runPath, TimeSpan timeout)
    {
        var socket = TerminalNative.Connect(SocketPath(runPath), out var error);
        if (socket < 0)
        {
            // ENOENT: no socket (any more); ECONNREFUSED: a socket its shepherd left behind.
            return error is 2 or 111 ? null : throw new IOException($"cannot connect to the attach socket of run {runId}: errno {error}.");
        }

        var fds = new List<int>(2);
        var keep = false;
        try
        {
            var (ready, _) = TerminalNative.Poll(socket, TerminalNative.PollIn, -1, (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds));
            if (ready == 0)
            {
                throw new IOException($"the shepherd of run {runId} did not answer the attach within {timeout.TotalSeconds:0} s.");
            }

            Span<byte> data = stackalloc byte[16];
            var length = TerminalNative.ReceiveWithDescriptors(socket, data, fds, out error);
            var word = length > 0 ? Encoding.ASCII.GetString(data[..length]) : string.Empty;
            DescriptorTerminal? terminal = (word, fds.Count) switch
            {
                ("pty", 1) => DescriptorTerminal.Open(runId, new SafeFileHandle(socket, ownsHandle: true), fds[0], fds[0], isTerminal: true),
                ("pipes", 2) => DescriptorTerminal.Open(runId, new SafeFileHandle(socket, ownsHandle: true), fds[1], fds[0], isTerminal: false),
                _ => null,
            };
            if (terminal is null)
            {
                throw new IOException(length < 0
                    ? $"cannot receive the terminal of run {runId}: errno {error}."
                    : $"the shepherd of run {runId} answered the attach with \"{word}\" and {fds.Count} descriptors.");
            }

            keep = true;
            return terminal;
        }
        finally
        {
            if (!keep)
            {
                foreach (var fd in fds)
                {
                    TerminalNative.Close(fd);
                }

                TerminalNative.Close(socket);
            }
        }
    }
}
