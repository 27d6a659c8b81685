namespace Toolgrid.Native.Tests;

/// <summary>A test that gives files to other users, so needs root: skipped otherwise, saying why.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (LibC.GetEUid() != 0)
        {
            Skip = "needs root: it gives files to other users with chown (run the tests as root, as CI does).";
        }
    }
}
