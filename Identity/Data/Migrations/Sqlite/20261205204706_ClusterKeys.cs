using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pgo.Identity.Data.Migrations.Sqlite;

/// <inheritdoc />
public partial class ClusterKeys : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "DataProtectionKeys",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                Xml = table.Column<string>(type: "TEXT", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
            });

        migrationBuilder.CreateTable(
            name: "PgoTokenKeys",
            columns: table => new
            {
                Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                Purpose = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                Pem = table.Column<string>(type: "TEXT", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_PgoTokenKeys", x => x.Id);
            });
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(
            name: "DataProtectionKeys");

        migrationBuilder.DropTable(
            name: "PgoTokenKeys");
    }
}
