using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Pgo.Shared.Data;

namespace Pgo.Api.TeamSpace.Data;

/// <summary>
/// The team space's own database (never the FHIR store: it holds no dossier data). SQLite in one file by
/// default, PostgreSQL when the connection string says "Host=..." (the shared rule, Pgo.Shared.Data). The SQL is written once for both;
/// <see cref="IsPostgres"/> marks the few places that differ (identity columns and full-text search).
/// </summary>
public sealed class TeamSpaceDatabase : IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask<DbConnection>> _open;
    private readonly NpgsqlDataSource? _dataSource;
    // SQLite has one writer at a time; queueing writers here avoids busy-retries inside SQLite.
    private readonly SemaphoreSlim? _sqliteWriteLock;

    static TeamSpaceDatabase()
    {
        // Columns are snake_case (author_key), row classes PascalCase (AuthorKey).
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    private TeamSpaceDatabase(bool isPostgres, Func<CancellationToken, ValueTask<DbConnection>> open, NpgsqlDataSource? dataSource)
    {
        IsPostgres = isPostgres;
        _open = open;
        _dataSource = dataSource;
        _sqliteWriteLock = isPostgres ? null : new SemaphoreSlim(1, 1);
    }

    public bool IsPostgres { get; }

    /// <summary>The shared rule (<see cref="DatabaseConnection"/>): "Host=..."/"Server=..." is PostgreSQL, "Data Source=..." or a file path SQLite.</summary>
    public static TeamSpaceDatabase FromConnectionString(string connectionString)
    {
        var connection = DatabaseConnection.Parse(connectionString, "ConnectionStrings:TeamSpace");
        if (connection.IsPostgreSql)
        {
            var dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
            return new TeamSpaceDatabase(true, async ct => await dataSource.OpenConnectionAsync(ct), dataSource);
        }
        var path = connection.SqlitePath!;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
        return new TeamSpaceDatabase(false, async ct =>
        {
            var c = new SqliteConnection(cs);
            await c.OpenAsync(ct);
            return c;
        }, null);
    }

    public ValueTask<DbConnection> OpenAsync(CancellationToken ct) => _open(ct);

    /// <summary>Runs <paramref name="read"/> on an open connection.</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken ct)
    {
        await using var conn = await _open(ct);
        return await read(conn);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: it commits when the work returns and rolls back
    /// when it throws, so a refused or failed request leaves nothing half-stored.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (_sqliteWriteLock is not null) await _sqliteWriteLock.WaitAsync(ct);
        try
        {
            await using var conn = await _open(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var result = await work(conn, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            _sqliteWriteLock?.Release();
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct) =>
        WriteAsync(async (c, tx) => { await work(c, tx); return true; }, ct);

    /// <summary>A unique or primary-key constraint refused the write (both providers).</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>Brings the schema up to date; each migration runs once, in order, in one transaction.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = await _open(ct);
        if (!IsPostgres) await conn.ExecuteAsync("PRAGMA journal_mode=WAL;");
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Two processes starting together must not both migrate.
        if (IsPostgres) await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(727007);", transaction: tx);
        await conn.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS ts_schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL);",
            transaction: tx);
        var current = await conn.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM ts_schema_version;", transaction: tx);
        foreach (var m in TeamSpaceSchema.Migrations.Where(m => m.Version > current))
        {
            await conn.ExecuteAsync(m.Sql(IsPostgres), transaction: tx);
            // When the schema changed is the database's own time, never compared with the domain clock.
            await conn.ExecuteAsync($"INSERT INTO ts_schema_version (version, description, applied_ms) VALUES (@Version, @Description, {Pgo.Shared.Data.DatabaseConnection.NowMillisSql(IsPostgres ? Pgo.Shared.Data.DatabaseProvider.PostgreSql : Pgo.Shared.Data.DatabaseProvider.Sqlite)});",
                new { m.Version, m.Description }, tx);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<long> SchemaVersionAsync(CancellationToken ct = default) =>
        await ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM ts_schema_version;"), ct);

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        _sqliteWriteLock?.Dispose();
    }
}
