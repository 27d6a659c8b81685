using System.Globalization;
using System.Security.Cryptography;

namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>
/// A real SGE 8.1.9 cluster on this machine (<c>deploy/grid/sge-cluster.sh</c>: a qmaster and two
/// execution hosts in network namespaces, queues <c>default</c> and <c>dedicated</c>; no
/// <c>reschedule_unknown</c>), with its
/// packages installed first if missing (<c>install_grid_packages sge</c> of deploy/lib.sh), and a
/// throwaway tool user (uid ≥ 1000: the cell refuses lower ones). Its name is unique, so other
/// clusters on the machine are never touched; all of it is taken down at the end.
/// </summary>
public sealed class SgeClusterFixture : IAsyncLifetime
{
    private const string TestRoot = "/var/lib/toolgrid-grid-tests";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    private string _clusterScript = string.Empty;
    private bool _clusterUp;

    public string Name { get; } = "gst" + RandomNumberGenerator.GetInt32(100_000_000).ToString(CultureInfo.InvariantCulture);

    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public SgeClient Client { get; private set; } = null!;

    public SgeCell Cell { get; private set; } = null!;

    public string User { get; } = "tgs" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    public int Uid { get; private set; }

    public string Home { get; private set; } = string.Empty;

    /// <summary>A directory of this cluster's tests, removed at the end; the home is in it.</summary>
    public string Root => Path.Combine(TestRoot, Name);

    public string Node1 => Environment["TOOLGRID_GRID_NODE1"];

    public string Node2 => Environment["TOOLGRID_GRID_NODE2"];

    public async Task InitializeAsync()
    {
        if (!RootFactAttribute.IsRoot)
        {
            return;
        }

        var repository = RepositoryRoot();
        _clusterScript = Path.Combine(repository, "deploy", "grid", "sge-cluster.sh");
        await Programs.RunAsync("/bin/bash", ["-c", ". deploy/lib.sh && install_grid_packages sge"], ScriptTimeout, repository);

        _clusterUp = true;
        // SGE's own default reschedule_unknown (never): a job on a node that stops answering stays
        // listed there, as the backend's node loss expects, and a qmaster restart reaps no job
        // whose execd registers again late (the script's 10 s does both).
        var envFile = (await Programs.RunAsync(_clusterScript, ["up", Name], ScriptTimeout, environment: new Dictionary<string, string> { ["TOOLGRID_SGE_RESCHEDULE_UNKNOWN"] = "00:00:00" })).Trim().Split('\n')[^1];
        Environment = (await File.ReadAllLinesAsync(envFile))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        Cell = new SgeCell(
            Environment["SGE_ROOT"],
            Environment["SGE_CELL"],
            int.Parse(Environment["SGE_QMASTER_PORT"], CultureInfo.InvariantCulture),
            int.Parse(Environment["SGE_EXECD_PORT"], CultureInfo.InvariantCulture),
            Environment["TOOLGRID_SGE_BIN"],
            TimeZoneInfo.Local);
        Client = new SgeClient(Cell, TimeProvider.System, TimeSpan.FromSeconds(30));

        Uid = FreeId();
        Home = Path.Combine(TestRoot, Name, "home");
        Directory.CreateDirectory(Home);
        File.SetUnixFileMode(Path.Combine(TestRoot, Name), (UnixFileMode)0b111_101_101);
        var id = Uid.ToString(CultureInfo.InvariantCulture);
        await Programs.RunAsync("groupadd", ["--gid", id, User], ScriptTimeout);
        await Programs.RunAsync("useradd", ["--uid", id, "--gid", id, "--no-create-home", "--home-dir", Home, "--shell", "/bin/sh", User], ScriptTimeout);
        await Programs.RunAsync("chown", [$"{id}:{id}", Home], ScriptTimeout);
    }

    public async Task DisposeAsync()
    {
        if (!RootFactAttribute.IsRoot)
        {
            return;
        }

        // Down first: it kills every process on the nodes, the user's jobs among them.
        if (_clusterUp)
        {
            await Programs.RunAsync(_clusterScript, ["down", Name], ScriptTimeout);
        }

        if (Uid != 0)
        {
            await Programs.RunAsync("userdel", [User], ScriptTimeout);
            if (File.ReadLines("/etc/group").Any(line => line.StartsWith(User + ":", StringComparison.Ordinal)))
            {
                await Programs.RunAsync("groupdel", [User], ScriptTimeout);
            }
        }

        if (Directory.Exists(Path.Combine(TestRoot, Name)))
        {
            Directory.Delete(Path.Combine(TestRoot, Name), recursive: true);
        }
    }

    /// <summary>Runs a verb of the cluster script on this cluster: <c>drain 1</c>, <c>resume 1</c>…</summary>
    public Task<string> ClusterAsync(params string[] verbAndArguments) =>
        Programs.RunAsync(_clusterScript, [verbAndArguments[0], Name, .. verbAndArguments[1..]], ScriptTimeout);

    // 63000-63999: above the cell's min_uid (1000), apart from the deploy scripts' own 62900-62999.
    private static int FreeId()
    {
        var taken = File.ReadLines("/etc/passwd").Concat(File.ReadLines("/etc/group"))
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length > 2)
            .Select(fields => int.TryParse(fields[2], out var id) ? id : -1)
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
