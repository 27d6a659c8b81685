using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Toolgrid.Store.Migrations
{
    /// <inheritdoc />
    public partial class DedicatedQueues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LaunchQueue",
                table: "Runs",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "QueueGrants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Queue = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ToolName = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    GrantedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueueGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QueueGrants_Tools_ToolName",
                        column: x => x.ToolName,
                        principalTable: "Tools",
                        principalColumn: "Name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QueueRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Queue = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ToolName = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueueRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QueueRequests_Tools_ToolName",
                        column: x => x.ToolName,
                        principalTable: "Tools",
                        principalColumn: "Name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QueueGrants_Queue_ToolName",
                table: "QueueGrants",
                columns: new[] { "Queue", "ToolName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QueueGrants_ToolName",
                table: "QueueGrants",
                column: "ToolName");

            migrationBuilder.CreateIndex(
                name: "IX_QueueRequests_Queue_ToolName",
                table: "QueueRequests",
                columns: new[] { "Queue", "ToolName" },
                unique: true,
                filter: "\"State\" = 'Open'");

            migrationBuilder.CreateIndex(
                name: "IX_QueueRequests_State",
                table: "QueueRequests",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_QueueRequests_ToolName",
                table: "QueueRequests",
                column: "ToolName");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QueueGrants");

            migrationBuilder.DropTable(
                name: "QueueRequests");

            migrationBuilder.DropColumn(
                name: "LaunchQueue",
                table: "Runs");
        }
    }
}
