using Pgo.Fhir.Access;

namespace Pgo.Fhir.Storage;

/// <summary>
/// Durable storage of resources, their versions and their search index rows.
/// Two real providers (SQLite, PostgreSQL) implement it with the same SQL; see <see cref="SqlFhirStore"/>.
/// Every method that returns resources takes the caller's compiled <see cref="AccessScope"/>
/// and applies it inside the SQL.
/// </summary>
public interface IFhirStore : IAsyncDisposable
{
    SqlDialect Dialect { get; }

    /// <summary>Creates or upgrades the schema to <see cref="Schema.Latest"/>.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>The current version, including a deletion marker; null when the resource never existed or is outside the scope.</summary>
    Task<StoredResource?> ReadAsync(string type, string id, AccessScope scope, CancellationToken ct = default);

    Task<StoredResource?> ReadVersionAsync(string type, string id, int version, AccessScope scope, CancellationToken ct = default);

    /// <summary>Runs a composed search query whose columns are res_type, res_id, version, last_updated, json.</summary>
    Task<IReadOnlyList<StoredResource>> QueryAsync(SqlQuery query, CancellationToken ct = default);

    Task<long> CountAsync(SqlQuery query, CancellationToken ct = default);

    /// <summary>Versions newest first, optionally of one type or one resource, at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string? type, string? id, DateTimeOffset? since, int count, int offset, AccessScope scope, CancellationToken ct = default);

    Task<long> HistoryCountAsync(string? type, string? id, DateTimeOffset? since, AccessScope scope, CancellationToken ct = default);

    /// <summary>
    /// Runs <paramref name="work"/> in one database transaction: everything it writes commits together
    /// or not at all (an exception rolls back). Writes are serialized per resource by version checks.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IWriteSession, Task<T>> work, CancellationToken ct = default);
}

/// <summary>The operations available inside one write transaction.</summary>
public interface IWriteSession
{
    /// <summary>The current version as this transaction sees it (unrestricted: writes check access before).</summary>
    Task<StoredResource?> ReadAsync(string type, string id);

    Task<IReadOnlyList<StoredResource>> QueryAsync(SqlQuery query);

    /// <summary>Stores a new version (version 1 when new). Throws 412 when ExpectedVersion does not match.</summary>
    Task<StoredResource> PutAsync(ResourceWrite write);

    /// <summary>Marks the resource deleted as a new version. Returns null when there was nothing to delete.</summary>
    Task<StoredResource?> DeleteAsync(string type, string id, DateTimeOffset when, int? expectedVersion = null);
}
