using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;

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

    /// <summary>Runs a composed statement and returns its rows as values (for the access policy's own lookups).</summary>
    Task<IReadOnlyList<object?[]>> QueryRowsAsync(SqlQuery query, CancellationToken ct = default);

    /// <summary>The section and patients of resources, whatever the caller may see (for the audit log).</summary>
    Task<IReadOnlyList<ResourcePlacement>> PlaceAsync(IReadOnlyCollection<(string Type, string Id)> resources, CancellationToken ct = default);

    /// <summary>Appends records to the hash-chained audit log in a transaction of their own.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct = default);

    /// <summary>Audit entries matching the query, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default);

    /// <summary>Raised after a transaction that wrote outbox rows has committed (in this process).</summary>
    event Action? ChangesCommitted;

    /// <summary>Outbox rows after <paramref name="after"/>, oldest first, of one patient or all.</summary>
    Task<IReadOnlyList<ChangeEvent>> ReadChangesAsync(long after, int max, string? patientId = null, CancellationToken ct = default);

    Task<ChangeBounds> ChangeBoundsAsync(CancellationToken ct = default);

    /// <summary>Removes outbox rows recorded before <paramref name="before"/> (the retention window), keeping the newest.</summary>
    Task<int> PruneChangesAsync(DateTimeOffset before, CancellationToken ct = default);

    /// <summary>Recomputes the whole chain and compares it with the stored hashes and head.</summary>
    Task<AuditVerification> VerifyAuditAsync(CancellationToken ct = default);
}

/// <summary>Where a resource lives: its dossier section (null: directory) and the patients whose compartment holds it.</summary>
public sealed record ResourcePlacement(string Type, string Id, string? Section, IReadOnlyList<string> Patients);

/// <summary>The operations available inside one write transaction.</summary>
public interface IWriteSession
{
    /// <summary>The current version as this transaction sees it (unrestricted: writes check access before).</summary>
    Task<StoredResource?> ReadAsync(string type, string id);

    Task<IReadOnlyList<StoredResource>> QueryAsync(SqlQuery query);

    /// <summary>Stores a new version (version 1 when new) and its outbox rows. Throws 412 when ExpectedVersion does not match.</summary>
    Task<StoredResource> PutAsync(ResourceWrite write);

    /// <summary>Marks the resource deleted as a new version. Returns null when there was nothing to delete.</summary>
    Task<StoredResource?> DeleteAsync(string type, string id, DateTimeOffset when, int? expectedVersion = null, ChangeNote? note = null);

    /// <summary>Appends audit records in this transaction: they commit with the write or not at all.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditRecord> records);

    /// <summary>The stored section and Patient compartments of the current row (a deleted resource keeps those of its last version).</summary>
    Task<(string? Section, IReadOnlyList<string> Patients)> PlaceAsync(string type, string id);

    /// <summary>
    /// Removes a resource for good: its current row, every version, its compartment and index rows. Only for carrying out
    /// a regiehouder's deletion of a whole dossier; the audit log is never touched.
    /// </summary>
    Task PurgeAsync(string type, string id);
}
