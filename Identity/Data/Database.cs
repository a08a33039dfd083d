using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
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

    public static IServiceCollection AddIdentityDatabase(this IServiceCollection services)
    {
        // Resolved per DbContext, so that configuration supplied late (tests, environment) is honoured.
        services.AddDbContext<IdentityDb>((provider, options) =>
        {
            var connection = ConnectionOf(provider);
            if (connection.IsPostgreSql) options.UseNpgsql(connection.ConnectionString);
            else options.UseSqlite(connection.ConnectionString);
        });
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
    /// Creates the schema when the database is new. EnsureCreated rather than migrations for now: the
    /// EF tooling (<c>dotnet ef</c>) is not available here to generate migrations for both providers.
    /// EnsureCreated does nothing when the database already has tables, so the schema's fingerprint (a hash
    /// of its create script) is stored next to it: a database from an older schema is rebuilt in Development
    /// on the embedded SQLite file (demo accounts come back at once; accounts registered by hand are lost,
    /// the log says so) and refused anywhere else, where migrations are needed before accounts must survive.
    /// </summary>
    public static async Task CreateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(db.Database.GenerateCreateScript())))[..32];
        if (await db.Database.EnsureCreatedAsync(cancellationToken))
        {
            await WriteFingerprintAsync(db, fingerprint, cancellationToken);
            return;
        }
        if (await ReadFingerprintAsync(db, cancellationToken) == fingerprint) return;

        var environment = scope.ServiceProvider.GetRequiredService<IHostEnvironment>();
        var configured = scope.ServiceProvider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
        if (!environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException(
                "The Identity database has an older schema than this version of Pgo.Identity. Migrate it or start on a new database.");
        scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Database))
            .LogWarning("The Identity database had an older schema; recreated it (Development, embedded SQLite). Demo accounts are seeded again");
        await db.Database.EnsureDeletedAsync(cancellationToken);
        await db.Database.EnsureCreatedAsync(cancellationToken);
        await WriteFingerprintAsync(db, fingerprint, cancellationToken);
    }

    private static async Task WriteFingerprintAsync(IdentityDb db, string fingerprint, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE IF NOT EXISTS \"PgoSchema\" (\"Fingerprint\" varchar(64) NOT NULL)", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"PgoSchema\"", cancellationToken);
        await db.Database.ExecuteSqlAsync($"INSERT INTO \"PgoSchema\" (\"Fingerprint\") VALUES ({fingerprint})", cancellationToken);
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

