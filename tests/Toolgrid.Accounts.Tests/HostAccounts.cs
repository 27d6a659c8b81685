using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Toolgrid.Core.Accounts;

namespace Toolgrid.Accounts.Tests;

/// <summary>
/// The users, groups and data root of one test, all named with <see cref="Marker"/>, and removed
/// when it ends, together with anything an earlier, interrupted run left.
/// </summary>
/// <remarks>
/// Tools are <c>tgacct.&lt;tool&gt;</c> with ids in 61000..61999; people are
/// <c>tgacct-&lt;name&gt;</c> system users; the rules of <c>become</c> go to
/// <c>/etc/sudoers.d/tgacct</c>. No other test project uses these names.
/// </remarks>
public sealed class HostAccounts : IDisposable
{
    public const string Marker = "tgacct";
    public const string ToolPrefix = Marker + ".";
    public const int UidMin = 61000;
    public const int UidMax = 61999;

    /// <summary>The tests' sudoers drop-in: where sudo reads it, so that the rules really apply.</summary>
    public const string SudoersFile = "/etc/sudoers.d/" + Marker;

    public HostAccounts()
    {
        if (IsRoot)
        {
            RemoveLeftovers();
        }

        DataRoot = Directory.CreateTempSubdirectory(Marker + "-").FullName;

        // Tools' users must be able to reach their homes in it.
        File.SetUnixFileMode(DataRoot, (UnixFileMode)0x1ED);
    }

    public static bool IsRoot { get; } = new UnixUserDatabase().EffectiveUid == 0;

    public string DataRoot { get; }

    public ToolAccountsOptions Options(AccountMode? mode = null, string? adminGroup = null) => new()
    {
        DataRoot = DataRoot,
        UnixUserPrefix = ToolPrefix,
        UidMin = UidMin,
        UidMax = UidMax,
        Mode = mode,
        AdminGroup = adminGroup,
        SudoersFile = SudoersFile,
    };

    public ToolAccounts Accounts(AccountMode? mode = null) => Accounts(Options(mode));

    public static ToolAccounts Accounts(ToolAccountsOptions options) =>
        new(new UnixUserDatabase(), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<ToolAccounts>.Instance);

    /// <summary>Makes a person: a system user <c>tgacct-&lt;name&gt;</c> with a group of its own.</summary>
    public static PasswdEntry MakePerson(string name)
    {
        var user = Marker + "-" + name;
        Command.Succeed("/usr/sbin/useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/bin/sh", user);
        return Passwd(user) ?? throw new InvalidOperationException($"useradd made no {user}");
    }

    public static GroupEntry MakeGroup(string name, params string[] members)
    {
        var group = Marker + "-" + name;
        Command.Succeed("/usr/sbin/groupadd", "--system", group);
        foreach (var member in members)
        {
            Command.Succeed("/usr/bin/gpasswd", "--add", member, group);
        }

        return Group(group) ?? throw new InvalidOperationException($"groupadd made no {group}");
    }

    public static PasswdEntry? Passwd(string name)
    {
        var result = Command.Run("/usr/bin/getent", "passwd", name);
        if (result.ExitCode == 2)
        {
            return null;
        }

        var f = result.Stdout.TrimEnd('\n').Split(':');
        Assert.True(result.ExitCode == 0 && f.Length == 7, $"getent passwd {name}: {result}");
        return new PasswdEntry(f[0], Int(f[2]), Int(f[3]), f[4], f[5], f[6]);
    }

    public static GroupEntry? Group(string name)
    {
        var result = Command.Run("/usr/bin/getent", "group", name);
        if (result.ExitCode == 2)
        {
            return null;
        }

        var f = result.Stdout.TrimEnd('\n').Split(':');
        Assert.True(result.ExitCode == 0 && f.Length == 4, $"getent group {name}: {result}");
        return new GroupEntry(f[0], Int(f[2]), f[3].Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The fields of the user's line in /etc/shadow.</summary>
    public static string[] Shadow(string name) =>
        File.ReadLines("/etc/shadow").Select(l => l.Split(':')).Single(f => f[0] == name);

    /// <summary>Owner, group and mode (octal, e.g. "2775") of a file, as stat(1) says (of a link itself, not what it points to).</summary>
    public static (int Uid, int Gid, string Mode) Stat(string path)
    {
        var f = Command.Succeed("/usr/bin/stat", "--format=%u %g %a", path).Trim().Split(' ');
        return (Int(f[0]), Int(f[1]), f[2]);
    }

    /// <summary>The inode of a file, as stat(1) says: it changes when the file is replaced.</summary>
    public static long Inode(string path) =>
        long.Parse(Command.Succeed("/usr/bin/stat", "--format=%i", path).Trim(), CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (IsRoot)
        {
            RemoveLeftovers();
        }

        if (Directory.Exists(DataRoot))
        {
            Directory.Delete(DataRoot, recursive: true);
        }
    }

    private static void RemoveLeftovers()
    {
        foreach (var user in Names("passwd"))
        {
            RemoveUser(user);
        }

        // userdel takes a user's own group along only when nobody else is in it.
        foreach (var group in Names("group"))
        {
            Command.Run("/usr/sbin/groupdel", group);
        }

        Assert.Empty(Names("passwd"));
        Assert.Empty(Names("group"));
        var sudoers = Path.GetDirectoryName(SudoersFile)!;
        if (Directory.Exists(sudoers))
        {
            foreach (var file in Directory.EnumerateFiles(sudoers).Where(f => Path.GetFileName(f) == Marker || Path.GetFileName(f).StartsWith("." + Marker + ".", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), Marker + "-*"))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Removes a user, first ending what still runs as it: a refused sudo leaves a child of the
    /// person's uid behind for a moment (its mail to root about the attempt), and userdel
    /// refuses a user in use (exit 8) or when another test project holds the database's lock.
    /// </summary>
    private static void RemoveUser(string user)
    {
        for (var attempt = 1; ; attempt++)
        {
            Command.Run("/usr/bin/pkill", "-KILL", "-u", user);
            var result = Command.Run("/usr/sbin/userdel", user);
            if (result.ExitCode == 0 || !Names("passwd").Contains(user) || attempt == 300)
            {
                return;
            }

            Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System).GetAwaiter().GetResult();
        }
    }

    private static string[] Names(string database) =>
        Command.Succeed("/usr/bin/getent", database)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[0])
            .Where(name => name.StartsWith(Marker, StringComparison.Ordinal))
            .ToArray();

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
