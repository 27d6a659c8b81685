namespace Toolgrid.Backends.Local.Watching;

/// <summary>A rescan that ended: its number (from 1) and the runs whose files it read.</summary>
internal sealed record RescanRecord(long Number, IReadOnlySet<long> Read);
