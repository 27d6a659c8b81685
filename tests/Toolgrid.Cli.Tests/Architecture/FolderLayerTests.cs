using System.Reflection;
using Toolgrid.Tests.Architecture;

namespace Toolgrid.Cli.Tests.Architecture;

/// <summary>The CLI's folders read as layers (the check itself is proven in the server's tests).</summary>
public sealed class FolderLayerTests
{
    [Fact]
    public void FoldersHaveNoDependencyLoop()
    {
        var layers = FolderLayers.Of(Assembly.Load("toolgrid"), "Toolgrid.Cli");

        var cycles = layers.Cycles();

        Assert.True(cycles.Count == 0, layers.Describe(cycles));
    }
}
