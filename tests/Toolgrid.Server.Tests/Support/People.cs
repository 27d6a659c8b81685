using Toolgrid.Native.Processes;

namespace Toolgrid.Server.Tests.Support;

/// <summary>
/// The callers of these tests: users every Linux host has. In single-user mode the server's own
/// user (root, as the tests run in CI) and root are admins; the others are plain people.
/// </summary>
public static class People
{
    /// <summary>uid 0: an admin.</summary>
    public const string Root = "root";

    /// <summary>Not an admin.</summary>
    public const string Nobody = "nobody";

    /// <summary>Not an admin.</summary>
    public const string Daemon = "daemon";

    private const int NobodyUid = 65534;
    private const int DaemonUid = 1;

    /// <summary>Why the tests' premise about who is an admin does not hold here, or null when it does.</summary>
    public static string? PremiseFailure { get; } = FindPremiseFailure();

    private static string? FindPremiseFailure()
    {
        var passwd = File.Exists("/etc/passwd") ? File.ReadAllLines("/etc/passwd") : [];
        foreach (var (name, uid) in new[] { (Nobody, NobodyUid), (Daemon, DaemonUid) })
        {
            if (!passwd.Any(line => line.StartsWith(name + ":", StringComparison.Ordinal)))
            {
                return $"needs the user '{name}' in /etc/passwd, to call the API as a person who is not an admin.";
            }

            if (ProcessIdentity.EffectiveUid == uid)
            {
                return $"the tests run as '{name}', which makes '{name}' the server's own user and so an admin; run them as root (as CI does) or as another user.";
            }
        }

        return null;
    }
}
