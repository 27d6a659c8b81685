using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Toolgrid.Store.Migrations
{
    /// <inheritdoc />
    public partial class RunStateCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RunStateCounts",
                columns: table => new
                {
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunStateCounts", x => x.State);
                });

            // The counts of the runs there are, and the triggers that keep them from now on. The SQL
            // is this migration's own copy: a later change to the model's triggers is a new migration.
            foreach (var sql in Create)
            {
                migrationBuilder.Sql(sql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Drop)
            {
                migrationBuilder.Sql(sql);
            }

            migrationBuilder.DropTable(
                name: "RunStateCounts");
        }

        private static readonly string[] Create =
        [
            """DELETE FROM "RunStateCounts";""",
            """INSERT INTO "RunStateCounts" ("State", "Count") SELECT "State", COUNT(*) FROM "Runs" GROUP BY "State";""",
            """
            CREATE TRIGGER "TR_Runs_CountInserted" AFTER INSERT ON "Runs"
            BEGIN
                INSERT INTO "RunStateCounts" ("State", "Count") VALUES (NEW."State", 1)
                    ON CONFLICT ("State") DO UPDATE SET "Count" = "Count" + 1;
            END;
            """,
            """
            CREATE TRIGGER "TR_Runs_CountStateChanged" AFTER UPDATE OF "State" ON "Runs" WHEN OLD."State" IS NOT NEW."State"
            BEGIN
                UPDATE "RunStateCounts" SET "Count" = "Count" - 1 WHERE "State" = OLD."State";
                INSERT INTO "RunStateCounts" ("State", "Count") VALUES (NEW."State", 1)
                    ON CONFLICT ("State") DO UPDATE SET "Count" = "Count" + 1;
            END;
            """,
            """
            CREATE TRIGGER "TR_Runs_CountDeleted" AFTER DELETE ON "Runs"
            BEGIN
                UPDATE "RunStateCounts" SET "Count" = "Count" - 1 WHERE "State" = OLD."State";
            END;
            """,
        ];

        private static readonly string[] Drop =
        [
            """DROP TRIGGER IF EXISTS "TR_Runs_CountInserted";""",
            """DROP TRIGGER IF EXISTS "TR_Runs_CountStateChanged";""",
            """DROP TRIGGER IF EXISTS "TR_Runs_CountDeleted";""",
        ];
    }
}
