using System.Text.RegularExpressions;

namespace Toolgrid.Proxy;

/// <summary>The checks of <see cref="ProxyOptions.DataPlane"/> and the nginx settings.</summary>
public static partial class NginxChecks
{
    public static void Validate(ProxyOptions options, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        var section = ProxyOptions.Section;
        if (!string.Equals(options.DataPlane, DataPlanes.Yarp, StringComparison.OrdinalIgnoreCase) && !DataPlanes.IsNginx(options))
        {
            failures.Add($"{section}:DataPlane must be '{DataPlanes.Yarp}' (toolgridd forwards itself, the default) or '{DataPlanes.Nginx}' (toolgridd runs nginx); it is '{options.DataPlane}'.");
            return;
        }

        if (!DataPlanes.IsNginx(options))
        {
            return;
        }

        if (!Path.IsPathFullyQualified(options.NginxPath) || !File.Exists(options.NginxPath)
            || (File.GetUnixFileMode(options.NginxPath) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            failures.Add($"{section}:DataPlane is nginx, but there is no nginx binary at {section}:NginxPath '{options.NginxPath}': install it (apt-get install nginx-light) or give its path.");
        }

        if (options.NginxDirectory is { } directory && !IsSafePath(directory))
        {
            failures.Add($"{section}:NginxDirectory must be an absolute path of letters, digits and / . _ - (it goes into nginx's configuration); it is '{directory}'.");
        }

        if (!IsUserName(options.NginxUser))
        {
            failures.Add($"{section}:NginxUser must be a Unix user name such as www-data; it is '{options.NginxUser}'.");
        }

        if (!IsWorkers(options.NginxWorkers))
        {
            failures.Add($"{section}:NginxWorkers must be 'auto' or a number of processes from 1; it is '{options.NginxWorkers}'.");
        }

        if (options.Domain is { Length: > 0 })
        {
            failures.Add($"{section}:DataPlane nginx serves tools at /<tool>/ only: leave {section}:Domain unset, or use the data plane '{DataPlanes.Yarp}' for <tool>.{options.Domain}.");
        }

        if (options.TrustedProxies.Count > 0)
        {
            failures.Add($"{section}:DataPlane nginx does not read the X-Forwarded-* of a proxy in front of it: leave {section}:TrustedProxies empty, or use the data plane '{DataPlanes.Yarp}'.");
        }

        if (ProxyListener.Parse(options.Urls, []).Any(l => l.SocketPath is not null))
        {
            failures.Add($"{section}:DataPlane nginx listens on TCP addresses only: give {section}:Urls as http://ADDRESS:PORT.");
        }
    }

    /// <summary>Whether a path can be written into nginx's configuration as it is.</summary>
    internal static bool IsSafePath(string path) => path.StartsWith('/') && SafePath().IsMatch(path);

    internal static bool IsUserName(string name) => UserName().IsMatch(name);

    internal static bool IsWorkers(string workers) => workers == "auto" || Workers().IsMatch(workers);

    [GeneratedRegex("^[A-Za-z0-9/._-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafePath();

    [GeneratedRegex("^[a-z_][a-z0-9_.-]{0,31}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex UserName();

    [GeneratedRegex("^[1-9][0-9]{0,3}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Workers();
}
