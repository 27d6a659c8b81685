namespace Toolgrid.Accounts.Tests;

/// <summary>
/// The tests that change the host's user database: run one at a time, because each cleans up
/// whatever an earlier run with the test names left behind.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedUserDatabase
{
    public const string Name = "Unix user database";
}
