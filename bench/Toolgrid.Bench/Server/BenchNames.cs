namespace Toolgrid.Bench.Server;

/// <summary>The names the benchmark gives what it makes, so that leftovers are found and nothing else is touched.</summary>
internal sealed record BenchNames
{
    public string UnixUserPrefix { get; init; } = "tgbench.";

    public int UidMin { get; init; } = 63000;

    public int UidMax { get; init; } = 63999;

    public string CgroupParent { get; init; } = "toolgrid-bench";

    /// <summary>Temporary directories are <c>/var/lib/tgbench-XXXXXXXX</c>.</summary>
    public string TempPrefix { get; init; } = "tgbench-";

    /// <summary>Where the temporary directories are: not in /tmp or /var/tmp, which every run gets a private one of (tools' homes are in there).</summary>
    public string TempRoot { get; init; } = "/var/lib";

    public string Tool { get; init; } = "bench";
}
