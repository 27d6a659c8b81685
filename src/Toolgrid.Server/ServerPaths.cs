using System.Globalization;

namespace Toolgrid.Server;

/// <summary>Resolved locations: the defaults of <see cref="ServerOptions"/>, filled in for who the server runs as.</summary>
public sealed record ServerPaths(string DataRoot, string StateDirectory, string StorePath, string RunDirectory, string? ApiSocket, string? ApiUrls)
{
    public const string DefaultApiUrl = "http://127.0.0.1:8470";

    /// <summary>
    /// The paths for <paramref name="options"/>, as root or as the user <paramref name="uid"/>; the
    /// store is <paramref name="storePath"/> when the site names one (<c>Toolgrid:Store:Path</c>),
    /// else the state directory's <c>toolgrid.db</c>.
    /// </summary>
    public static ServerPaths Resolve(ServerOptions options, bool root, int uid, string? storePath = null)
    {
        var dataRoot = Full(options.DataRoot) ?? (root
            ? "/srv/toolgrid"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "toolgrid"));
        var state = Full(options.StateDirectory) ?? Path.Combine(dataRoot, ".toolgrid");
        var socket = options.Api.Socket switch
        {
            null => DefaultSocket(root, uid),
            "" => null,
            var path => Path.GetFullPath(path),
        };
        var urls = options.Api.Urls switch
        {
            // An ordinary user's toolgridd keeps to its socket: a shared port would be taken
            // by whoever starts first, and TCP is for the site's own server.
            null => root ? DefaultApiUrl : null,
            "" => null,
            var list => list,
        };
        return new ServerPaths(dataRoot, state, Full(storePath) ?? Path.Combine(state, "toolgrid.db"), Path.Combine(state, "runs"), socket, urls);
    }

    /// <summary>
    /// The API's TCP addresses as a caller elsewhere would write them: a listener on every
    /// address (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) is named by <paramref name="hostName"/>.
    /// Empty when the API listens on no TCP address.
    /// </summary>
    public IReadOnlyList<string> PublicApiUrls(string hostName) =>
        (ApiUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                ? (uri.Host is "0.0.0.0" or "[::]" or "::" ? new UriBuilder(uri) { Host = hostName }.Uri : uri).GetLeftPart(UriPartial.Authority)
                : url)
            .ToList();

    /// <summary>Where the CLI looks for the API first; see docs/api.md.</summary>
    public static string DefaultSocket(bool root, int uid)
    {
        if (root)
        {
            return "/run/toolgrid/api.sock";
        }

        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return string.IsNullOrEmpty(runtime)
            ? $"/tmp/toolgrid-{uid.ToString(CultureInfo.InvariantCulture)}/api.sock"
            : Path.Combine(runtime, "toolgrid", "api.sock");
    }

    private static string? Full(string? path) => string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);
}
