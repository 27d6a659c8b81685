using System.Globalization;
using System.Security.Cryptography;

namespace Toolgrid.Tests.Grid;

/// <summary>
/// A real grid engine cluster on this machine for a test fixture: its packages installed first if
/// missing (<c>install_grid_packages ENGINE</c> of deploy/lib.sh), brought up under a unique name by
/// <c>deploy/grid/ENGINE-cluster.sh</c> (a master and two nodes in network namespaces), and a
/// throwaway tool user with a home of its own. All of it is taken down by <see cref="DisposeAsync"/>,
/// which also works after a failed start.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private const string TestRoot = "/var/lib/toolgrid-grid-tests";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    private readonly string _script;
    private bool _up;

    private TestCluster(string engine, string name, string user)
    {
        Name = name;
        User = user;
        _script = Path.Combine(RepositoryRoot(), "deploy", "grid", engine + "-cluster.sh");
    }

    /// <summary>The cluster's name (unique: another cluster on the machine is never touched).</summary>
    public string Name { get; }

    /// <summary>The cluster's env file, <c>KEY=VALUE</c> (deploy/grid/README.md).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    /// <summary>The tool user's name.</summary>
    public string User { get; }

    /// <summary>Its uid, and the gid of its group of the same name.</summary>
    public int Uid { get; private set; }

    /// <summary>Its home, inside <see cref="Root"/>.</summary>
    public string Home => Path.Combine(Root, "home");

    /// <summary>A directory of this cluster's tests, removed at the end.</summary>
    public string Root => Path.Combine(TestRoot, Name);

    public string Node1 => Environment["TOOLGRID_GRID_NODE1"];

    public string Node2 => Environment["TOOLGRID_GRID_NODE2"];

    /// <summary>
    /// Installs <paramref name="engine"/> (<c>sge</c>, <c>slurm</c>) if missing and brings up a cluster
    /// named <paramref name="prefix"/> and a random number; <paramref name="settings"/> are the cluster
    /// script's own (<c>TOOLGRID_SGE_RESCHEDULE_UNKNOWN</c>…, deploy/grid/README.md).
    /// </summary>
    public static async Task<TestCluster> StartAsync(string engine, string prefix, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new TestCluster(
            engine,
            prefix + RandomNumberGenerator.GetInt32(100_000_000).ToString(CultureInfo.InvariantCulture),
            "tg" + prefix[0] + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant());
        try
        {
            await cluster.UpAsync(engine, settings);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a verb of the cluster script on this cluster: <c>drain 1</c>, <c>resume 1</c>, <c>kill-node 2</c>…</summary>
    public Task<string> RunAsync(params string[] verbAndArguments) =>
        TestPrograms.RunAsync(_script, [verbAndArguments[0], Name, .. verbAndArguments[1..]], ScriptTimeout);

    public async ValueTask DisposeAsync()
    {
        // Down first: it kills every process on the nodes, the user's jobs among them.
        if (_up)
        {
            await TestPrograms.RunAsync(_script, ["down", Name], ScriptTimeout);
        }

        if (File.ReadLines("/etc/passwd").Any(line => line.StartsWith(User + ":", StringComparison.Ordinal)))
        {
            await TestPrograms.RunAsync("userdel", [User], ScriptTimeout);
        }

        if (File.ReadLines("/etc/group").Any(line => line.StartsWith(User + ":", StringComparison.Ordinal)))
        {
            await TestPrograms.RunAsync("groupdel", [User], ScriptTimeout);
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private async Task UpAsync(string engine, IReadOnlyDictionary<string, string>? settings)
    {
        await TestPrograms.RunAsync("/bin/bash", ["-c", ". deploy/lib.sh && install_grid_packages \"$0\"", engine], ScriptTimeout, RepositoryRoot());
        _up = true;
        var envFile = (await TestPrograms.RunAsync(_script, ["up", Name], ScriptTimeout, environment: settings)).Trim().Split('\n')[^1];
        Environment = (await File.ReadAllLinesAsync(envFile))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

        var uid = FreeId();
        Directory.CreateDirectory(Home);
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        var id = uid.ToString(CultureInfo.InvariantCulture);
        await TestPrograms.RunAsync("groupadd", ["--gid", id, User], ScriptTimeout);
        await TestPrograms.RunAsync("useradd", ["--uid", id, "--gid", id, "--no-create-home", "--home-dir", Home, "--shell", "/bin/sh", User], ScriptTimeout);
        await TestPrograms.RunAsync("chown", [$"{id}:{id}", Home], ScriptTimeout);
        Uid = uid;
    }

    // 63000-63999: above the engines' minimum uid (SGE's min_uid 1000), apart from the deploy scripts' own 62900-62999.
    private static int FreeId()
    {
        var taken = File.ReadLines("/etc/passwd").Concat(File.ReadLines("/etc/group"))
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length > 2)
            .Select(fields => int.TryParse(fields[2], CultureInfo.InvariantCulture, out var id) ? id : -1)
            .ToHashSet();
        var start = RandomNumberGenerator.GetInt32(1000);
        return Enumerable.Range(0, 1000).Select(i => 63000 + ((start + i) % 1000)).First(id => !taken.Contains(id));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Toolgrid.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Toolgrid.slnx not found above " + AppContext.BaseDirectory);
    }
}
