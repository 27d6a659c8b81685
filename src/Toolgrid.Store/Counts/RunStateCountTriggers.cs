namespace Toolgrid.Store.Counts;

/// <summary>
/// The triggers that keep <see cref="RunStateCount"/> true to <c>Runs</c>: a run inserted counts
/// in its state, a run whose state changes moves from one count to the other, a run deleted (the
/// history's trim, a job's cascade) leaves its count. Each runs in the statement's own
/// transaction, so concurrent writers (serialised by SQLite) never lose a change.
/// </summary>
public static class RunStateCountTriggers
{
    public const string Table = "RunStateCounts";

    public const string Inserted = "TR_Runs_CountInserted";

    public const string StateChanged = "TR_Runs_CountStateChanged";

    public const string Deleted = "TR_Runs_CountDeleted";

    /// <summary>Makes the triggers and fills the counts from the runs there are.</summary>
    public static readonly string[] Create =
    [
        $"""DELETE FROM "{Table}";""",
        $"""INSERT INTO "{Table}" ("State", "Count") SELECT "State", COUNT(*) FROM "Runs" GROUP BY "State";""",
        $"""
        CREATE TRIGGER "{Inserted}" AFTER INSERT ON "Runs"
        BEGIN
            INSERT INTO "{Table}" ("State", "Count") VALUES (NEW."State", 1)
                ON CONFLICT ("State") DO UPDATE SET "Count" = "Count" + 1;
        END;
        """,
        $"""
        CREATE TRIGGER "{StateChanged}" AFTER UPDATE OF "State" ON "Runs" WHEN OLD."State" IS NOT NEW."State"
        BEGIN
            UPDATE "{Table}" SET "Count" = "Count" - 1 WHERE "State" = OLD."State";
            INSERT INTO "{Table}" ("State", "Count") VALUES (NEW."State", 1)
                ON CONFLICT ("State") DO UPDATE SET "Count" = "Count" + 1;
        END;
        """,
        $"""
        CREATE TRIGGER "{Deleted}" AFTER DELETE ON "Runs"
        BEGIN
            UPDATE "{Table}" SET "Count" = "Count" - 1 WHERE "State" = OLD."State";
        END;
        """,
    ];

    public static readonly string[] Drop =
    [
        $"""DROP TRIGGER IF EXISTS "{Inserted}";""",
        $"""DROP TRIGGER IF EXISTS "{StateChanged}";""",
        $"""DROP TRIGGER IF EXISTS "{Deleted}";""",
    ];
}
