using Toolgrid.Backends.Slurm.Engine;

namespace Toolgrid.Backends.Slurm;

/// <summary>The records appended to the jobcomp file since an offset, and the offset to read from next time.</summary>
/// <param name="Records">The whole records, in the order they were written.</param>
/// <param name="NextOffset">Where the next read starts: after the last complete line.</param>
/// <param name="Unreadable">Lines that were not whole records (a job name with a newline splits its record).</param>
public sealed record SlurmJobCompRead(IReadOnlyList<JobCompRecord> Records, long NextOffset, int Unreadable);
