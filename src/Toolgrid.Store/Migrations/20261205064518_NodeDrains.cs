using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Toolgrid.Store.Migrations
{
    /// <inheritdoc />
    public partial class NodeDrains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DrainReason",
                table: "Nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DrainedAt",
                table: "Nodes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DrainedBy",
                table: "Nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "EngineDrained",
                table: "Nodes",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "LoadAverage",
                table: "Nodes",
                type: "REAL",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DrainReason",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "DrainedAt",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "DrainedBy",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "EngineDrained",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "LoadAverage",
                table: "Nodes");
        }
    }
}
