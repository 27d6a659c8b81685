namespace Toolgrid.Store.Counts;

/// <summary>
/// The triggers that keep <see cref="RunStateCount"/> true to <c>Runs</c>: a run inserted counts
/// in its state, a run whose state changes moves from one count to the other, a run deleted (the
/// history's trim, a job's cascade) leaves its count. Each runs in the statement's own
/// transaction, so concurrent writers (serialised by SQLite) never lose a change. Their SQL is
/// the migration's that made them (<c>20261205161859_RunStateCounts</c>); a change to them is a
/// new migration. The model knows their names, so EF Core writes the runs without <c>RETURNING</c>.
/// </summary>
public static class RunStateCountTriggers
{
    public const string Table = "RunStateCounts";

    public const string Inserted = "TR_Runs_CountInserted";

    public const string StateChanged = "TR_Runs_CountStateChanged";

    public const string Deleted = "TR_Runs_CountDeleted";
}
