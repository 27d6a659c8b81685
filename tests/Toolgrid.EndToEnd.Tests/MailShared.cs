namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// The mail tests: a platform of their own, configured to mail through a real SMTP server on
/// loopback. Not run in parallel with other collections (so after the shared platform is gone:
/// one end-to-end platform per machine at a time).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MailShared : ICollectionFixture<MailPlatform>
{
    public const string Name = "mail";
}
