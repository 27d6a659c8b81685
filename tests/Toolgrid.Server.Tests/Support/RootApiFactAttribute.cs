using Toolgrid.Native.Processes;

namespace Toolgrid.Server.Tests.Support;

/// <summary>An <see cref="ApiFactAttribute"/> test that also needs root (it mounts a file system): skipped, saying why, otherwise.</summary>
public sealed class RootApiFactAttribute : FactAttribute
{
    public RootApiFactAttribute()
    {
        if (People.PremiseFailure is { } why)
        {
            Skip = why;
        }
        else if (!IsRoot)
        {
            Skip = "needs root: it mounts a small file system for the state directory (run the tests as root, as CI does)";
        }
    }

    public static bool IsRoot => ProcessIdentity.EffectiveUid == 0;
}
