namespace Toolgrid.Backends.Local.Protocol;

/// <summary>What a run's files say at one moment: its complete started and exit records, if any.</summary>
internal sealed record RunState(StartedRecord? Started, ExitRecord? Exit)
{
    public static RunState Nothing { get; } = new(null, null);
}
