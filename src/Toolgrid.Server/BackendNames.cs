using Toolgrid.Core.Backends;

namespace Toolgrid.Server;

/// <summary>The backends toolgridd can run runs on (<c>Toolgrid:Backend</c>, <c>--backend</c>).</summary>
public static class BackendNames
{
    /// <summary>Runs on this host, under toolgridd's own shepherds: the node role.</summary>
    public const string Local = "local";

    /// <summary>Runs as jobs of a Son of Grid Engine cell, which places them on its nodes.</summary>
    public const string GridEngine = "gridengine";

    /// <summary>Runs as jobs of a Slurm cluster, which places them on its nodes.</summary>
    public const string Slurm = "slurm";

    public static IReadOnlyList<string> Known { get; } = [Local, GridEngine, Slurm];

    /// <summary>What the backend named <paramref name="backend"/> can run: everything on <c>local</c>; on a grid backend, no health check scripts.</summary>
    public static BackendAbilities AbilitiesOf(string backend) =>
        backend == Local ? BackendAbilities.Local : BackendAbilities.Grid(backend, interactive: true);
}
