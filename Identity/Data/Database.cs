using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Pgo.Identity.Hosting;
using Pgo.Shared.Data;

namespace Pgo.Identity.Data;

/// <summary>
/// The one place that chooses Identity's database. Without <c>ConnectionStrings:Identity</c> Identity uses SQLite
/// in the data directory (<c>identity.db</c>). With it, the shared rule (<see cref="DatabaseConnection"/>) decides:
/// <c>Host=...</c>/<c>Server=...</c> is PostgreSQL, <c>Data Source=...</c> or a file path is SQLite; anything else is
/// refused at start-up. Identity needs a database of its own (it shares no tables with Api or Fhir).
/// </summary>
public static class Database
{
    public const string ConnectionStringName = "Identity";

    /// <summary>The schema fingerprints that the EnsureCreated start-up (before migrations) stored in table
    /// <c>PgoSchema</c>, for the schema of migration <c>Initial</c>: such a database is baselined, not rebuilt.</summary>
    internal const string SqliteLegacyFingerprint = "4DC69A2878CB6CC1095D29C2057C0FF6";
    internal const string PostgresLegacyFingerprint = "5D4BF67261E42E8A9D07EB654BC7CE5D";

    public static IServiceCollection AddIdentityDatabase(this IServiceCollection services)
    {
        // Resolved per DbContext, so that configuration supplied late (tests, environment) is honoured.
        // Migrations are per provider, so each provider has its context; the rest of Identity asks for IdentityDb.
        services.AddDbContext<SqliteIdentityDb>((provider, options) => options.UseSqlite(ConnectionOf(provider).ConnectionString));
        services.AddDbContext<PostgresIdentityDb>((provider, options) => options.UseNpgsql(ConnectionOf(provider).ConnectionString));
        services.AddScoped<IdentityDb>(provider => ConnectionOf(provider).IsPostgreSql
            ? provider.GetRequiredService<PostgresIdentityDb>()
            : provider.GetRequiredService<SqliteIdentityDb>());
        return services;
    }

    /// <summary>The configured connection, or the SQLite file in the data directory when none is configured.</summary>
    public static DatabaseConnection ConnectionOf(IServiceProvider provider)
    {
        var configured = provider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
        return string.IsNullOrWhiteSpace(configured)
            ? DatabaseConnection.Parse(provider.GetRequiredService<DataDirectory>().Combine("identity.db"), $"ConnectionStrings:{ConnectionStringName}")
            : DatabaseConnection.Parse(configured, $"ConnectionStrings:{ConnectionStringName}");
    }

    /// <summary>
    /// Brings the schema up to date with EF Core migrations (Data/Migrations/Sqlite and /Postgres). A database made
    /// before migrations (by EnsureCreated: tables, no <c>__EFMigrationsHistory</c>) whose stored fingerprint is the
    /// schema of migration Initial is baselined: Initial is recorded as applied and later migrations run as usual, in
    /// every environment. A pre-migrations database of an even older schema cannot be upgraded: it is rebuilt in
    /// Development on the embedded SQLite file (demo accounts come back; the log says so) and refused elsewhere.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        if (await IsFromBeforeMigrationsAsync(db, cancellationToken))
        {
            var fingerprint = await ReadFingerprintAsync(db, cancellationToken);
            if (fingerprint == (db.Database.IsNpgsql() ? PostgresLegacyFingerprint : SqliteLegacyFingerprint))
            {
                await BaselineAsync(db, cancellationToken);
                scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Database))
                    .LogInformation("The Identity database was made before migrations; recorded it as migration Initial");
            }
            else
            {
                var environment = scope.ServiceProvider.GetRequiredService<IHostEnvironment>();
                var configured = scope.ServiceProvider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
                if (!environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configured))
                    throw new InvalidOperationException(
                        "The Identity database was made by a version from before migrations with an older schema; it cannot be upgraded. Start on a new database.");
                scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Database))
                    .LogWarning("The Identity database had a schema from before migrations; recreated it (Development, embedded SQLite). Demo accounts are seeded again");
                await db.Database.EnsureDeletedAsync(cancellationToken);
            }
        }
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Fingerprint of a create script, as the EnsureCreated start-up computed it.</summary>
    public static string Fingerprint(string createScript) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(createScript)))[..32];

    private static async Task<bool> IsFromBeforeMigrationsAsync(IdentityDb db, CancellationToken cancellationToken)
    {
        if (!await db.Database.CanConnectAsync(cancellationToken)) return false;
        var tables = db.Database.IsNpgsql()
            ? "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema()"
            : "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'";
        var names = await db.Database.SqlQueryRaw<string>(tables).ToListAsync(cancellationToken);
        return names.Contains("AspNetUsers") && !names.Contains("__EFMigrationsHistory"); // tables, but no history
    }

    /// <summary>Records every migration up to and including Initial as applied, and drops the fingerprint table.</summary>
    private static async Task BaselineAsync(IdentityDb db, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        var initial = db.Database.GetMigrations().First(id => id.EndsWith("_Initial", StringComparison.Ordinal));
        var version = typeof(DbContext).Assembly.GetName().Version!;
        var script = history.GetCreateIfNotExistsScript()
            + history.GetInsertScript(new HistoryRow(initial, $"{version.Major}.{version.Minor}.{version.Build}"));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(script, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DROP TABLE \"PgoSchema\"", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<string?> ReadFingerprintAsync(IdentityDb db, CancellationToken cancellationToken)
    {
        try
        {
            return (await db.Database.SqlQueryRaw<string>("SELECT \"Fingerprint\" AS \"Value\" FROM \"PgoSchema\"").ToListAsync(cancellationToken))
                .FirstOrDefault();
        }
        catch (DbException)
        {
            return null; // a database from before the fingerprint
        }
    }
}
