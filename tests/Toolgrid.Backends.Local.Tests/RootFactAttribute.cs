using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>A fact that needs root (Unix users, cgroups, setuid); skipped, with the reason, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot)
        {
            Skip = "needs root: it creates a Unix user and cgroups and runs commands as that user (run the tests as root)";
        }
    }

    public static bool IsRoot => OperatingSystem.IsLinux() && LibC.GetEUid() == 0;
}
