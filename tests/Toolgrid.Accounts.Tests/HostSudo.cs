namespace Toolgrid.Accounts.Tests;

/// <summary>sudo on the test machine: installed once per test run when missing, as test.sh would.</summary>
public static class HostSudo
{
    public const string Sudo = "/usr/bin/sudo";
    public const string Visudo = "/usr/sbin/visudo";

    private static readonly Lazy<string?> Install = new(InstallIfMissing);

    /// <summary>Null when sudo is there (as root); otherwise why the tests that need it are skipped.</summary>
    public static string? Missing => Install.Value;

    private static string? InstallIfMissing()
    {
        if (File.Exists(Sudo) && File.Exists(Visudo))
        {
            return null;
        }

        string[] install = ["DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "--no-install-recommends", "sudo"];
        var result = Command.Run("/usr/bin/env", install);
        if (!File.Exists(Sudo))
        {
            // The package lists may be missing (a fresh image) or stale.
            Command.Run("/usr/bin/env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-qq");
            result = Command.Run("/usr/bin/env", install);
        }

        if (File.Exists(Sudo) && File.Exists(Visudo))
        {
            return null;
        }

        return $"needs sudo, which is not installed, and 'apt-get install -y sudo' did not install it ({result}); install it (test.sh does) to run these tests.";
    }
}
