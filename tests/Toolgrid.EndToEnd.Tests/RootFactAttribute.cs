namespace Toolgrid.EndToEnd.Tests;

/// <summary>A test that needs root: real Unix users, cgroups and setpriv.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Platform.IsRoot)
        {
            Skip = "needs root: it makes Unix users and cgroups (CI runs as root)";
        }
    }
}
