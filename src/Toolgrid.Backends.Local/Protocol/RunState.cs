namespace Toolgrid.Backends.Local.Protocol;

/// <summary>What a run's files say at one moment: its complete started and exit records, if any (and its waiting record, for a run held until its due time).</summary>
internal sealed record RunState(StartedRecord? Started, ExitRecord? Exit, WaitingRecord? Waiting = null)
{
    public static RunState Nothing { get; } = new(null, null);
}
