namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// The end-to-end tests share one running platform and run one at a time, alone: not in parallel
/// with another collection (the mail tests' platform waits for this one to be gone).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedPlatform : ICollectionFixture<Platform>
{
    public const string Name = "platform";
}
