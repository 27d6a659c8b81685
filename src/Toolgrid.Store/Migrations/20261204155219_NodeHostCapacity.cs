using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Toolgrid.Store.Migrations
{
    /// <inheritdoc />
    public partial class NodeHostCapacity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "HostCpuMillis",
                table: "Nodes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "HostMemoryBytes",
                table: "Nodes",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HostCpuMillis",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "HostMemoryBytes",
                table: "Nodes");
        }
    }
}
