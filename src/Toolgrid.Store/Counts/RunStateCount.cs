using Toolgrid.Contracts.Runs;

namespace Toolgrid.Store.Counts;

/// <summary>
/// How many runs of the whole history are in one state: a row per state any run has been in,
/// kept by the store's own triggers on <c>Runs</c> (<see cref="RunStateCountTriggers"/>) in the
/// transaction that inserts, changes or deletes the run, so that it is what
/// <c>SELECT "State", COUNT(*) FROM "Runs" GROUP BY "State"</c> would say, without that pass over
/// a million runs.
/// </summary>
public sealed class RunStateCount
{
    public RunState State { get; set; }

    public long Count { get; set; }
}
