namespace Toolgrid.EndToEnd.Tests;

/// <summary>The end-to-end tests share one running platform and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPlatform : ICollectionFixture<Platform>
{
    public const string Name = "platform";
}
