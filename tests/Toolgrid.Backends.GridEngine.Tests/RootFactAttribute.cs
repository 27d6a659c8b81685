namespace Toolgrid.Backends.GridEngine.Tests;

/// <summary>A fact that needs root (packages, network namespaces, Unix users); skipped, with the reason, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot)
        {
            Skip = "needs root: it installs Grid Engine, brings up a cluster in network namespaces and makes a Unix user (run the tests as root, as CI does)";
        }
    }

    public static bool IsRoot => Environment.UserName == "root";
}
