namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>The test classes that share one real Slurm cluster (<see cref="SlurmClusterFixture"/>), one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class RealSlurmCluster : ICollectionFixture<SlurmClusterFixture>
{
    public const string Name = "Slurm cluster";
}
