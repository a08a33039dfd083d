using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Tests;

/// <summary>
/// An empty database with the current <see cref="Schema"/>, on SQLite (a temporary file) or PostgreSQL
/// (a uniquely named schema in the server named by PGO_TEST_POSTGRES). Disposing deletes it.
/// </summary>
public sealed class TestDb : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    internal TestDb(string provider, SqlDialect dialect, string connectionString, DbConnection connection, Func<ValueTask> cleanup)
    {
        Provider = provider;
        Dialect = dialect;
        ConnectionString = connectionString;
        Connection = connection;
        _cleanup = cleanup;
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider { get; }

    public SqlDialect Dialect { get; }

    /// <summary>Opens further connections to the same database (PostgreSQL: with its search path).</summary>
    public string ConnectionString { get; }

    /// <summary>An open connection, for the test's own use.</summary>
    public DbConnection Connection { get; }

    public DbConnection OpenConnection()
    {
        DbConnection c = Dialect.IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        c.Open();
        return c;
    }

    public DbCommand Command(string sql, IEnumerable<KeyValuePair<string, object?>>? parameters = null)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters ?? [])
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    /// <summary>Runs a statement whose placeholders are @p0, @p1, ... in the order of <paramref name="args"/>.</summary>
    public async Task<int> ExecuteAsync(string sql, params object?[] args)
    {
        await using var cmd = Command(sql, args.Select((a, i) => new KeyValuePair<string, object?>("@p" + i, a)));
        return await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async Task<List<object?[]>> QueryAsync(SqlQuery query)
    {
        await using var cmd = Command(query.Sql, query.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task<long> ScalarAsync(SqlQuery query)
    {
        await using var cmd = Command(query.Sql, query.Parameters);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _cleanup();
    }

    public override string ToString() => Provider;
}

/// <summary>
/// The databases every repository test runs against. SQLite always; PostgreSQL when PGO_TEST_POSTGRES holds
/// a connection string (<c>./pgo test</c> sets it). Without it the PostgreSQL variant is skipped with the reason,
/// unless CI=true or PGO_REQUIRE_POSTGRES=1, where it fails (<see cref="Needs"/>).
/// </summary>
public static class TestDatabases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string PostgresMissing = "PGO_TEST_POSTGRES not set: run ./pgo test";

    public static IReadOnlyList<string> Providers { get; } = [Sqlite, Postgres];

    /// <summary>For <c>[MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]</c>.</summary>
    public static TheoryData<string> All => new(Providers);

    public static string? PostgresConnectionString => NullIfEmpty(Environment.GetEnvironmentVariable("PGO_TEST_POSTGRES"));

    /// <summary>True when a missing PostgreSQL must fail the tests instead of skipping their PostgreSQL half.</summary>
    public static bool PostgresRequired => Needs.Required("PGO_REQUIRE_POSTGRES");

    /// <summary>
    /// A new empty, migrated database of <paramref name="provider"/>. PostgreSQL without a configured server: the test
    /// fails inside ./pgo test (PGO_REQUIRE_POSTGRES, CI) and is skipped outside it. Dispose it.
    /// </summary>
    public static async Task<TestDb> CreateAsync(string provider)
    {
        switch (provider)
        {
            case Sqlite:
                return await CreateSqliteAsync();
            case Postgres:
                // Outside ./pgo test the PostgreSQL variant is skipped, visibly (never a silent pass); inside it, it fails.
                return await CreatePostgresAsync(Needs.Postgres());
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Expected 'sqlite' or 'postgres'.");
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> once per provider on a fresh database (PostgreSQL only when configured,
    /// see <see cref="CreateAsync"/>), disposing each afterwards. For tests that are not theories.
    /// </summary>
    public static async Task ForEachAsync(Func<TestDb, Task> body)
    {
        foreach (var provider in Providers)
        {
            await using var db = await CreateAsync(provider);
            if (db is not null) await body(db);
        }
    }

    private static async Task<TestDb> CreateSqliteAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pgo-test-{Guid.NewGuid():N}.db");
        var cs = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await MigrateAsync(connection, SqlDialect.Sqlite);
        return new TestDb(Sqlite, SqlDialect.Sqlite, cs, connection, () =>
        {
            foreach (var f in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
            {
                try { File.Delete(f); } catch (IOException) { }
            }
            return ValueTask.CompletedTask;
        });
    }

    private static async Task<TestDb> CreatePostgresAsync(string serverConnectionString)
    {
        var schema = $"t_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(serverConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var cs = new NpgsqlConnectionStringBuilder(serverConnectionString) { SearchPath = schema }.ToString();
        var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await MigrateAsync(connection, SqlDialect.Postgres);
        return new TestDb(Postgres, SqlDialect.Postgres, cs, connection, async () =>
        {
            NpgsqlConnection.ClearPool(connection);
            await using var admin = new NpgsqlConnection(serverConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }

    private static async Task MigrateAsync(DbConnection connection, SqlDialect dialect)
    {
        foreach (var migration in Schema.Migrations)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = migration.Sql(dialect);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
