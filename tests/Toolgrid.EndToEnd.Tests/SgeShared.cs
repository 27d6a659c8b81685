namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// The Grid Engine tests: a platform of their own on a real SGE cluster. Not run in parallel with
/// other collections (one end-to-end platform per machine at a time).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SgeShared : ICollectionFixture<SgePlatform>
{
    public const string Name = "gridengine";
}
