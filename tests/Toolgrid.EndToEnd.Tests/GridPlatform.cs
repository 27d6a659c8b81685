using System.Globalization;
using System.Security.Cryptography;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A <see cref="Platform"/> whose toolgridd runs its runs on a real grid engine cluster
/// (<c>deploy/grid/ENGINE-cluster.sh</c>: a master and two nodes in network namespaces), brought up
/// first and taken down last, with a name of its own so that no other cluster on the machine is
/// touched. Each engine says how toolgridd is pointed at the cluster (<see cref="GridArguments"/>).
/// </summary>
public abstract class GridPlatform : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    private readonly string _engine;
    private readonly string _clusterScript;
    private bool _clusterUp;

    /// <param name="engine">The engine as the deploy scripts name it: <c>sge</c>, <c>slurm</c>.</param>
    /// <param name="namePrefix">The start of the cluster's name (letters), a random number follows.</param>
    protected GridPlatform(string engine, string namePrefix)
    {
        _engine = engine;
        _clusterScript = Path.Combine(Platform.RepositoryRoot, "deploy", "grid", engine + "-cluster.sh");
        ClusterName = namePrefix + RandomNumberGenerator.GetInt32(100_000_000).ToString(CultureInfo.InvariantCulture);
    }

    public Platform Platform { get; } = new();

    public string ClusterName { get; }

    /// <summary>What the cluster script says of the cluster (its env file, deploy/grid/README.md): the nodes' names and the engine's settings.</summary>
    public IReadOnlyDictionary<string, string> Cluster { get; private set; } = new Dictionary<string, string>();

    /// <summary>The cluster's two nodes.</summary>
    public IReadOnlyList<string> Nodes => [Cluster["TOOLGRID_GRID_NODE1"], Cluster["TOOLGRID_GRID_NODE2"]];

    /// <summary>toolgridd's settings for this cluster, as command-line arguments.</summary>
    public abstract IReadOnlyList<string> GridArguments();

    /// <summary>
    /// Submits a job that sleeps, named <paramref name="name"/>, straight to the engine as
    /// <paramref name="unixUser"/> (as a tool's user can after <c>become</c>), not through Toolgrid; its job id.
    /// </summary>
    public abstract Task<string> SubmitByHandAsync(string unixUser, string home, string name);

    /// <summary>Deletes a job of the engine by its id, as root (<c>qdel</c>, <c>scancel</c>).</summary>
    public abstract Task DeleteByHandAsync(string jobId);

    /// <summary>The engine's own reason for a node's drain (Slurm's <c>Reason=</c>); null for an engine that keeps none (Grid Engine).</summary>
    public abstract Task<string?> EngineDrainReasonAsync(string node);

    /// <summary>Runs <paramref name="program"/> as <paramref name="unixUser"/>, in a clean environment plus <paramref name="environment"/>; its standard output.</summary>
    protected static Task<string> AsUserAsync(string unixUser, IEnumerable<string> environment, string program, params string[] arguments) =>
        MustAsync("/usr/bin/setpriv", ["--reuid=" + unixUser, "--regid=" + unixUser, "--init-groups", "--reset-env", "--", "/usr/bin/env", .. environment, program, .. arguments]);

    /// <summary>Runs <paramref name="program"/> as root with <paramref name="environment"/> added; its standard output.</summary>
    protected static Task<string> AsRootAsync(IEnumerable<string> environment, string program, params string[] arguments) =>
        MustAsync("/usr/bin/env", [.. environment, program, .. arguments]);

    public async Task InitializeAsync()
    {
        if (!Platform.IsRoot)
        {
            return;
        }

        await MustAsync("/bin/bash", "-c", "cd \"$0\" && . deploy/lib.sh && install_grid_packages \"$1\"", Platform.RepositoryRoot, _engine);
        _clusterUp = true;
        var envFile = (await MustAsync(_clusterScript, "up", ClusterName)).Trim().Split('\n')[^1];
        Cluster = (await File.ReadAllLinesAsync(envFile))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        Platform.ExtraArguments.AddRange(GridArguments());
        await Platform.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (!Platform.IsRoot)
        {
            return;
        }

        try
        {
            await Platform.DisposeAsync();
        }
        finally
        {
            if (_clusterUp)
            {
                await MustAsync(_clusterScript, "down", ClusterName);
            }
        }
    }

    /// <summary>
    /// A second toolgridd on the cluster, in a directory of its own, with <paramref name="wrong"/>
    /// settings besides the cluster's: it must refuse to start.
    /// </summary>
    public async Task<CommandResult> RefusedToolgriddAsync(params string[] wrong)
    {
        var root = Path.Combine(Platform.Root, "refused-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        string[] arguments =
        [
            "--data-root", Path.Combine(root, "data"),
            "--state-dir", Path.Combine(root, "state"),
            "--api-socket", Path.Combine(root, "api.sock"),
            "--api-urls", "",
            "--proxy-urls", "",
            .. GridArguments(),
            .. wrong,
        ];
        return await Command.RunAsync(Platform.Toolgridd, arguments, timeout: TimeSpan.FromMinutes(2));
    }

    /// <summary>Runs the cluster's script on this cluster: <c>VERB NAME ARGS…</c> (e.g. <c>drain NAME 2</c>).</summary>
    public Task<string> ClusterAsync(string verb, params string[] arguments) => MustAsync(_clusterScript, [verb, ClusterName, .. arguments]);

    private static async Task<string> MustAsync(string program, params IReadOnlyList<string> arguments)
    {
        var result = await Command.RunAsync(program, [.. arguments], timeout: ScriptTimeout);
        return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {result}");
    }
}
