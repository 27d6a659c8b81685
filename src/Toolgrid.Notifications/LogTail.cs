using System.Text;
using Toolgrid.Native.Files;

namespace Toolgrid.Notifications;

/// <summary>
/// Reads the last lines of a file in a tool's home, safely: the file is opened through
/// <see cref="ToolFile"/> (a link out of the home, a FIFO, a device or a file the tool's user
/// could not read is refused), and at most a fixed number of bytes is read from its end, as the
/// file may be endless.
/// </summary>
internal static class LogTail
{
    /// <summary>The last <paramref name="maxLines"/> lines within the last <paramref name="maxBytes"/> bytes of <paramref name="relative"/> under <paramref name="home"/>.</summary>
    /// <returns>The text (null when the file does not exist or is empty), or why it is not shown.</returns>
    public static LogTailResult Read(string home, string relative, int maxLines, int maxBytes)
    {
        var opened = ToolFile.Open(home, relative);
        if (opened.Outcome == ToolFileOutcome.Missing)
        {
            return LogTailResult.Nothing;
        }

        if (opened.Outcome != ToolFileOutcome.Opened)
        {
            return LogTailResult.Refused("it " + opened.Reason);
        }

        using var stream = new FileStream(opened.OpenedHandle, FileAccess.Read, bufferSize: 0);
        var length = stream.Length;
        var start = Math.Max(0, length - maxBytes);
        var buffer = new byte[(int)Math.Min(maxBytes, length - start)];
        stream.Position = start;
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return read == 0 ? LogTailResult.Nothing : LogTailResult.Of(LastLines(text, cutAtStart: start > 0, maxLines));
    }

    /// <summary>The last lines of <paramref name="text"/>, without a line cut by the start of the read, with control characters made visible.</summary>
    internal static string LastLines(string text, bool cutAtStart, int maxLines)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        if (cutAtStart && lines.Length > 1)
        {
            lines = lines[1..];
        }

        var kept = lines.TakeLast(maxLines).Select(line => line.TrimEnd('\r'));
        return string.Join('\n', kept.Select(Printable));
    }

    /// <summary>Terminal escapes and other control characters would garble a mail: each becomes U+FFFD.</summary>
    private static string Printable(string line)
    {
        var builder = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            builder.Append(char.IsControl(c) && c != '\t' ? '\uFFFD' : c);
        }

        return builder.ToString();
    }
}
