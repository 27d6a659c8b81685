using Microsoft.EntityFrameworkCore.Migrations;
using Toolgrid.Store.Counts;

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

            // The counts of the runs there are, and the triggers that keep them from now on.
            foreach (var sql in RunStateCountTriggers.Create)
            {
                migrationBuilder.Sql(sql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in RunStateCountTriggers.Drop)
            {
                migrationBuilder.Sql(sql);
            }

            migrationBuilder.DropTable(
                name: "RunStateCounts");
        }
    }
}
