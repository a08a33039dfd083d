using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Audit;

/// <summary>Audit switches. <see cref="Enabled"/> false exists for the benchmark's "off" configuration only; Pgo.Api refuses it outside Development.</summary>
public sealed class AuditOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>Largest number of queued interactions written in one transaction.</summary>
    public int BatchSize { get; set; } = 500;
    /// <summary>How long a request waits for its audit entries to be committed before it answers 503 instead of the data.</summary>
    public double WaitSeconds { get; set; } = 10;
}

/// <summary>One interaction waiting to be written: who, what, the resources involved (placed later, in the batch).
/// <paramref name="Incoming"/>: for a refused write, where the incoming resource would have gone.</summary>
public sealed record PendingAudit(
    FhirContext Context,
    AccessScope Scope,
    string Action,
    int Status,
    IReadOnlyList<(string Type, string Id, int? Version)> Targets,
    string? Detail,
    DateTimeOffset When,
    bool PerPatient,
    ResourcePlacement? Incoming = null)
{
    /// <summary>Completed when this entry is committed to the audit table; set when a request waits for it (<see cref="AuditReceipt"/>).</summary>
    public TaskCompletionSource? Written { get; init; }
}

/// <summary>
/// The NEN 7513 audit log of the repository. Writes are logged inside the write's own database transaction
/// (<see cref="ForWrite"/>: they commit together or not at all). Reads, searches and refusals go through an
/// in-process queue that a background loop (<see cref="RunAsync"/>) writes in batches (group commit: whatever queued
/// while the previous batch was being written goes in the next). A request that opened an <see cref="AuditReceipt"/>
/// (every /fhir and /api request does, Api/Audit/AuditReceiptFilter) answers only after its entries are committed, so
/// an acknowledged read is an audited read; when they cannot be written the request answers 503 without the data.
/// A batch that fails stays queued and is written when the database is back (docs/adr/0003, "Audit").
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "_writing is a SemaphoreSlim whose wait handle is never asked for, so it holds nothing to release; " +
                    "the host may stop AuditWriterService (its last flush takes the lock) after disposing its singletons " +
                    "(WebApplicationFactory does), so a disposed lock would fail that flush.")]
public sealed class AuditLog(IAuditStore store, AuditOptions options)
{
    private readonly Channel<PendingAudit> _queue = Channel.CreateUnbounded<PendingAudit>(new UnboundedChannelOptions { SingleReader = false });
    // Entries of a batch that failed: written first on the next flush, never dropped.
    private readonly Queue<PendingAudit> _retry = new();
    private readonly SemaphoreSlim _writing = new(1, 1);

    public bool Enabled => options.Enabled;

