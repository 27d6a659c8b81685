using Toolgrid.Core.Errors;
using Toolgrid.Native.Files;

namespace Toolgrid.Server.Api;

/// <summary>
/// Opens a tool's log file for reading on its maintainers' behalf: through <see cref="ToolFile"/>,
/// so that a link out of the home, a FIFO, or a file the tool's user could not read itself is
/// refused with the reason.
/// </summary>
public static class LogFile
{
    /// <summary>The opened file, or null when it does not exist (yet).</summary>
    public static FileStream? Open(string home, string relative)
    {
        var opened = ToolFile.Open(home, relative);
        return opened.Outcome switch
        {
            ToolFileOutcome.Opened => new FileStream(opened.OpenedHandle, FileAccess.Read, bufferSize: 0),
            ToolFileOutcome.Missing => null,
            ToolFileOutcome.OutsideHome => throw Refused("log-outside-home", relative, opened),
            ToolFileOutcome.NotRegularFile => throw Refused("log-not-a-file", relative, opened),
            _ => throw Refused("log-unreadable", relative, opened),
        };
    }

    private static ToolgridException Refused(string code, string relative, ToolFileResult opened) =>
        new(ErrorKind.Forbidden, code, $"{relative} {opened.Reason}; it is not shown.");
}
