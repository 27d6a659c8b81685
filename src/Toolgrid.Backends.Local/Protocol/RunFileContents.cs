namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The complete records of a run file, and where they end.</summary>
/// <param name="HasSpec">Whether the spec record is there (the backend writes none for a launch it refuses).</param>
/// <param name="Started">The started record, when complete.</param>
/// <param name="Exit">The exit record, when complete.</param>
/// <param name="CompleteLength">The length of the file's complete part: the header and the complete records.</param>
/// <param name="Length">The file's length when it was read; more than <paramref name="CompleteLength"/> while (or when) a record is cut short.</param>
/// <param name="Spec">The spec record's pairs, when it is there.</param>
/// <param name="Waiting">The waiting record, when complete (a run held until its due time).</param>
internal sealed record RunFileContents(bool HasSpec, StartedRecord? Started, ExitRecord? Exit, int CompleteLength, int Length, ILookup<string, string>? Spec = null, WaitingRecord? Waiting = null);
