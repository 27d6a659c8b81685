namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// The tests of a full disk: a platform of their own, its run files on a small disk. Not run in
/// parallel with other collections (one end-to-end platform per machine at a time).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DiskShared : ICollectionFixture<DiskPlatform>
{
    public const string Name = "disk";
}
