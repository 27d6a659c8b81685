namespace Toolgrid.Native;

/// <summary>The Unix user a tool runs as, for whom a file in its home is read.</summary>
/// <param name="Uid">The tool's uid.</param>
/// <param name="Gid">The tool's primary group.</param>
public readonly record struct ToolUser(int Uid, int Gid);
