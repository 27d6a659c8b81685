using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Core.Diagnostics;

/// <summary>When the space left on a file system toolgridd writes to deserves a warning, and its words.</summary>
/// <remarks>
/// Full below <see cref="FullBelow"/> (a store write or a run file may no longer fit); nearly full
/// below <see cref="NearlyFullBelow"/> of its size, so that an operator hears of it before writes fail.
/// </remarks>
public static class DiskSpace
{
    public const long FullBelow = MemorySize.MiB;

    public const double NearlyFullBelow = 0.05;

    /// <summary>The warning for <paramref name="what"/> in <paramref name="directory"/>, with so much space available of its file system's size; null when there is room.</summary>
    public static string? Warning(string what, string directory, long available, long size)
    {
        if (available >= FullBelow && available >= size * NearlyFullBelow)
        {
            return null;
        }

        var space = $"{MemorySize.Describe(available)} free of {MemorySize.Describe(size)}";
        return available < FullBelow
            ? $"the disk of {what} ({directory}) is full, {space}: new work is refused (503) and runs wait to start until space is freed"
            : $"the disk of {what} ({directory}) is nearly full, {space}: once it is full, new work is refused (503) and runs wait to start";
    }
}
