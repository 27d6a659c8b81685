using System.Runtime.InteropServices;

namespace Toolgrid.Server.Hosting;

/// <summary>Who this process runs as.</summary>
public static partial class ProcessIdentity
{
    public static int EffectiveUid => (int)GetEUid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEUid();
}
