using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scale;

/// <summary>toolgridd restarted with a stricter history rule: the trim it made at start, and the API's answers meanwhile.</summary>
/// <param name="Days">The rule's <c>RunHistoryDays</c>.</param>
/// <param name="LogLine">toolgridd's log line of the trim.</param>
/// <param name="RunsBefore">Runs in the store before.</param>
/// <param name="RunsAfter">Runs in the store after.</param>
/// <param name="JobShowDuring">jobs show (ms) while the trim ran.</param>
/// <param name="Elapsed">From toolgridd's exec to the trim's log line.</param>
internal sealed record ScaleTrimResult(int Days, string LogLine, long RunsBefore, long RunsAfter, Distribution JobShowDuring, TimeSpan Elapsed);
