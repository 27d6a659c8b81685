namespace Toolgrid.Core.Webservices;

/// <summary>
/// Which paths of a tool's site name something hidden: a segment that starts with '.' (<c>.git</c>,
/// <c>.env</c>, <c>.ssh</c>, <c>.toolgrid</c>), however it is encoded. The proxy answers those
/// itself (404) instead of passing them to a web service that did not ask for them, because a web
/// service that serves a directory (<c>python3 -m http.server</c>) serves hidden files too. Pure.
/// </summary>
/// <remarks>
/// <para>The path is decoded again and again until nothing is left to decode (Kestrel decoded it
/// once, but leaves <c>%2F</c>, and a server behind may decode <c>%252e</c> once more), then split
/// at '/' and '\' (which some servers take for a separator). A segment <c>..</c> counts as hidden
/// too: Kestrel has already removed the dot segments it could see.</para>
/// <para>The one exception: <c>/.well-known/…</c> (RFC 8615), as the first segment only, so that a
/// tool can answer <c>security.txt</c>, an ACME challenge for its own host or its OpenID
/// configuration. Nothing under it may start with '.' either.</para>
/// </remarks>
public static class DotPaths
{
    /// <summary>The one hidden name that is passed on, as the first segment of a path.</summary>
    public const string WellKnown = ".well-known";

    private const int MaxDecodings = 8;

    /// <summary>Whether <paramref name="path"/> (a path within a tool's site, from '/') names something hidden.</summary>
    public static bool IsHidden(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var decoded = path;
        for (var round = 0; decoded.Contains('%', StringComparison.Ordinal); round++)
        {
            var again = Uri.UnescapeDataString(decoded);
            if (again == decoded)
            {
                break;
            }

            if (round == MaxDecodings)
            {
                // Encoded over and over: nothing honest asks for that.
                return true;
            }

            decoded = again;
        }

        var first = true;
        foreach (var segment in decoded.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment[0] == '.' && !(first && segment == WellKnown))
            {
                return true;
            }

            first = false;
        }

        return false;
    }
}
