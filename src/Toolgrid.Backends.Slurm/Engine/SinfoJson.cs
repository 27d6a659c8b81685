namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>Reads what <c>sinfo --json</c> prints (Slurm 22.05): one entry per node, with its partitions, state and what its jobs hold.</summary>
/// <remarks><c>cpu_load</c> is the load average × 100; memory is in MB.</remarks>
public static class SinfoJson
{
    public const string Command = "sinfo --json";

    /// <summary>Reads the nodes from sinfo's standard output as it comes.</summary>
    /// <exception cref="SlurmOutputException">The output is not JSON, reports errors, or lacks a field Toolgrid needs.</exception>
    public static Task<IReadOnlyList<SlurmNode>> ParseAsync(Stream json, CancellationToken cancellationToken) =>
        SlurmJson.ListAsync(json, Command, "nodes", ParseNode, cancellationToken);

    private static SlurmNode ParseNode(System.Text.Json.JsonElement item)
    {
        var what = "a node of '" + Command + "'";
        var name = SlurmJson.String(item, "name", what);
        what = $"node {name} of '{Command}'";
        return new SlurmNode(
            name,
            SlurmJson.String(item, "address", what),
            SlurmJson.String(item, "state", what),
            SlurmJson.Strings(item, "state_flags", what),
            SlurmJson.String(item, "reason", what),
            SlurmJson.Strings(item, "partitions", what),
            (int)SlurmJson.Long(item, "cpus", what),
            (int)SlurmJson.Long(item, "alloc_cpus", what),
            SlurmJson.Long(item, "real_memory", what),
            SlurmJson.Long(item, "alloc_memory", what),
            SlurmJson.OptionalLong(item, "cpu_load", what) is { } load ? load / 100d : null);
    }
}
