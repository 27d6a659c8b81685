using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Toolgrid.Store.Migrations
{
    /// <inheritdoc />
    public partial class TokenScopesPersonLimitsIdempotency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MadeBy",
                table: "Tokens",
                type: "TEXT",
                maxLength: 128,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "ParentId",
                table: "Tokens",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Scope",
                table: "Tokens",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "IdempotentRequests",
                columns: table => new
                {
                    Caller = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Request = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: true),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Location = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotentRequests", x => new { x.Caller, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "PersonLimits",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MaxTools = table.Column<int>(type: "INTEGER", nullable: false),
                    SetBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SetAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonLimits", x => x.UserName);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_ParentId",
                table: "Tokens",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_IdempotentRequests_CreatedAt",
                table: "IdempotentRequests",
                column: "CreatedAt");

            migrationBuilder.AddForeignKey(
                name: "FK_Tokens_Tokens_ParentId",
                table: "Tokens",
                column: "ParentId",
                principalTable: "Tokens",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Tokens_Tokens_ParentId",
                table: "Tokens");

            migrationBuilder.DropTable(
                name: "IdempotentRequests");

            migrationBuilder.DropTable(
                name: "PersonLimits");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_ParentId",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "MadeBy",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "ParentId",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "Scope",
                table: "Tokens");
        }
    }
}
