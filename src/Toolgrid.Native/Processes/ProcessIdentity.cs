namespace Toolgrid.Native.Processes;

/// <summary>Who this process runs as.</summary>
public static class ProcessIdentity
{
    public static int EffectiveUid => (int)LibC.GetEUid();
}
