namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>The test classes that share one real SGE cluster (<see cref="SgeClusterFixture"/>), one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class SgeCluster : ICollectionFixture<SgeClusterFixture>
{
    public const string Name = "SGE cluster";
}
