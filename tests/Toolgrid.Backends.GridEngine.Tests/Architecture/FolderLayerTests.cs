using Toolgrid.Tests.Architecture;

namespace Toolgrid.Backends.GridEngine.Tests.Architecture;

/// <summary>The project's folders read as layers (docs/architecture.md): Engine below the root.</summary>
public sealed class FolderLayerTests
{
    [Fact]
    public void FoldersHaveNoDependencyLoop()
    {
        var layers = FolderLayers.Of(typeof(SgeClient).Assembly, "Toolgrid.Backends.GridEngine");

        var cycles = layers.Cycles();

        Assert.True(cycles.Count == 0, layers.Describe(cycles));
        Assert.Empty(layers.Uses("Engine"));
    }
}
