using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Pgo.Identity.Accounts;
using Pgo.Identity.Data;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>
/// Issue 15: Identity's schema comes from EF Core migrations, one set per provider. A database made before migrations
/// (by EnsureCreated plus a schema fingerprint) is baselined at start in every environment: its accounts survive.
/// </summary>
public class MigrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_SQLite_database_made_before_migrations_is_baselined_in_production_and_keeps_its_accounts()
    {
        var data = IdentityApp.NewDataDirectory();
        var options = new DbContextOptionsBuilder<SqliteIdentityDb>().UseSqlite($"Data Source={Path.Combine(data, "identity.db")};Pooling=False").Options;
        await using (var old = new SqliteIdentityDb(options)) await MakeTheOldWayAsync(old);

        await using (var production = new IdentityApp("Production", data, IdentityApp.ProductionSecrets()))
            production.CreateClient();

        await using var db = new SqliteIdentityDb(options);
        await ShouldBeMigratedWithTheOldAccountAsync(db);
    }

    [Fact]
    public async Task A_PostgreSQL_database_made_before_migrations_is_baselined_in_production_and_keeps_its_accounts()
    {
        var server = PostgresServer();
        var database = $"pgo_identity_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            var options = new DbContextOptionsBuilder<PostgresIdentityDb>().UseNpgsql(connectionString).Options;
            await using (var old = new PostgresIdentityDb(options)) await MakeTheOldWayAsync(old);

            var settings = IdentityApp.ProductionSecrets();
            settings["ConnectionStrings:Identity"] = connectionString;
            await using (var production = new IdentityApp("Production", settings: settings))
                production.CreateClient();

            await using var db = new PostgresIdentityDb(options);
            await ShouldBeMigratedWithTheOldAccountAsync(db);
        }
        finally
        {
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task A_database_from_before_migrations_with_an_older_schema_is_refused_outside_Development()
    {
        var data = IdentityApp.NewDataDirectory();
        var options = new DbContextOptionsBuilder<SqliteIdentityDb>().UseSqlite($"Data Source={Path.Combine(data, "identity.db")};Pooling=False").Options;
        await using (var old = new SqliteIdentityDb(options)) await MakeTheOldWayAsync(old, fingerprint: "0123456789ABCDEF0123456789ABCDEF");

        await using var production = new IdentityApp("Production", data, IdentityApp.ProductionSecrets());
        Should.Throw<Exception>(() => production.CreateClient()).ToString().ShouldContain("older schema; it cannot be upgraded");
    }

    /// <summary>What Identity's start-up did before migrations: the schema of that time (migration Initial's, without
    /// the history table), then the create script's fingerprint in table PgoSchema; plus an account registered by hand.
    /// Not EnsureCreated with today's model: later migrations (ClusterKeys, ...) are not part of the old schema.</summary>
    private static async Task MakeTheOldWayAsync(IdentityDb db, string? fingerprint = null)
    {
        var initial = db.Database.GetMigrations().First(id => id.EndsWith("_Initial", StringComparison.Ordinal));
        await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(initial, Cancel);
        await db.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"", Cancel);
        // Database.SqliteLegacyFingerprint / PostgresLegacyFingerprint: the fingerprints of that schema's create script.
        fingerprint ??= db.Database.IsNpgsql() ? "5D4BF67261E42E8A9D07EB654BC7CE5D" : "4DC69A2878CB6CC1095D29C2057C0FF6";
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE IF NOT EXISTS \"PgoSchema\" (\"Fingerprint\" varchar(64) NOT NULL)", Cancel);
        await db.Database.ExecuteSqlAsync($"INSERT INTO \"PgoSchema\" (\"Fingerprint\") VALUES ({fingerprint})", Cancel);
        db.Users.Add(new PgoUser
        {
            Id = "legacy-account", UserName = "oud@voorbeeld.nl", NormalizedUserName = "OUD@VOORBEELD.NL",
            Email = "oud@voorbeeld.nl", NormalizedEmail = "OUD@VOORBEELD.NL", DisplayName = "Oud Account",
            SecurityStamp = Guid.NewGuid().ToString("N"),
        });
        await db.SaveChangesAsync(Cancel);
    }

    private static async Task ShouldBeMigratedWithTheOldAccountAsync(IdentityDb db)
    {
        (await db.Database.GetAppliedMigrationsAsync(Cancel)).ShouldContain(id => id.EndsWith("_Initial", StringComparison.Ordinal));
        (await db.Database.GetPendingMigrationsAsync(Cancel)).ShouldBeEmpty();
        (await db.Users.SingleAsync(u => u.Id == "legacy-account", Cancel)).DisplayName.ShouldBe("Oud Account");
        Should.Throw<Exception>(() => db.Database.SqlQueryRaw<string>("SELECT \"Fingerprint\" AS \"Value\" FROM \"PgoSchema\"").ToList());
    }

    private static string PostgresServer()
    {
        var server = Environment.GetEnvironmentVariable("PGO_TEST_POSTGRES");
        if (!string.IsNullOrEmpty(server)) return server;
        // ./pgo test always sets it (and PGO_REQUIRE_POSTGRES): there a missing server is a failure, never a skip.
        if (Environment.GetEnvironmentVariable("PGO_REQUIRE_POSTGRES") == "1" || Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail("PGO_TEST_POSTGRES not set: run ./pgo test");
        Assert.Skip("PGO_TEST_POSTGRES is not set (./pgo test sets it).");
        return "";
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
