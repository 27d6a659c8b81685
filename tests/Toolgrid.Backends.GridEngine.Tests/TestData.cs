namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>Output captured from a real SGE 8.1.9 cluster (two nodes, queues default and dedicated), stored beside the tests.</summary>
internal static class TestData
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));
}
