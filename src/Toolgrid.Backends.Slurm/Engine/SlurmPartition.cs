namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>A partition as <c>scontrol show partition -o</c> prints it, one line each.</summary>
/// <param name="Name">Its name (<c>PartitionName</c>).</param>
/// <param name="IsDefault">Whether it is the cluster's default partition (<c>Default=YES</c>): where sbatch puts a job that names none.</param>
public sealed record SlurmPartition(string Name, bool IsDefault)
{
    public const string Command = "scontrol show partition -o";

    /// <summary>
    /// Every partition of <paramref name="output"/>: a line of <c>KEY=VALUE</c> fields per partition
    /// (<c>PartitionName</c> first); "No partitions in the system" is none.
    /// </summary>
    /// <exception cref="SlurmOutputException">A line that is not a partition.</exception>
    public static IReadOnlyList<SlurmPartition> ParseAll(string output)
    {
        var partitions = new List<SlurmPartition>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("No partitions", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            if (!fields.TryGetValue("PartitionName", out var name) || name.Length == 0)
            {
                throw new SlurmOutputException($"'{Command}' printed a line without PartitionName: '{line}'.");
            }

            partitions.Add(new SlurmPartition(name, fields.GetValueOrDefault("Default") == "YES"));
        }

        return partitions;
    }
}
