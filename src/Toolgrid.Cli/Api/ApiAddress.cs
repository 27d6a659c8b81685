namespace Toolgrid.Cli.Api;

/// <summary>Where the API answers: <c>toolgridd</c>'s Unix socket on this host, or an http(s) address.</summary>
/// <remarks>
/// Over the Unix socket the kernel tells the API who is calling, so no token is sent; over
/// http(s) a bearer token is required. The two are kept apart here so that a token is never
/// sent where it is not needed.
/// </remarks>
public sealed class ApiAddress : IEquatable<ApiAddress>
{
    /// <summary>Where <c>toolgridd</c> puts its socket when it runs as root.</summary>
    public const string SystemSocketPath = "/run/toolgrid/api.sock";

    private ApiAddress(string? socketPath, Uri? httpBase)
    {
        SocketPath = socketPath;
        HttpBase = httpBase;
    }

    /// <summary>The path of the Unix socket, or null for an http(s) address.</summary>
    public string? SocketPath { get; }

    /// <summary>The http(s) address the API's paths are relative to (ends with '/'), or null for a Unix socket.</summary>
    public Uri? HttpBase { get; }

    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>The address requests are made against: <c>http://localhost/</c> on a Unix socket.</summary>
    public Uri RequestBase => HttpBase ?? new Uri("http://localhost/");

    public static ApiAddress UnixSocket(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ApiAddress(Path.GetFullPath(path), null);
    }

    public static ApiAddress Http(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{address}' is not an http or https address.", nameof(address));
        }

        var text = address.GetLeftPart(UriPartial.Path);
        return new ApiAddress(null, new Uri(text.EndsWith('/') ? text : text + "/"));
    }

    /// <summary>Parses <c>unix:/path/api.sock</c> or <c>http(s)://host:port</c>.</summary>
    public static bool TryParse(string? text, out ApiAddress? address, out string error)
    {
        address = null;
        error = "";
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            error = "the API address is empty: give unix:/path/api.sock or http://host:port.";
            return false;
        }

        if (s.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var path = s["unix:".Length..];
            if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
            {
                error = $"'{s}' names no socket: write unix:/path/api.sock.";
                return false;
            }

            address = UnixSocket(path);
            return true;
        }

        if (Uri.TryCreate(s, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Query.Length == 0
            && uri.Fragment.Length == 0)
        {
            address = Http(uri);
            return true;
        }

        error = $"'{s}' is not an API address: write unix:/path/api.sock for toolgridd's socket on this host, or http://host:port (https://…) with a token in TOOLGRID_TOKEN.";
        return false;
    }

    /// <summary>Where <c>toolgridd</c> puts its socket, in the order the CLI looks for it.</summary>
    /// <param name="runtimeDirectory">$XDG_RUNTIME_DIR, if set.</param>
    /// <param name="userId">The caller's uid.</param>
    public static IReadOnlyList<string> DefaultSocketPaths(string? runtimeDirectory, int userId)
    {
        var paths = new List<string> { SystemSocketPath };
        if (!string.IsNullOrEmpty(runtimeDirectory))
        {
            paths.Add(Path.Combine(runtimeDirectory, "toolgrid", "api.sock"));
        }

        paths.Add($"/tmp/toolgrid-{userId}/api.sock");
        return paths;
    }

    public bool Equals(ApiAddress? other) =>
        other is not null && string.Equals(SocketPath, other.SocketPath, StringComparison.Ordinal) && Equals(HttpBase, other.HttpBase);

    public override bool Equals(object? obj) => Equals(obj as ApiAddress);

    public override int GetHashCode() => HashCode.Combine(SocketPath, HttpBase);

    public override string ToString() => SocketPath is not null ? "unix:" + SocketPath : HttpBase!.ToString().TrimEnd('/');
}
