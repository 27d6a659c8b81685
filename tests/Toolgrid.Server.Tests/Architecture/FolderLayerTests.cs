using System.Reflection;
using Toolgrid.Tests.Architecture;

namespace Toolgrid.Server.Tests.Architecture;

/// <summary>
/// Each assembly's folders read as layers: no folder (namespace one level below the assembly's root
/// namespace, the root namespace itself counting as "root") uses a folder that uses it back, directly or
/// through others. A failure names the loop and one use per step of it.
/// </summary>
public sealed class FolderLayerTests
{
    [Theory]
    [InlineData("Toolgrid.Contracts")]
    [InlineData("Toolgrid.Core")]
    [InlineData("Toolgrid.Native")]
    [InlineData("Toolgrid.Store")]
    [InlineData("Toolgrid.Controller")]
    [InlineData("Toolgrid.Backends.Local")]
    [InlineData("Toolgrid.Backends.Slurm")]
    [InlineData("Toolgrid.Accounts")]
    [InlineData("Toolgrid.Notifications")]
    [InlineData("Toolgrid.Proxy")]
    [InlineData("Toolgrid.Server", "toolgridd")]
    public void FoldersHaveNoDependencyLoop(string rootNamespace, string? assembly = null)
    {
        var layers = FolderLayers.Of(Assembly.Load(assembly ?? rootNamespace), rootNamespace);

        var cycles = layers.Cycles();

        Assert.True(cycles.Count == 0, layers.Describe(cycles));
    }

    [Fact]
    public void LoopThroughTheParentNamespaceAndFullyQualifiedNamesIsFound()
    {
        var layers = FolderLayers.Of(typeof(FolderLayerTests).Assembly, "Toolgrid.Server.Tests.Architecture.Tangle");

        var cycles = layers.Cycles();

        Assert.Equal(["Lower", FolderLayers.Root], Assert.Single(cycles));
        Assert.Equal(["Lower"], layers.Uses("Upper"));
        Assert.StartsWith("Toolgrid.Server.Tests.Architecture.Tangle: folders in a dependency loop: Lower <-> root", layers.Describe(cycles), StringComparison.Ordinal);
    }
}
