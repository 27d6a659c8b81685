namespace Toolgrid.Native.Files;

/// <summary>What came of <see cref="ToolFile.Open"/>.</summary>
public enum ToolFileOutcome
{
    /// <summary>Opened: a regular file (or, when asked for, a directory) inside the home, readable by the tool's user.</summary>
    Opened,

    /// <summary>Nothing is there (<c>ENOENT</c>, or a part of the path is no directory: <c>ENOTDIR</c>).</summary>
    Missing,

    /// <summary><c>open</c> failed otherwise (see <see cref="ToolFileResult.Errno"/>): a loop of links, a name too long, no permission.</summary>
    CannotOpen,

    /// <summary>The file opened lies outside the tool's home: a symbolic link, or a path through a linked directory, led out of it.</summary>
    OutsideHome,

    /// <summary>The opened file cannot be examined (<c>statx</c> failed).</summary>
    CannotExamine,

    /// <summary>A FIFO, socket, device (or a directory where none was asked for).</summary>
    NotRegularFile,

    /// <summary>The tool's user could not read it itself: a file of another user, such as one reached by a hard link.</summary>
    NotReadable,
}
