namespace Toolgrid.Bench.Server;

/// <summary>One launch of a shepherd by the local backend, from toolgridd's log: when StartAsync spawned the launcher and when the launcher exited.</summary>
internal sealed record LaunchRecord(long RunId, DateTimeOffset Begun, DateTimeOffset Ended)
{
    public double Milliseconds => (Ended - Begun).TotalMilliseconds;
}
