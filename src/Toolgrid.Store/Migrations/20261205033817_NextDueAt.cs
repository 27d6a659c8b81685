using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Toolgrid.Store.Migrations
{
    /// <inheritdoc />
    public partial class NextDueAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "NextDueAt",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_NextDueAt",
                table: "Jobs",
                column: "NextDueAt");

            // A live scheduled job's next due time comes after its last one (after its creation
            // when it has none), so that is a time at which the scheduler may look at it: the
            // first pass reads each such job and records its real next due time.
            migrationBuilder.Sql("""
                UPDATE "Jobs" SET "NextDueAt" = COALESCE("LastDueAt", "CreatedAt")
                WHERE "Kind" = 'Scheduled' AND "DeletedAt" IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_NextDueAt",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "NextDueAt",
                table: "Jobs");
        }
    }
}