    /// <summary>Entries matching the query, newest first ("wie heeft wat bekeken"). Call <see cref="FlushAsync"/> first to include what is queued.</summary>
    public Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken ct = default) => store.ReadAuditAsync(query, ct);

    /// <summary>Where resources live (section, patients), whatever the caller may see; never their content.</summary>
    public Task<IReadOnlyList<ResourcePlacement>> PlaceAsync(IReadOnlyCollection<(string Type, string Id)> resources, CancellationToken ct = default) => store.PlaceAsync(resources, ct);

    /// <summary>Recomputes the whole hash chain (verify-audit).</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken ct = default) => store.VerifyAuditAsync(ct);

    public void Enqueue(PendingAudit pending)
    {
        if (!options.Enabled) return;
        if (AuditReceipt.Current is { } receipt)
        {
            pending = pending with { Written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
            receipt.Add(pending.Written!.Task);
        }
        if (_queue.Writer.TryWrite(pending)) FhirMetrics.AuditQueueDepth.Add(1);
    }

    /// <summary>The background loop: writes what is queued as soon as it is there (group commit).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping)) await FlushAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes everything queued so far (the loop, tests, shutdown). Throws when a batch cannot be written; its
    /// entries stay queued, and requests waiting for them are told (they answer 503).</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _writing.WaitAsync(ct);
        try
        {
            while (true)
            {
                var batch = new List<PendingAudit>();
                while (batch.Count < options.BatchSize && _retry.TryDequeue(out var r)) batch.Add(r);
                while (batch.Count < options.BatchSize && _queue.Reader.TryRead(out var p)) batch.Add(p);
                if (batch.Count == 0) return;
                try
                {
                    var placements = (await store.PlaceAsync(batch.SelectMany(b => b.Targets).Select(t => (t.Type, t.Id)).ToHashSet(), CancellationToken.None))
                        .ToDictionary(p => (p.Type, p.Id));
                    await store.AppendAuditAsync(batch.SelectMany(b => Records(b, placements)).ToList(), CancellationToken.None);
                }
                catch (Exception e)
                {
                    foreach (var p in batch)
                    {
                        p.Written?.TrySetException(e);
                        _retry.Enqueue(p with { Written = null });
                    }
                    throw;
                }
                FhirMetrics.AuditQueueDepth.Add(-batch.Count);
                foreach (var p in batch) p.Written?.TrySetResult();
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private static IEnumerable<AuditRecord> Records(PendingAudit p, Dictionary<(string, string), ResourcePlacement> placements)
    {
        if (!p.PerPatient)
        {
            // One resource (read, vread, history of one resource, a refused write): one record per patient it belongs to.
            var (type, id, version) = p.Targets.Count > 0 ? p.Targets[0] : (null!, null!, null);
            placements.TryGetValue((type, id), out var place);
            var outcome = OutcomeOf(p.Status, exists: place is not null);
            // A refused create or change: the dossier it was aimed at (what the request carried), when the store has nothing.
            place ??= p.Incoming;
            var patients = place?.Patients is { Count: > 0 } ps ? ps.Cast<string?>() : [null];
            foreach (var patient in patients)
                yield return Build(p, type, id, version, patient, place?.Section, outcome,
                    p.Status < 400 ? p.Scope.GrantsFor(patient, place?.Section, type, id) : []);
            yield break;
        }

        // Searches, history, $everything: one record per patient whose data was returned.
        var byPatient = new Dictionary<string, (HashSet<string> Sections, HashSet<string> Grants)>(StringComparer.Ordinal);
        foreach (var (type, id, _) in p.Targets)
        {
            if (!placements.TryGetValue((type, id), out var place)) continue;
            foreach (var patient in place.Patients)
            {
                if (!byPatient.TryGetValue(patient, out var acc)) byPatient[patient] = acc = (new(StringComparer.Ordinal), new(StringComparer.Ordinal));
                if (place.Section is not null) acc.Sections.Add(place.Section);
                acc.Grants.UnionWith(p.Scope.GrantsFor(patient, place.Section, type, id));
            }
        }
        var searchType = p.Detail is { } d && d.IndexOf('?') is var q and > 0 ? d[..q] : null;
        if (byPatient.Count == 0)
        {
            yield return Build(p, searchType, null, null, null, null, OutcomeOf(p.Status, true), []);
            yield break;
        }
        foreach (var (patient, acc) in byPatient.OrderBy(k => k.Key, StringComparer.Ordinal))
            yield return Build(p, searchType, null, null, patient, string.Join(",", acc.Sections.Order(StringComparer.Ordinal)), OutcomeOf(p.Status, true), acc.Grants);
    }

    /// <summary>The one record of a bulk import (<c>$import</c>, docs/adr/0015-bulk-import.md), appended inside its transaction:
    /// who, how many of each type and which patients, in <paramref name="detail"/>; no resource or patient of its own.</summary>
    public IReadOnlyList<AuditRecord> ForImport(FhirContext ctx, AccessScope scope, string detail, DateTimeOffset when)
    {
        if (!options.Enabled) return [];
        var pending = new PendingAudit(ctx, scope, "import", 200, [], detail, when, false);
        return [Build(pending, null, null, null, null, null, AuditRecord.Permitted, [])];
    }

    /// <summary>The records of a permitted write, to be appended inside the write's transaction.</summary>
    public IReadOnlyList<AuditRecord> ForWrite(FhirContext ctx, AccessScope scope, string action, int status, string type, string id, int version, string? section, IReadOnlyList<string> patients, DateTimeOffset when)
    {
        if (!options.Enabled) return [];
        var pending = new PendingAudit(ctx, scope, action, status, [(type, id, version)], null, when, false);
        return (patients.Count > 0 ? patients.Cast<string?>() : [null])
            .Select(p => Build(pending, type, id, version, p, section, AuditRecord.Permitted, scope.GrantsFor(p, section, type, id)))
            .ToList();
    }

    private static string OutcomeOf(int status, bool exists) => status switch
    {
        < 400 or 410 => AuditRecord.Permitted,
        404 when !exists => AuditRecord.NotFound,
        401 or 403 or 404 => AuditRecord.Denied,
        _ => AuditRecord.Failed,
    };

    private static AuditRecord Build(PendingAudit p, string? type, string? id, int? version, string? patient, string? section, string outcome, IEnumerable<string> grants)
    {
        var caller = p.Context.Caller;
        var action = p.Context.Via is { } via ? $"{via}:{p.Action}" : p.Action;
        var grantList = string.Join(",", grants);
        return new AuditRecord(p.When, p.Context.RequestId, caller.Subject, caller.FhirUser,
            caller.Roles is { Count: > 0 } roles ? string.Join(",", roles) : null,
            p.Scope.Organization, caller.ClientId, action, type, id, version, patient, section, outcome, p.Status,
            grantList.Length > 0 ? grantList : null, p.Detail);
    }
}
