using System.Globalization;
using System.Security.Cryptography;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>A throwaway tool user (<c>useradd --system</c>) with a home and a supplementary group, removed again at the end.</summary>
public sealed class ToolUserFixture : IAsyncLifetime
{
    public string Name { get; private set; } = "nobody";

    public int Uid { get; private set; }

    public int Gid { get; private set; }

    /// <summary>A supplementary group of the user (besides its own primary group).</summary>
    public int ExtraGid { get; private set; }

    public string Home { get; private set; } = "/nonexistent";

    /// <summary>Where the fixtures' directories are made.</summary>
    public const string TestRoot = "/var/lib/toolgrid-local-tests";

    /// <summary>A directory (readable by all) that holds the home and the tests' run directories.</summary>
    public string Root { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (!RootFactAttribute.IsRoot)
        {
            return;
        }

        // Not in /tmp or /var/tmp: every run gets a private one of those, which would hide the home.
        Name = "tgl" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant();
        Root = Path.Combine(TestRoot, Name);
        Directory.CreateDirectory(Root);
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        Home = Path.Combine(Root, "home");

        // useradd takes /etc/passwd's lock, which other test projects may hold for a moment.
        await RetryAsync(() => Command.Run("groupadd", "--system", Name + "x"));
        await RetryAsync(() => Command.Run("useradd", "--system", "--user-group", "--groups", Name + "x", "--no-create-home", "--home-dir", Home, "--shell", "/bin/sh", Name));
        Uid = int.Parse(Command.Run("id", "-u", Name).Trim(), CultureInfo.InvariantCulture);
        Gid = int.Parse(Command.Run("id", "-g", Name).Trim(), CultureInfo.InvariantCulture);
        ExtraGid = int.Parse(Command.Run("getent", "group", Name + "x").Split(':')[2], CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Home);
        Command.Run("chown", $"{Uid}:{Gid}", Home);
    }

    public async Task DisposeAsync()
    {
        if (!RootFactAttribute.IsRoot)
        {
            return;
        }

        await RetryAsync(() => Command.Run("userdel", "--force", Name));
        await RetryAsync(() => Command.Run("groupdel", Name + "x"));
        Directory.Delete(Root, recursive: true);
        try
        {
            Directory.Delete(TestRoot);
        }
        catch (IOException)
        {
            // Another fixture's directory is still in there.
        }
    }

    private static async Task RetryAsync(Func<string> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                action();
                return;
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), TimeProvider.System);
            }
        }
    }
}
