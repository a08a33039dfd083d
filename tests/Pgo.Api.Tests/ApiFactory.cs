using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Pgo.Api.Tests;

/// <summary>
/// The Api in-process on a fresh database: SQLite in a temp folder, or a fresh PostgreSQL database
/// when <paramref name="provider"/> is "postgres" (the cluster that ./pgo test starts; PGO_TEST_POSTGRES).
/// </summary>
public sealed class ApiFactory(string provider = "sqlite", bool demoData = false, string environment = "Development", string? dataDir = null, long maxBodyBytes = 1024 * 1024) : WebApplicationFactory<Program>
{
    private readonly string _dataDir = dataDir ?? Directory.CreateTempSubdirectory("pgo-api-test-").FullName;
    private readonly bool _ownsDataDir = dataDir is null;
    private string? _pgDatabase;

    public static IEnumerable<TheoryDataRow<string>> Providers() => [new("sqlite"), new("postgres")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        var settings = new Dictionary<string, string?>
        {
            ["Pgo:DataDirectory"] = _dataDir,
            ["Pgo:LoadDemoData"] = demoData ? "true" : "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Fhir:MaxBodyBytes"] = maxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (provider == "postgres") settings["ConnectionStrings:Fhir"] = CreatePostgresDatabase();
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
    }

    private string CreatePostgresDatabase()
    {
        var admin = PostgresConnectionString
            ?? throw new InvalidOperationException("PGO_TEST_POSTGRES is not set: run the tests with ./pgo test, which starts a PostgreSQL for them.");
        _pgDatabase = "pgo_api_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new NpgsqlConnection(admin))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {_pgDatabase}", conn);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = _pgDatabase }.ToString();
    }

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("PGO_TEST_POSTGRES");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_pgDatabase is not null && PostgresConnectionString is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        if (_ownsDataDir)
        {
            try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
