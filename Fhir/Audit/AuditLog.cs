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
    ResourcePlacement? Incoming = null);

/// <summary>
/// The NEN 7513 audit log of the repository. Writes are logged inside the write's own database transaction
/// (<see cref="ForWrite"/>: they commit together or not at all). Reads, searches and refusals go through an
/// in-process queue that a background loop (<see cref="RunAsync"/>) writes in batches, so logging adds no
/// database round trip to a read. The crash window: interactions queued but not yet written when the process
/// dies (at most one batch interval, ~<see cref="Interval"/>) are lost; a normal shutdown flushes the queue.
/// </summary>
public sealed class AuditLog(IFhirStore store, AuditOptions options)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Channel<PendingAudit> _queue = Channel.CreateUnbounded<PendingAudit>(new UnboundedChannelOptions { SingleReader = false });
    private readonly SemaphoreSlim _writing = new(1, 1);

    public bool Enabled => options.Enabled;

    public void Enqueue(PendingAudit pending)
    {
        if (options.Enabled) _queue.Writer.TryWrite(pending);
    }

    /// <summary>The background loop: waits for work, then writes what is queued every <see cref="Interval"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping))
            {
                await FlushAsync(stopping);
                await Task.Delay(Interval, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes everything queued so far (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _writing.WaitAsync(ct);
        try
        {
            while (true)
            {
                var batch = new List<PendingAudit>();
                while (batch.Count < options.BatchSize && _queue.Reader.TryRead(out var p)) batch.Add(p);
                if (batch.Count == 0) return;
                var placements = (await store.PlaceAsync(batch.SelectMany(b => b.Targets).Select(t => (t.Type, t.Id)).ToHashSet(), CancellationToken.None))
                    .ToDictionary(p => (p.Type, p.Id));
                await store.AppendAuditAsync(batch.SelectMany(b => Records(b, placements)).ToList(), CancellationToken.None);
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
