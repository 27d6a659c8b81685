namespace Toolgrid.Proxy.Files;

/// <summary>What a request for a path in a tool's <c>public_html</c> comes to.</summary>
public abstract record PublicHtmlResult
{
    /// <summary>No such file, or one the proxy will not show (a hidden name, a link out of the home).</summary>
    public sealed record NotFound : PublicHtmlResult;

    /// <summary>The file exists but the tool's user could not read it, or it is not a regular file.</summary>
    /// <param name="Reason">Why, in words.</param>
    public sealed record Forbidden(string Reason) : PublicHtmlResult;

    /// <summary>A directory asked for without its trailing slash: relative links need it.</summary>
    public sealed record AddSlash : PublicHtmlResult;

    /// <summary>A directory with no <c>index.html</c> that does not ask to be listed.</summary>
    public sealed record NoIndex : PublicHtmlResult;

    /// <summary>A file to send.</summary>
    /// <param name="Stream">The opened file (the caller disposes it).</param>
    /// <param name="ContentType">Its type, from its extension.</param>
    /// <param name="Length">Its size.</param>
    /// <param name="Modified">When it last changed.</param>
    public sealed record File(Stream Stream, string ContentType, long Length, DateTimeOffset Modified) : PublicHtmlResult;

    /// <summary>A directory that asked to be listed (it holds a <c>.listing</c> file).</summary>
    /// <param name="Entries">Its entries, hidden ones left out, directories first.</param>
    public sealed record Listing(IReadOnlyList<ListingEntry> Entries) : PublicHtmlResult;
}

/// <summary>One entry of a directory listing.</summary>
/// <param name="Name">Its name.</param>
/// <param name="IsDirectory">Whether it is a directory.</param>
/// <param name="Size">Its size, for a regular file that is not a link.</param>
/// <param name="Modified">When it last changed, when known.</param>
public sealed record ListingEntry(string Name, bool IsDirectory, long? Size, DateTimeOffset? Modified);
