using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Toolgrid.Native;
using Toolgrid.Native.Files;
using Toolgrid.Proxy.Routing;

namespace Toolgrid.Proxy.Files;

/// <summary>
/// Serves a tool's <c>public_html</c> as the tool's own user would see it. The proxy runs as root
/// and the tool controls everything in its home, so every file is opened first and then checked
/// for what it really is: a path that leads, through any symbolic link, out of the tool's home
/// (to <c>/etc</c>, to another tool's home) or into a hidden part of it (<c>~/.ssh</c>,
/// <c>~/.toolgrid</c>: any name on its real path, from the home down, that starts with '.') is
/// not found; a file the tool's user could not read is forbidden; a FIFO or device is never read.
/// </summary>
/// <remarks>
/// <para>Names starting with '.' are never served (<c>.git</c>, <c>.htaccess</c>, <c>.listing</c>),
/// whether asked for by name or reached through a link (<c>public_html/t -> ../.toolgrid/token</c>).
/// A directory is served by its <c>index.html</c>; without one, it is listed only if it holds a
/// file named <c>.listing</c> (the tool's way to ask for a listing).</para>
/// <para>Kestrel has decoded the path and removed its dot segments before it gets here; the
/// checks below do not rely on that.</para>
/// </remarks>
public sealed partial class PublicHtml(ILogger<PublicHtml> logger)
{
    public const string Directory = "public_html";

    /// <summary>The file whose presence asks for a directory to be listed.</summary>
    public const string ListingMarker = ".listing";

    public const string IndexFile = "index.html";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Opens what <paramref name="path"/> (<c>/</c>-separated, from the tool's root) names in <paramref name="tool"/>'s <c>public_html</c>.</summary>
    public PublicHtmlResult Open(ToolSite tool, string path)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(path);
        var names = new List<string>();
        foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (name[0] == '.' || name.Contains('\0', StringComparison.Ordinal) || name.Length > 255)
            {
                return new PublicHtmlResult.NotFound();
            }

            names.Add(name);
        }

        var realHome = LibC.RealPath(tool.Home);
        if (realHome is null)
        {
            return new PublicHtmlResult.NotFound();
        }

        var relative = Path.Join([Directory, .. names]);
        var opened = OpenInside(tool, relative, realHome, allowDirectory: true);
        if (opened.Outcome != ToolFileOutcome.Opened)
        {
            return Refusal(opened);
        }

        SafeFileHandle? handle = opened.OpenedHandle;
        var facts = opened.Facts!;
        try
        {
            if (facts.IsDirectory)
            {
                return OpenDirectory(tool, path, relative, realHome, handle);
            }

            var file = FileOf(handle, facts, names[^1]);
            handle = null;
            return file;
        }
        finally
        {
            handle?.Dispose();
        }
    }

    private PublicHtmlResult OpenDirectory(ToolSite tool, string path, string relative, string realHome, SafeFileHandle handle)
    {
        if (!path.EndsWith('/'))
        {
            return new PublicHtmlResult.AddSlash();
        }

        var index = OpenInside(tool, Path.Join(relative, IndexFile), realHome);
        if (index.Outcome == ToolFileOutcome.Opened)
        {
            return FileOf(index.OpenedHandle, index.Facts!, IndexFile);
        }

        var marker = OpenInside(tool, Path.Join(relative, ListingMarker), realHome, hiddenName: ListingMarker);
        if (marker.Outcome is ToolFileOutcome.Opened or ToolFileOutcome.NotRegularFile or ToolFileOutcome.NotReadable)
        {
            marker.Handle?.Dispose();
            return new PublicHtmlResult.Listing(List(handle));
        }

        return new PublicHtmlResult.NoIndex();
    }

    /// <summary>The file to send; the stream takes over <paramref name="handle"/>.</summary>
    private static PublicHtmlResult.File FileOf(SafeFileHandle handle, FileFacts facts, string name)
    {
        var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var type = ContentTypes.TryGetContentType(name, out var known) ? known : "application/octet-stream";
        return new PublicHtmlResult.File(stream, type, facts.Size, facts.Modified);
    }

    /// <summary>
    /// Opens <paramref name="relative"/> in the tool's home through <see cref="ToolFile"/>, for the
    /// tool's user, and refuses, as missing, what lies in a hidden part of the home.
    /// <paramref name="hiddenName"/> is the one hidden name allowed, as the last (the
    /// <c>.listing</c> marker, only looked for).
    /// </summary>
    private ToolFileResult OpenInside(ToolSite tool, string relative, string realHome, bool allowDirectory = false, string? hiddenName = null)
    {
        var opened = ToolFile.Open(tool.Home, relative, new ToolUser(tool.Uid, tool.Gid), allowDirectory);
        if (opened.Outcome == ToolFileOutcome.OutsideHome)
        {
            LogOutsideHome(tool.Name, relative, opened.RealPath ?? "(unknown)");
            return opened;
        }

        var root = realHome.TrimEnd('/') + "/";
        if (opened.RealPath is { } real && real.StartsWith(root, StringComparison.Ordinal) && IsHidden(real[root.Length..], hiddenName))
        {
            LogHidden(tool.Name, relative, real);
            opened.Handle?.Dispose();
            return opened with { Outcome = ToolFileOutcome.Missing, Handle = null };
        }

        return opened;
    }

    /// <summary>The answer to a file that was not opened: not found when it is missing, leads out of the home or cannot be named; forbidden when the tool's user could not read it or it is no file.</summary>
    private static PublicHtmlResult Refusal(ToolFileResult opened) => opened.Outcome switch
    {
        ToolFileOutcome.Missing or ToolFileOutcome.OutsideHome => new PublicHtmlResult.NotFound(),
        ToolFileOutcome.CannotOpen when opened.Errno is LibC.ELOOP or LibC.ENAMETOOLONG => new PublicHtmlResult.NotFound(),
        ToolFileOutcome.NotReadable => new PublicHtmlResult.Forbidden(opened.Facts is { IsDirectory: true } ? "the tool's user cannot read this directory" : "the tool's user cannot read this file"),
        _ => new PublicHtmlResult.Forbidden("it " + opened.Reason),
    };

    /// <summary>Whether a path within the home has a name that starts with '.' (but <paramref name="allowedLast"/> as its last).</summary>
    private static bool IsHidden(string inHome, string? allowedLast)
    {
        var names = inHome.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i][0] == '.' && !(i == names.Length - 1 && names[i] == allowedLast))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entries of the opened directory, read through its descriptor so that what is listed is what was checked.</summary>
    private static List<ListingEntry> List(SafeFileHandle directory)
    {
        var path = "/proc/self/fd/" + directory.DangerousGetHandle().ToInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var entries = new List<ListingEntry>();
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            // A link's target may lie anywhere: say nothing about it; following it is checked when it is asked for.
            var link = entry.LinkTarget is not null;
            var isDirectory = entry is DirectoryInfo;
            entries.Add(new ListingEntry(
                entry.Name,
                isDirectory,
                link || isDirectory ? null : ((FileInfo)entry).Length,
                link ? null : new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero)));
        }

        return entries.OrderByDescending(e => e.IsDirectory).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "Tool {Tool}: {Path} leads outside the tool's home (to {Target}); not served.")]
    private partial void LogOutsideHome(string tool, string path, string target);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Tool {Tool}: {Path} leads into a hidden part of the tool's home (to {Target}); not served.")]
    private partial void LogHidden(string tool, string path, string target);
}
