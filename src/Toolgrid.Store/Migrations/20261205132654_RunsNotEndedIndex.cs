using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Toolgrid.Store.Migrations
{
    /// <inheritdoc />
    public partial class RunsNotEndedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Runs_JobId_NotEnded",
                table: "Runs",
                column: "JobId",
                filter: "\"State\" NOT IN ('Succeeded', 'Failed', 'Killed', 'Lost', 'Skipped')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_JobId_NotEnded",
                table: "Runs");
        }
    }
}
