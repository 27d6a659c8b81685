namespace Toolgrid.Tests.Grid;

/// <summary>Output captured from a real grid engine cluster (deploy/grid/ENGINE-cluster.sh), stored beside the tests in TestData/.</summary>
public static class TestData
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));
}
