using Toolgrid.Backends.GridEngine.Engine;

namespace Toolgrid.Backends.GridEngine;

/// <summary>The records appended to the accounting file since an offset, and the offset to read from next time.</summary>
/// <param name="Records">The complete lines' records, in the order they were written.</param>
/// <param name="NextOffset">Where the next read starts: after the last complete line.</param>
public sealed record SgeAccountingRead(IReadOnlyList<SgeAccountingRecord> Records, long NextOffset);
