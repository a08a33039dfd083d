using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Pgo.Shared.Data;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Storage;

/// <summary>
/// The store on plain ADO.NET, one implementation for both providers: SQLite (the embedded default,
/// one file in WAL mode) and PostgreSQL. The SQL is written once; <see cref="SqlDialect"/> covers the
/// few differences. Internal: hosts open one through <see cref="FhirStore"/> and see it as <see cref="IFhirStore"/>.
/// </summary>
internal sealed partial class SqlFhirStore : IFhirStore, IResourceStore
{
    private readonly Func<CancellationToken, ValueTask<DbConnection>> _open;
    private readonly IAsyncDisposable? _dataSource;
    // SQLite has one writer at a time; queueing writers here avoids busy-retries inside SQLite.
    private readonly SemaphoreSlim? _sqliteWriteLock;

    private SqlFhirStore(SqlDialect dialect, Func<CancellationToken, ValueTask<DbConnection>> open, IAsyncDisposable? dataSource,
        StoreDurability durability = StoreDurability.Full)
    {
        Dialect = dialect;
        Durability = durability;
        _open = open;
        _dataSource = dataSource;
        _sqliteWriteLock = dialect.IsPostgres ? null : new SemaphoreSlim(1, 1);
    }

    public SqlDialect Dialect { get; }

    IResourceStore IFhirStore.Resources => this;

    /// <summary>What an acknowledged commit survives (docs/adr/0002-sqlite-durability.md). SQLite honours it per
    /// connection; PostgreSQL's durability is the server's own (fsync, synchronous_commit) and is reported as such.</summary>
    public StoreDurability Durability { get; }

    /// <summary>SQLite's fsync setting for every write transaction: FULL syncs the WAL before commit returns.</summary>
    private string SynchronousPragma => Durability == StoreDurability.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";

