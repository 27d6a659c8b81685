namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// The Slurm tests: a platform of their own on a real Slurm cluster. Not run in parallel with
/// other collections (one end-to-end platform per machine at a time).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlurmShared : ICollectionFixture<SlurmPlatform>
{
    public const string Name = "slurm";
}
