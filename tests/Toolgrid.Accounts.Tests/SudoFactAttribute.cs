namespace Toolgrid.Accounts.Tests;

/// <summary>
/// A test of the rules of <c>become</c> with the real sudo: needs root, and sudo installed
/// (installed here with apt-get when missing); skipped otherwise, saying why.
/// </summary>
public sealed class SudoFactAttribute : FactAttribute
{
    public SudoFactAttribute()
    {
        if (!HostAccounts.IsRoot)
        {
            Skip = "needs root: it makes real Unix users and a sudoers drop-in (run the tests as root, as CI does).";
        }
        else if (HostSudo.Missing is { } why)
        {
            Skip = why;
        }
    }
}
