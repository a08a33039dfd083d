using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;

namespace Pgo.Fhir.Storage;

/// <summary>
/// The store as a host sees it: it opens, migrates and describes it, and hands it to the repository. Split by what it
/// does, like the partial classes of <see cref="SqlFhirStore"/>: resources (<see cref="IResourceStore"/>, internal to
/// this assembly: family data is read only through <c>FhirRepository</c>, with the caller's scope or as a named, audited
/// platform read), the audit log (<see cref="IAuditStore"/>), the change outbox (<see cref="IOutboxStore"/>) and what people are told (<see cref="INotificationStore"/>).
/// Only this assembly can implement it (<see cref="Resources"/> is internal). Open one with <see cref="FhirStore"/>.
/// </summary>
public interface IFhirStore : IAuditStore, IOutboxStore, INotificationStore, IAsyncDisposable
{
    SqlDialect Dialect { get; }

    /// <summary>What an acknowledged commit survives (docs/adr/0002-sqlite-durability.md).</summary>
    StoreDurability Durability { get; }

    /// <summary>Creates or upgrades the schema to <see cref="Schema.Latest"/>.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>What the store promises for an acknowledged commit, in words for /metadata and /health.</summary>
    Task<string> DescribeDurabilityAsync(CancellationToken ct = default);

    /// <summary>The resources, their versions and index rows: for the repository, the access policy and tests only.</summary>
    internal IResourceStore Resources { get; }
}

/// <summary>
/// Durable storage of resources, their versions and their search index rows. Two real providers (SQLite, PostgreSQL)
/// implement it with the same SQL; see <see cref="SqlFhirStore"/>. Every method that returns resources takes the
/// caller's compiled <see cref="AccessScope"/> and applies it inside the SQL (a composed query carries it already).
/// </summary>
internal interface IResourceStore : IGrantStore
{
    SqlDialect Dialect { get; }

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

    /// <summary>Bulk import (docs/adr/0015-bulk-import.md): stores new resources as version 1 with their index rows and the
    /// import's audit records in one transaction; returns the positions of rows whose id exists already (then nothing is stored).</summary>
    Task<IReadOnlyList<int>> ImportAsync(IReadOnlyList<ImportRow> rows, DateTimeOffset when, IReadOnlyList<AuditRecord> audit, CancellationToken ct = default);

    /// <summary>Runs a composed statement and returns its rows as values (tests and the store's own lookups).</summary>
    Task<IReadOnlyList<object?[]>> QueryRowsAsync(SqlQuery query, CancellationToken ct = default);

    /// <summary>The live resources of one type whose stored JSON contains <paramref name="text"/> (a platform scan,
    /// e.g. for an extension no search parameter indexes).</summary>
    Task<IReadOnlyList<StoredResource>> ScanAsync(string type, string text, CancellationToken ct = default);

    /// <summary>Every resource in one patient's compartment (the Patient itself not included).</summary>
    Task<IReadOnlyList<(string Type, string Id)>> CompartmentAsync(string patientId, CancellationToken ct = default);
}

/// <summary>The audit log: append-only, hash-chained (NEN 7513), and where resources live for its records.</summary>
public interface IAuditStore
{
    /// <summary>The section and patients of resources, whatever the caller may see (for the audit log and the live
    /// presence check; never a resource's content).</summary>
    Task<IReadOnlyList<ResourcePlacement>> PlaceAsync(IReadOnlyCollection<(string Type, string Id)> resources, CancellationToken ct = default);

    /// <summary>Appends records to the hash-chained audit log in a transaction of their own.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct = default);

    /// <summary>Audit entries matching the query, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default);

    /// <summary>Recomputes the whole chain and compares it with the stored hashes and head.</summary>
    Task<AuditVerification> VerifyAuditAsync(CancellationToken ct = default);

    /// <summary>How many resources of each type are live, and how many versions are stored in all (the backup
    /// inventory, <c>dotnet Pgo.Api.dll inventory</c>; counts only, never a resource's content).</summary>
    Task<ResourceInventory> InventoryAsync(CancellationToken ct = default);
}

/// <summary>The live resources per type (ordinal order) and the stored versions: what a restore must bring back.</summary>
public sealed record ResourceInventory(IReadOnlyList<(string Type, long Live)> Types, long Versions);

/// <summary>The change outbox: one row per committed change and patient, read by cursor (never a resource's content).</summary>
public interface IOutboxStore
{
    /// <summary>Raised after a transaction that wrote outbox rows has committed (in this process).</summary>
    event Action? ChangesCommitted;

    /// <summary>Outbox rows after <paramref name="after"/>, oldest first, of one patient or all.</summary>
    Task<IReadOnlyList<ChangeEvent>> ReadChangesAsync(long after, int max, string? patientId = null, CancellationToken ct = default);

    Task<ChangeBounds> ChangeBoundsAsync(CancellationToken ct = default);

    /// <summary>Removes outbox rows recorded before <paramref name="before"/> (the retention window), keeping the newest.</summary>
    Task<int> PruneChangesAsync(DateTimeOffset before, CancellationToken ct = default);
}

/// <summary>Where a resource lives: its dossier section (null: directory) and the patients whose compartment holds it.</summary>
public sealed record ResourcePlacement(string Type, string Id, string? Section, IReadOnlyList<string> Patients);

/// <summary>The operations available inside one write transaction.</summary>
internal interface IWriteSession
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