    /// <summary>An SQLite store in one file, in WAL mode. With <see cref="StoreDurability.Full"/> (the default) every
    /// acknowledged commit has been fsync'd and survives a power loss; <see cref="StoreDurability.Normal"/> survives the
    /// process being killed but an OS crash can lose the last commits: an explicit, documented choice only.</summary>
    public static SqlFhirStore Sqlite(string path, StoreDurability durability = StoreDurability.Full)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        return new SqlFhirStore(SqlDialect.Sqlite, async ct =>
        {
            var c = new SqliteConnection(cs);
            await c.OpenAsync(ct);
            return c;
        }, null, durability);
    }

    /// <summary>How many statements Npgsql keeps prepared per physical connection when the connection string does not
    /// say (<c>Max Auto Prepare</c>): a statement run five times (<c>Auto Prepare Min Usages</c>) is prepared once and
    /// then skips PostgreSQL's parse, analysis and, once its generic plan is chosen, planning. The store's SQL is
    /// parameterised, so one read or search shape is one statement; 0 in the connection string turns it off
    /// (docs/settings.md, docs/benchmarks-reads.md).</summary>
    internal const int DefaultMaxAutoPrepare = 128;

    /// <summary>
    /// The connection string with the store's defaults for what it does not set itself: <c>Max Auto Prepare</c>
    /// (<see cref="DefaultMaxAutoPrepare"/>) and <c>No Reset On Close=true</c>. The store keeps no session state on a
    /// connection (its locks are pg_advisory_xact_lock, released at commit; no SET, LISTEN or temporary table), so the
    /// reset Npgsql otherwise sends with the first statement after every pooled open (CLOSE ALL, UNLISTEN *,
    /// pg_advisory_unlock_all, DISCARD SEQUENCES/TEMP) is work for nothing on every request.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var changed = false;
        if (!keys.Contains("maxautoprepare")) { builder.MaxAutoPrepare = DefaultMaxAutoPrepare; changed = true; }
        if (!keys.Contains("noresetonclose")) { builder.NoResetOnClose = true; changed = true; }
        return changed ? builder.ToString() : connectionString;
    }

    public static SqlFhirStore Postgres(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(WithPostgresDefaults(connectionString));
        return new SqlFhirStore(SqlDialect.Postgres, async ct => await dataSource.OpenConnectionAsync(ct), dataSource);
    }

    /// <summary>Chooses the provider from a connection string by the shared rule (<see cref="DatabaseConnection"/>):
    /// "Host=..."/"Server=..." is PostgreSQL, "Data Source=..." or a file path SQLite.</summary>
    public static SqlFhirStore FromConnectionString(string connectionString, StoreDurability durability = StoreDurability.Full,
        string setting = "ConnectionStrings:Fhir")
    {
        var connection = DatabaseConnection.Parse(connectionString, setting);
        return connection.IsPostgreSql ? Postgres(connection.ConnectionString) : Sqlite(connection.SqlitePath!, durability);
    }

    /// <summary>What the store promises for an acknowledged commit, in words for /metadata and /health:
    /// SQLite "sqlite; synchronous=FULL" (or NORMAL); PostgreSQL the server's own fsync and synchronous_commit.</summary>
    public async Task<string> DescribeDurabilityAsync(CancellationToken ct = default)
    {
        if (!Dialect.IsPostgres) return Durability == StoreDurability.Full ? "sqlite; synchronous=FULL" : "sqlite; synchronous=NORMAL";
        await using var conn = await _open(ct);
        var fsync = await ScalarAsync(conn, null, "SELECT current_setting('fsync')", [], ct);
        var commit = await ScalarAsync(conn, null, "SELECT current_setting('synchronous_commit')", [], ct);
        return $"postgresql; fsync={fsync}; synchronous_commit={commit}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        if (!Dialect.IsPostgres) SqliteConnection.ClearAllPools();
        _sqliteWriteLock?.Dispose();
    }

    // ---------------------------------------------------------------- schema

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = await _open(ct);
        if (!Dialect.IsPostgres)
            await ExecAsync(conn, null, "PRAGMA journal_mode=WAL;", ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Two processes starting together must not both migrate.
        if (Dialect.IsPostgres) await ExecAsync(conn, tx, "SELECT pg_advisory_xact_lock(727001);", ct);
        await ExecAsync(conn, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL);", ct);
        var current = Convert.ToInt32(await ScalarAsync(conn, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", [], ct) ?? 0, CultureInfo.InvariantCulture);
        foreach (var m in Schema.Migrations.Where(m => m.Version > current))
        {
            await ExecAsync(conn, tx, m.Sql(Dialect), ct);
            if (m.Backfill) await BackfillAsync(conn, tx, m.Version, ct);
            // When the schema changed is the database's own time, like a log line, never compared with the domain clock.
            await ExecAsync(conn, tx, $"INSERT INTO schema_version (version, description, applied_ms) VALUES (@v, @d, {DatabaseConnection.NowMillisSql(Dialect.IsPostgres ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite)});", ct,
                ("@v", m.Version), ("@d", m.Description));
        }
        await tx.CommitAsync(ct);
    }


    /// <summary>The schema version the database is on (for tests and diagnostics).</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken ct = default)
    {
        await using var conn = await _open(ct);
        return Convert.ToInt32(await ScalarAsync(conn, null, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", [], ct) ?? 0, CultureInfo.InvariantCulture);
    }

    // ---------------------------------------------------------------- reads

    private const string ResourceColumns = "r.res_type, r.res_id, r.version, r.last_updated, r.deleted, r.json";

    public async Task<StoredResource?> ReadAsync(string type, string id, AccessScope scope, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"SELECT {ResourceColumns} FROM resource r WHERE r.res_type = {bag.Add(type)} AND r.res_id = {bag.Add(id)} AND {scope.Predicate("r", bag)}";
        await using var conn = await _open(ct);
        var rows = await ReadRowsAsync(conn, null, new SqlQuery(sql, bag.Values), withDeleted: true, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<StoredResource?> ReadVersionAsync(string type, string id, int version, AccessScope scope, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        // Access is decided on the version itself: its own section and compartments, not where the resource is now.
        var sql = $"""
            SELECT v.res_type, v.res_id, v.version, v.last_updated, v.deleted, v.json
            FROM resource_version v
            WHERE v.res_type = {bag.Add(type)} AND v.res_id = {bag.Add(id)} AND v.version = {bag.Add(version)} AND {scope.Predicate("v", bag, perVersion: true)}
            """;
        await using var conn = await _open(ct);
        var rows = await ReadRowsAsync(conn, null, new SqlQuery(sql, bag.Values), withDeleted: true, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<StoredResource>> QueryAsync(SqlQuery query, CancellationToken ct = default)
    {
        await using var conn = await _open(ct);
        return await ReadRowsAsync(conn, null, query, withDeleted: false, ct);
    }

    public Task<IReadOnlyList<StoredResource>> ScanAsync(string type, string text, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        // LIKE wildcards in the text itself are escaped: the scan looks for the text as written.
        var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        return QueryAsync(new SqlQuery(
            $"SELECT r.res_type, r.res_id, r.version, r.last_updated, r.json FROM resource r WHERE r.res_type = {bag.Add(type)} AND r.deleted = 0 AND r.json LIKE {bag.Add(pattern)} ESCAPE '\\'",
            bag.Values), ct);
    }

    public async Task<IReadOnlyList<(string Type, string Id)>> CompartmentAsync(string patientId, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var rows = await QueryRowsAsync(new SqlQuery($"SELECT DISTINCT res_type, res_id FROM resource_compartment WHERE patient_id = {bag.Add(patientId)}", bag.Values), ct);
        return rows.Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
    }

    public async Task<long> CountAsync(SqlQuery query, CancellationToken ct = default)
    {
        await using var conn = await _open(ct);
        return Convert.ToInt64(await ScalarAsync(conn, null, query.Sql, query.Parameters, ct) ?? 0L, CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string? type, string? id, DateTimeOffset? since, int count, int offset, AccessScope scope, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var where = HistoryWhere(type, id, since, scope, bag);
        var sql = $"""
            SELECT v.res_type, v.res_id, v.version, v.last_updated, v.deleted, v.json, v.method, v.seq
            FROM resource_version v
            WHERE {where}
            ORDER BY v.seq DESC LIMIT {bag.Add(count)} OFFSET {bag.Add(offset)}
            """;
        await using var conn = await _open(ct);
        await using var cmd = Command(conn, null, sql, bag.Values);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<HistoryEntry>();
        while (await reader.ReadAsync(ct))
            list.Add(new HistoryEntry(ReadResource(reader), reader.GetString(6), reader.GetInt64(7)));
        return list;
    }

    public async Task<long> HistoryCountAsync(string? type, string? id, DateTimeOffset? since, AccessScope scope, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"SELECT COUNT(*) FROM resource_version v WHERE {HistoryWhere(type, id, since, scope, bag)}";
        await using var conn = await _open(ct);
        return Convert.ToInt64(await ScalarAsync(conn, null, sql, bag.Values, ct) ?? 0L, CultureInfo.InvariantCulture);
    }

    private static string HistoryWhere(string? type, string? id, DateTimeOffset? since, AccessScope scope, SqlParameterBag bag)
    {
        // Each version is judged by its own place (section and compartments when it was written).
        var parts = new List<string> { scope.Predicate("v", bag, perVersion: true) };
        if (type is not null) parts.Add($"v.res_type = {bag.Add(type)}");
        if (id is not null) parts.Add($"v.res_id = {bag.Add(id)}");
        if (since is not null) parts.Add($"v.last_updated >= {bag.Add(since.Value.ToUnixTimeMilliseconds())}");
        return string.Join(" AND ", parts);
    }

    // ---------------------------------------------------------------- writes

    public Task<T> WriteAsync<T>(Func<IWriteSession, Task<T>> work, CancellationToken ct = default) =>
        InWriteTransactionAsync(async (conn, tx) =>
        {
            var session = new WriteSession(this, conn, tx, ct);
            var result = await work(session);
            // What the work collected goes out now, the access stamp last (WriteSession.FinishAsync).
            await session.FinishAsync();
            await CommitAsync(tx);
            if (session.Changed) SignalCommitted();
            return result;
        }, ct);

    /// <summary>
    /// What every write transaction shares (the writes of <see cref="WriteAsync{T}"/> and the bulk import): the store's one
    /// SQLite writer at a time, a connection (SQLite: the durability pragma), the transaction, and on PostgreSQL the writers'
    /// advisory lock up front; then <paramref name="work"/>, which writes and commits (<see cref="CommitAsync"/>) or rolls
    /// back itself. A commit of unknown outcome becomes 503 (<see cref="FhirException.OutcomeUnknown"/>), a unique violation
    /// a concurrent writer's 409, anything else is rolled back and rethrown.
    /// </summary>
    private async Task<T> InWriteTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (_sqliteWriteLock is not null) await _sqliteWriteLock.WaitAsync(ct);
        try
        {
            await using var conn = await _open(ct);
            if (!Dialect.IsPostgres) await ExecAsync(conn, null, SynchronousPragma, ct);
            // SQLite: BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) takes the write lock up front.
            await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            // PostgreSQL: the same up front, with the lock every write takes anyway for the audit chain and the outbox
            // (docs/adr/0002). Writers then run one at a time from their first read, so a conditional create or update
            // sees what the writer before it committed: two writers with the same If-None-Exist make one resource.
            if (Dialect.IsPostgres) await ExecAsync(conn, tx, $"SELECT pg_advisory_xact_lock({AuditLockKey});", ct);
            try
            {
                return await work(conn, tx);
            }
            catch (CommitOutcomeUnknownException)
            {
                // Nothing to roll back: the connection is gone, and the commit may or may not have happened.
                throw FhirException.OutcomeUnknown();
            }
            catch (Exception e) when (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or SqliteException { SqliteErrorCode: 19 })
            {
                await tx.RollbackAsync(CancellationToken.None);
                throw FhirException.Conflict(FhirText.ConcurrentChange);
            }
            catch
            {
                await tx.RollbackAsync(CancellationToken.None);
                throw;
            }
        }
        finally
        {
            _sqliteWriteLock?.Release();
        }
    }

    /// <summary>Commits. On PostgreSQL a failure of the commit itself leaves its outcome unknown (the server may have
    /// committed before the connection broke), which must not be reported as "nothing stored". SQLite is local: a
    /// commit that throws did not happen.</summary>
    private async Task CommitAsync(DbTransaction tx)
    {
        try
        {
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception e) when (Dialect.IsPostgres && e is (NpgsqlException and not PostgresException) or IOException or TimeoutException or ObjectDisposedException)
        {
            throw new CommitOutcomeUnknownException(e);
        }
    }

    private sealed class CommitOutcomeUnknownException(Exception inner) : Exception("The commit's outcome is unknown.", inner);

    private sealed class WriteSession(SqlFhirStore store, DbConnection conn, DbTransaction tx, CancellationToken ct) : IWriteSession
    {
        // What this transaction writes and reads nothing back from, sent together (StatementBatch): before each read of
        // this session and before the commit (FinishAsync).
        private readonly StatementBatch _batch = new(store.Dialect.IsPostgres);
        // The audit chain's head as this transaction has moved it. Read once: this transaction holds the lock every audit
        // append takes (PostgreSQL's advisory lock, SQLite's write lock) from its start to its commit, so nobody else moves
        // it meanwhile; written once, at the end.
        private (long N, string Hash)? _auditHead;
        private bool _auditHeadMoved;

        /// <summary>Whether this transaction wrote outbox rows (then listeners are told after the commit).</summary>
        public bool Changed { get; private set; }

        private Task FlushAsync() => _batch.FlushAsync(conn, tx, ct);

        private async Task FlushIfFullAsync()
        {
            if (_batch.IsFull) await FlushAsync();
        }

        /// <summary>The last statements before the commit: the audit head, then the access stamp (its row lock is held only
        /// from there to the commit, after every other lock this writer takes: no lock-order cycle with it), all sent.</summary>
        public async Task FinishAsync()
        {
            if (_auditHeadMoved && _auditHead is { } head) AddAuditHead(_batch, head.N, head.Hash);
            if (AccessChanged) _batch.Add("UPDATE access_stamp SET n = n + 1 WHERE id = 1");
            await FlushAsync();
        }

        public async Task<StoredResource?> ReadAsync(string type, string id)
        {
            await FlushAsync();
            var lockClause = store.Dialect.IsPostgres ? " FOR UPDATE" : "";
            var sql = $"SELECT {ResourceColumns} FROM resource r WHERE r.res_type = @t AND r.res_id = @i{lockClause}";
            var rows = await ReadRowsAsync(conn, tx, new SqlQuery(sql, [new("@t", type), new("@i", id)]), withDeleted: true, ct);
            return rows.Count == 0 ? null : rows[0];
        }

        public async Task<IReadOnlyList<StoredResource>> QueryAsync(SqlQuery query)
        {
            await FlushAsync();
            return await ReadRowsAsync(conn, tx, query, withDeleted: false, ct);
        }

        public async Task<StoredResource> PutAsync(ResourceWrite w)
        {
            if (w.IsNewId)
            {
                // Fast path for creates: nothing to read, nothing old to remove.
                store.AddVersion(_batch, w.Type, w.Id, 1, w.LastUpdated, deleted: false, w.Method, w.Json, w.Section, w.Index.PatientCompartment);
                await AddIndexAsync(w.Type, w.Id, w.Index);
                Changed = true;
                NoteAccessChange(w.Type);
                AddChange(_batch, w.Type, w.Id, 1, "create", w.Section, w.Index.PatientCompartment, w.Note, w.LastUpdated);
                await FlushIfFullAsync();
                return new StoredResource(w.Type, w.Id, 1, w.LastUpdated, false, w.Json);
            }
            var current = await ReadAsync(w.Type, w.Id);
            var currentVersion = current?.Version ?? 0;
            if (w.ExpectedVersion is { } expected && expected != currentVersion)
                throw FhirException.PreconditionFailed(Text.Format(FhirText.ChangedMeanwhile, w.Type, w.Id, currentVersion, expected));
            var version = currentVersion + 1;
            store.AddVersion(_batch, w.Type, w.Id, version, w.LastUpdated, deleted: false, w.Method, w.Json, w.Section, w.Index.PatientCompartment);
            if (current is not null) AddDeleteIndex(_batch, w.Type, w.Id, keepCompartment: false);
            await AddIndexAsync(w.Type, w.Id, w.Index);
            Changed = true;
            NoteAccessChange(w.Type);
            AddChange(_batch, w.Type, w.Id, version, current is null || current.Deleted ? "create" : "update",
                w.Section, w.Index.PatientCompartment, w.Note, w.LastUpdated);
            await FlushIfFullAsync();
            return new StoredResource(w.Type, w.Id, version, w.LastUpdated, false, w.Json);
        }

        public async Task<StoredResource?> DeleteAsync(string type, string id, DateTimeOffset when, int? expectedVersion = null, ChangeNote? note = null)
        {
            var current = await ReadAsync(type, id);
            if (current is null || current.Deleted) return null;
            if (expectedVersion is { } expected && expected != current.Version)
                throw FhirException.PreconditionFailed(Text.Format(FhirText.ChangedMeanwhile, type, id, current.Version, expected));
            var version = current.Version + 1;
            // A deletion keeps the section and compartments of the version it deletes (the current row keeps them too),
            // so that access to its history is still decided by the dossier it belonged to.
            var (section, patients) = await PlaceAsync(type, id);
            store.AddVersion(_batch, type, id, version, when, deleted: true, "DELETE", "", section, patients);
            // A deleted resource is no longer searchable, but keeps its compartment.
            AddDeleteIndex(_batch, type, id, keepCompartment: true);
            Changed = true;
            NoteAccessChange(type);
            AddChange(_batch, type, id, version, "delete", section, patients, note, when);
            await FlushIfFullAsync();
            return new StoredResource(type, id, version, when, true, "");
        }

        /// <summary>Whether this transaction wrote a type the access policy's facts come from: then the access stamp moves
        /// inside it, just before the commit (<see cref="FinishAsync"/>), so a cached scope never outlives the commit that
        /// changes it (Access/ConsentAccessPolicy).</summary>
        public bool AccessChanged { get; private set; }

        private void NoteAccessChange(string type)
        {
            if (AccessStampTypes.Contains(type)) AccessChanged = true;
        }

        public async Task AppendAuditAsync(IReadOnlyList<AuditRecord> records)
        {
            if (records.Count == 0) return;
            // The lock the chain needs is this transaction's own (WriteAsync), held until its commit.
            _auditHead ??= await ReadAuditHeadAsync(conn, tx, ct);
            var (n, previous) = _auditHead.Value;
            foreach (var chunk in records.Chunk(AuditRowsPerStatement))
            {
                AddAuditRows(_batch, chunk, ref n, ref previous);
                await FlushIfFullAsync();
            }
            _auditHead = (n, previous);
            _auditHeadMoved = true;
        }

        public async Task<(string? Section, IReadOnlyList<string> Patients)> PlaceAsync(string type, string id)
        {
            await FlushAsync();
            var section = await ScalarAsync(conn, tx, "SELECT section FROM resource WHERE res_type = @t AND res_id = @i", [new("@t", type), new("@i", id)], ct) as string;
            var patients = new List<string>();
            await using (var cmd = Command(conn, tx, "SELECT patient_id FROM resource_compartment WHERE res_type = @t AND res_id = @i", [new("@t", type), new("@i", id)]))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) patients.Add(reader.GetString(0));
            return (section, patients);
        }

        public async Task PurgeAsync(string type, string id)
        {
            NoteAccessChange(type);
            AddDeleteIndex(_batch, type, id, keepCompartment: false);
            var (t, i) = (_batch.Bag.Add(type), _batch.Bag.Add(id));
            foreach (var table in PurgedTables)
                _batch.Add($"DELETE FROM {table} WHERE res_type = {t} AND res_id = {i}");
            await FlushIfFullAsync();
        }

        private async Task AddIndexAsync(string type, string id, ResourceIndex index)
        {
            await AddRowsAsync("idx_string", ["param", "norm", "exact"], type, id,
                index.Strings.Select(s => new object?[] { s.Param, s.Normalized, s.Exact }));
            await AddRowsAsync("idx_token", ["param", "system", "code", "text"], type, id,
                index.Tokens.Select(s => new object?[] { s.Param, s.System, s.Code, s.Text }));
            await AddRowsAsync("idx_reference", ["param", "target_type", "target_id", "url"], type, id,
                index.References.Select(s => new object?[] { s.Param, s.TargetType, s.TargetId, s.Url }));
            await AddRowsAsync("idx_date", ["param", "start_ms", "end_ms"], type, id,
                index.Dates.Select(s => new object?[] { s.Param, s.Start, s.End }));
            await AddRowsAsync("idx_number", ["param", "value", "low", "high"], type, id,
                index.Numbers.Select(s => new object?[] { s.Param, store.DecimalValue(s.Value), store.DecimalValue(s.Low), store.DecimalValue(s.High) }));
            await AddRowsAsync("idx_quantity", ["param", "system", "code", "unit", "value", "low", "high"], type, id,
                index.Quantities.Select(s => new object?[] { s.Param, s.System, s.Code, s.Unit, store.DecimalValue(s.Value), store.DecimalValue(s.Low), store.DecimalValue(s.High) }));
            await AddRowsAsync("idx_uri", ["param", "uri"], type, id,
                index.Uris.Select(s => new object?[] { s.Param, s.Uri }));
            await AddRowsAsync("resource_compartment", ["patient_id"], type, id,
                index.PatientCompartment.Distinct(StringComparer.Ordinal).Select(p => new object?[] { p }));
        }

        // Multi-row INSERT in chunks: one statement per table for a typical resource.
        private async Task AddRowsAsync(string table, string[] columns, string type, string id, IEnumerable<object?[]> rows)
        {
            foreach (var chunk in rows.Chunk(200))
            {
                var bag = _batch.Bag;
                var t = bag.Add(type);
                var i = bag.Add(id);
                var values = string.Join(", ", chunk.Select(r => "(" + t + ", " + i + ", " + string.Join(", ", r.Select(bag.Add)) + ")"));
                _batch.Add($"INSERT INTO {table} (res_type, res_id, {string.Join(", ", columns)}) VALUES {values}");
                await FlushIfFullAsync();
            }
        }
    }

    /// <summary>The types whose writes can change what a caller may see: the grants (Consent), who a Person acts as (Person,
    /// PractitionerRole, and the records they name), the clients' birth dates (Patient), care teams.</summary>
    internal static readonly IReadOnlySet<string> AccessStampTypes = new HashSet<string>(StringComparer.Ordinal)
        { "Consent", "Person", "PractitionerRole", "Practitioner", "Organization", "RelatedPerson", "Patient", "CareTeam" };

    /// <summary>A new version: its row, its compartments, and the current row pointing at it (its seq looked up by the
    /// version's unique key in the same command, so nothing has to come back before the rest is sent).</summary>
    private void AddVersion(StatementBatch batch, string type, string id, int version, DateTimeOffset when, bool deleted, string method, string json,
        string? section, IReadOnlyCollection<string> patients)
    {
        var bag = batch.Bag;
        var (t, i, v, u, d, m, j, sec) = (bag.Add(type), bag.Add(id), bag.Add(version), bag.Add(when.ToUnixTimeMilliseconds()),
            bag.Add(deleted ? (short)1 : (short)0), bag.Add(method), bag.Add(json), bag.Add(section));
        batch.Add($"""
            INSERT INTO resource_version (res_type, res_id, version, last_updated, deleted, method, json, section)
            VALUES ({t}, {i}, {v}, {u}, {d}, {m}, {j}, {sec})
            """);
        var distinct = patients.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 0)
            batch.Add($"INSERT INTO resource_version_compartment (res_type, res_id, version, patient_id) VALUES {string.Join(", ", distinct.Select(p => $"({t}, {i}, {v}, {bag.Add(p)})"))}");
        batch.Add($"""
            INSERT INTO resource (res_type, res_id, version, last_updated, deleted, seq, json, section)
            VALUES ({t}, {i}, {v}, {u}, {d}, (SELECT seq FROM resource_version WHERE res_type = {t} AND res_id = {i} AND version = {v}), {j}, {sec})
            ON CONFLICT (res_type, res_id) DO UPDATE SET
              version = excluded.version, last_updated = excluded.last_updated, deleted = excluded.deleted,
              seq = excluded.seq, json = excluded.json, section = COALESCE(excluded.section, resource.section)
            """);
    }

    private static readonly string[] IndexTables = ["idx_string", "idx_token", "idx_reference", "idx_date", "idx_number", "idx_quantity", "idx_uri"];
    private static readonly string[] IndexAndCompartmentTables = [.. IndexTables, "resource_compartment"];
    private static readonly string[] PurgedTables = ["resource_version_compartment", "resource_version", "resource"];

    private static void AddDeleteIndex(StatementBatch batch, string type, string id, bool keepCompartment)
    {
        var (t, i) = (batch.Bag.Add(type), batch.Bag.Add(id));
        foreach (var table in keepCompartment ? IndexTables : IndexAndCompartmentTables)
            batch.Add($"DELETE FROM {table} WHERE res_type = {t} AND res_id = {i}");
    }

    /// <summary>SQLite stores decimals as REAL; PostgreSQL as NUMERIC.</summary>
    internal object DecimalValue(decimal value) => Dialect.IsPostgres ? value : (double)value;

    // ---------------------------------------------------------------- ADO helpers

    private static DbCommand Command(DbConnection conn, DbTransaction? tx, string sql, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private static async Task ExecAsync(DbConnection conn, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(DbConnection conn, DbTransaction? tx, string sql, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    private static async Task<IReadOnlyList<StoredResource>> ReadRowsAsync(DbConnection conn, DbTransaction? tx, SqlQuery query, bool withDeleted, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, query.Sql, query.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<StoredResource>();
        // Search queries return five columns (no deleted flag: they only see live resources).
        var hasDeletedColumn = reader.FieldCount >= 6 && withDeleted;
        while (await reader.ReadAsync(ct))
            list.Add(hasDeletedColumn ? ReadResource(reader) : new StoredResource(
                reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture)), false, reader.GetString(4)));
        return list;
    }

    private static StoredResource ReadResource(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture)),
        Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture) != 0, reader.GetString(5));
}
