namespace Toolgrid.Accounts.Tests;

/// <summary>A test that makes real users and groups, so needs root: skipped otherwise, saying why.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!HostAccounts.IsRoot)
        {
            Skip = "needs root: it makes real Unix users and groups with useradd/groupadd (run the tests as root, as CI does).";
        }
    }
}
