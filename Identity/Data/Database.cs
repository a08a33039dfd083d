using Microsoft.EntityFrameworkCore;
using Pgo.Identity.Hosting;

namespace Pgo.Identity.Data;

/// <summary>
/// The one place that chooses the database. Without <c>ConnectionStrings:Identity</c> Identity uses SQLite
/// in the data directory (<c>identity.db</c>). With it, the form of the connection string decides:
/// <c>Host=...</c> is PostgreSQL, <c>Data Source=...</c> is SQLite; anything else is refused at start-up.
/// Identity needs a database of its own (it shares no tables with Api or Fhir).
/// </summary>
public static class Database
{
    public const string ConnectionStringName = "Identity";

    public static IServiceCollection AddIdentityDatabase(this IServiceCollection services)
    {
        // Resolved per DbContext, so that configuration supplied late (tests, environment) is honoured.
        services.AddDbContext<IdentityDb>((provider, options) =>
        {
            var connectionString = provider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
            switch (KindOf(connectionString))
            {
                case DatabaseKind.PostgreSql:
                    options.UseNpgsql(connectionString);
                    break;
                case DatabaseKind.Sqlite when string.IsNullOrWhiteSpace(connectionString):
                    options.UseSqlite($"Data Source={provider.GetRequiredService<DataDirectory>().Combine("identity.db")}");
                    break;
                default:
                    options.UseSqlite(connectionString);
                    break;
            }
        });
        return services;
    }

    public static DatabaseKind KindOf(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return DatabaseKind.Sqlite;
        var keys = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2)[0].Trim().Replace(" ", "").ToLowerInvariant())
            .ToHashSet();
        if (keys.Contains("host") || keys.Contains("server")) return DatabaseKind.PostgreSql;
        if (keys.Contains("datasource") || keys.Contains("filename")) return DatabaseKind.Sqlite;
        throw new InvalidOperationException(
            $"ConnectionStrings:{ConnectionStringName} is neither PostgreSQL (Host=...) nor SQLite (Data Source=...).");
    }

    /// <summary>
    /// Creates the schema when the database is new. EnsureCreated rather than migrations for now: the
    /// EF tooling (<c>dotnet ef</c>) is not available here to generate migrations for both providers.
    /// Note that EnsureCreated does nothing when the database already has tables, so a schema change
    /// needs migrations (or a fresh database) once accounts must be kept across versions.
    /// </summary>
    public static async Task CreateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await db.Database.EnsureCreatedAsync(cancellationToken);
    }
}

public enum DatabaseKind { Sqlite, PostgreSql }
