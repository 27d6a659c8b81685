using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Toolgrid.Store.Migrations
{
    /// <inheritdoc />
    /// <remarks>Existing rows get the values a job made now would have (one replica, generation 1, no environment).</remarks>
    public partial class ContinuousScheduledNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Email",
                table: "Tools",
                type: "TEXT",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DueAt",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Generation",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<bool>(
                name: "Healthy",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Port",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReadyAt",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TimeoutSeconds",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CatchUp",
                table: "Jobs",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Once");

            migrationBuilder.AddColumn<string>(
                name: "Concurrency",
                table: "Jobs",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Forbid");

            migrationBuilder.AddColumn<string>(
                name: "Environment",
                table: "Jobs",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<int>(
                name: "FixedPort",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Generation",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "HealthCheckHttpPath",
                table: "Jobs",
                type: "TEXT",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HealthCheckScript",
                table: "Jobs",
                type: "TEXT",
                maxLength: 8192,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Interactive",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "LastDueAt",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MergeOutput",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "NextStartAt",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Replicas",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "Restart",
                table: "Jobs",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Always");

            migrationBuilder.AddColumn<int>(
                name: "RestartCount",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Schedule",
                table: "Jobs",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Jobs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TimeoutSeconds",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Umask",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "UsesPort",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Webservice",
                table: "Jobs",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WorkingDirectory",
                table: "Jobs",
                type: "TEXT",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Mails",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ToolName = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Recipients = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FailedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Mails", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Notices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ToolName = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    JobName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RunId = table.Column<long>(type: "INTEGER", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Excerpt = table.Column<string>(type: "TEXT", maxLength: 16384, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    MailId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notices", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Node_Port",
                table: "Runs",
                columns: new[] { "Node", "Port" });

            migrationBuilder.CreateIndex(
                name: "IX_Mails_NextAttemptAt",
                table: "Mails",
                column: "NextAttemptAt");

            migrationBuilder.CreateIndex(
                name: "IX_Notices_MailId_ToolName",
                table: "Notices",
                columns: new[] { "MailId", "ToolName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Mails");

            migrationBuilder.DropTable(
                name: "Notices");

            migrationBuilder.DropIndex(
                name: "IX_Runs_Node_Port",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Email",
                table: "Tools");

            migrationBuilder.DropColumn(
                name: "DueAt",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Generation",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Healthy",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Port",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ReadyAt",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "TimeoutSeconds",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "CatchUp",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Concurrency",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Environment",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "FixedPort",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Generation",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "HealthCheckHttpPath",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "HealthCheckScript",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Interactive",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "LastDueAt",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "MergeOutput",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "NextStartAt",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Replicas",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Restart",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "RestartCount",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Schedule",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "TimeoutSeconds",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Umask",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "UsesPort",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Webservice",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "WorkingDirectory",
                table: "Jobs");
        }
    }
}
