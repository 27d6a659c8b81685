namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>Output captured from a real Slurm 22.05 cluster (two nodes, partitions tools and dedicated; deploy/grid/slurm-cluster.sh), stored beside the tests.</summary>
internal static class TestData
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));
}
