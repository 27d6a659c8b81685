namespace Toolgrid.Backends.Local.Cgroups;

/// <summary>What <see cref="CgroupDetector"/> found.</summary>
/// <param name="Version">The version runs will get.</param>
/// <param name="Warnings">What runs will lack, in words.</param>
internal sealed record CgroupDetection(CgroupVersion Version, IReadOnlyList<string> Warnings);
