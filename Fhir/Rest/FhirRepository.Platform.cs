using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Rest;

/// <summary>
/// Why the platform reads past the caller's grants (the medplum pattern: a named system read instead of a side door).
/// A closed list, so that a review sees every reason in one place; its <see cref="Code"/> is the audit record's detail,
/// next to the action <see cref="FhirRepository.PlatformReadAction"/>, so the family's "wie heeft wat bekeken" can show
/// or filter platform work. Add a purpose here (and to docs/adr/0003) rather than reading the store another way.
/// </summary>
public sealed class PlatformPurpose
{
    private PlatformPurpose(string code, string why)
    {
        Code = code;
        Why = why;
    }

    /// <summary>Written into the audit record (detail), e.g. <c>patient-names</c>.</summary>
    public string Code { get; }

    /// <summary>Why the platform needs this read (for reviewers; the README and ADR 3 list them).</summary>
    public string Why { get; }

    public override string ToString() => Code;

    /// <summary>The client's name in "my dossiers": a bondgenoot without section profiel must still tell dossiers apart.</summary>
    public static readonly PlatformPurpose PatientNames = new("patient-names", "the client's name in the list of dossiers, also for grants without section profiel");

    /// <summary>The name of who made a change or looked (live feed, audit trail): a Person is readable by its owner only.</summary>
    public static readonly PlatformPurpose PersonNames = new("person-names", "the name of who made a change or looked, for the live feed and the audit trail");

    /// <summary>The account's own Person, to link it to a new record (start or import a dossier, accept an invitation).</summary>
    public static readonly PlatformPurpose AccountLink = new("account-link", "the account's own Person, to link it to the record it acts as");

    /// <summary>Who takes part in a message, to announce its change to participants only.</summary>
    public static readonly PlatformPurpose MessageAudience = new("message-audience", "the participants of a message, so that only they hear of its change");

    /// <summary>Whether a stored file's DocumentReference still owns it (the orphaned-blob sweep).</summary>
    public static readonly PlatformPurpose FileCleanup = new("file-cleanup", "whether a stored file still belongs to its DocumentReference");

    /// <summary>Dossiers whose scheduled deletion is due, and their contents when it is carried out.</summary>
    public static readonly PlatformPurpose DossierDeletion = new("dossier-deletion", "the dossiers whose scheduled deletion is due");

    /// <summary>What of the demo families is loaded already (Development and demo environments only).</summary>
    public static readonly PlatformPurpose DemoData = new("demo-data", "what of the demo families is loaded already");

    /// <summary>Whether the project's CodeSystems and Questionnaires changed (directory resources, no family data).</summary>
    public static readonly PlatformPurpose Terminology = new("terminology", "whether the project's code lists changed since the last start");

    /// <summary>Who is to be told of a change (notifications): a dossier's candidates, a Task's owner, a Consent's actors;
    /// each candidate is then judged with their own access, as a read.</summary>
    public static readonly PlatformPurpose Notifications = new("notifications", "who is to be told of a change");

    /// <summary>What time brings (issue 17): agreements due or overdue, grants and share packages ending, clients turning
    /// 18, and the Persons acting as their owners, holders and regiehouders; each candidate's own access decides after.</summary>
    public static readonly PlatformPurpose NotificationSchedule = new("notification-schedule",
        "agreements due, grants ending and clients turning 18, and who acts as their owners and holders, to tell them in time");

    /// <summary>The open planned metingen of a dossier a stored response completes (issue 20, the measurement plan).</summary>
    public static readonly PlatformPurpose MeasurementPlan = new("measurement-plan", "the open planned measurements a new response of the same dossier completes");

    /// <summary>Who holds regie and on what basis (the regie Consents, the court documents' titles, the client's account),
    /// for the regiehouders, the client and the supporters of one dossier (issue 18).</summary>
    public static readonly PlatformPurpose Regie = new("regie", "who holds regie and on what basis (regie and turning 18)");

    /// <summary>The successors named in a dossier and the state of a take-over, for the successor, the regiehouders and the supporter.</summary>
    public static readonly PlatformPurpose Succession = new("succession", "the successors named in a dossier and the state of a take-over");

    /// <summary>The grants of a coach's team members that allow stand-ins, and their stand-ins (for the coach).</summary>
    public static readonly PlatformPurpose StandIns = new("stand-ins", "the grants of a coach's team that allow stand-ins, and their stand-ins");

    /// <summary>The members of a family (Group) whose dossiers the caller cannot open: that they are there, never what is in them.</summary>
    public static readonly PlatformPurpose Families = new("families", "the members of a family whose dossiers the caller cannot open");

    /// <summary>The names of the clients and family members in the caseloads of a team's members (issue 19): the team
    /// space's de-identification guard warns before one of them is posted. Names only, never what is in a dossier.</summary>
    public static readonly PlatformPurpose TeamGuard = new("team-guard", "the names in the caseloads a team serves, so that the team space's guard warns before one is posted");

    /// <summary>Time registrations still stored as FHIR <c>Basic</c> in section tijd (older data), moved once into the
    /// supporter's practice (issue 20, docs/adr/0009-supporter-time.md), with the client's name and the author's Person.</summary>
    public static readonly PlatformPurpose TimeMove = new("time-move", "time registrations still in the dossiers, moved once into the supporters' practice");

    /// <summary>The caseload size of each supporter of a coach's team (the number of dossiers in which they hold a supporter
    /// grant in force), shown when the coach assigns a referral (issue 20, docs/adr/0010-referrals.md). Counts only: no names.</summary>
    public static readonly PlatformPurpose ReferralCaseloads = new("referral-caseloads", "how many families each supporter of a coach's team supports, to assign a referral");

    /// <summary>The programme's pseudonymised aggregates (issue 21, docs/adr/0012): the dossiers with research consent in force,
    /// read only to be counted. Audited as one aggregate record per request (who, which aggregates, the period, how many
    /// families), never one per family: what leaves is counts of at least 10 families.</summary>
    public static readonly PlatformPurpose ProgrammeAggregates = new("programme-aggregates", "the dossiers with research consent, counted into the programme's pseudonymised aggregates");

    public static IReadOnlyList<PlatformPurpose> All { get; } =
        [PatientNames, PersonNames, AccountLink, MessageAudience, FileCleanup, DossierDeletion, DemoData, Terminology, Notifications, NotificationSchedule,
         Regie, Succession, StandIns, Families, TeamGuard, TimeMove, ReferralCaseloads, ProgrammeAggregates];
}

/// <summary>
/// Reads for the platform's own work, past every grant, each one audited with its <see cref="PlatformPurpose"/>.
/// Made by <see cref="FhirRepository.AsPlatform"/>; cheap, make one where it is needed.
/// </summary>
public sealed class PlatformReader
{
    private readonly FhirRepository _repo;
    private readonly FhirContext _ctx;
    private readonly AccessScope _scope;

    internal PlatformReader(FhirRepository repo, PlatformPurpose purpose, FhirContext ctx, AccessScope scope)
    {
        _repo = repo;
        Purpose = purpose;
        _ctx = ctx;
        _scope = scope;
    }

    public PlatformPurpose Purpose { get; }

    /// <summary>The current version, including a deletion marker; null when it never existed. Audited as one record (per patient).</summary>
    public async Task<StoredResource?> ReadAsync(string type, string id, CancellationToken ct = default)
    {
        var stored = await _repo.Store.ReadAsync(type, id, AccessScope.Unrestricted, ct);
        _repo.AuditPlatform(_ctx, _scope, Purpose, stored is null ? 404 : 200, [(type, id, stored?.Version)], perPatient: false);
        return stored;
    }

    /// <summary>The live resource (null when missing or deleted), parsed.</summary>
    public async Task<T?> ReadAsync<T>(string id, CancellationToken ct = default) where T : Resource
    {
        var stored = await ReadAsync(ModelInfo.GetFhirTypeNameForType(typeof(T))!, id, ct);
        return stored is { Deleted: false } ? FhirJson.Parse<T>(stored.Json) : null;
    }

    /// <summary>One version (or its deletion marker); null when there is no such version.</summary>
    public async Task<StoredResource?> ReadVersionAsync(string type, string id, int version, CancellationToken ct = default)
    {
        var stored = await _repo.Store.ReadVersionAsync(type, id, version, AccessScope.Unrestricted, ct);
        _repo.AuditPlatform(_ctx, _scope, Purpose, stored is null ? 404 : 200, [(type, id, stored is null ? null : version)], perPatient: false);
        return stored;
    }

    /// <summary>
    /// The current versions of several resources (null where one never existed), in the order asked. Audited like a
    /// search: one record per patient whose data was read (one without a patient when none was), not one per resource.
    /// </summary>
    public async Task<IReadOnlyList<StoredResource?>> ReadManyAsync(IReadOnlyList<(string Type, string Id)> resources, CancellationToken ct = default)
    {
        var found = new List<StoredResource?>(resources.Count);
        foreach (var (type, id) in resources) found.Add(await _repo.Store.ReadAsync(type, id, AccessScope.Unrestricted, ct));
        _repo.AuditPlatform(_ctx, _scope, Purpose, 200, found.OfType<StoredResource>().Select(s => (s.Type, s.Id, (int?)s.Version)).ToList(), perPatient: true);
        return found;
    }

    /// <summary>
    /// The Persons (<c>Person/id</c>) who might be told of a change in a dossier: those acting as an actor of a live
    /// Consent of the client, and the client's own. Candidates only: each must still pass their own access decision.
    /// Audited as a read of the dossier's grants.
    /// </summary>
    public async Task<IReadOnlyList<string>> DossierAudienceAsync(string patientId, CancellationToken ct = default)
    {
        var persons = await _repo.Store.DossierAudienceAsync(patientId, ct);
        _repo.AuditPlatform(_ctx, _scope, Purpose, 200, [("Patient", patientId, null)], perPatient: false);
        return persons.Select(p => $"Person/{p}").ToList();
    }

    /// <summary>The Persons (<c>Person/id</c>) acting as any of <paramref name="identities"/> (<c>Type/id</c>: linked to it,
    /// a Practitioner in a role of a named Organization, or the Person itself). Reads only who is who; audited as a read
    /// of the records asked about.</summary>
    public async Task<IReadOnlyList<string>> PersonsActingAsAsync(IReadOnlyCollection<string> identities, CancellationToken ct = default)
    {
        var persons = await _repo.Store.PersonsActingAsAsync(identities, ct);
        var targets = identities.Select(i => i.Split('/')).Where(p => p.Length == 2).Select(p => (p[0], p[1], (int?)null)).ToList();
        if (targets.Count > 0) _repo.AuditPlatform(_ctx, _scope, Purpose, 200, targets, perPatient: false);
        return persons.Select(p => $"Person/{p}").ToList();
    }

    /// <summary>One page of a FHIR search (its parameters, <c>_count</c> and <c>_offset</c>) past every grant, for a sweep that
    /// needs what is due across dossiers. Audited like a search: one record per patient whose data it returned.</summary>
    public async Task<IReadOnlyList<StoredResource>> SearchAsync(string type, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct = default)
    {
        var found = await _repo.SearchUnrestrictedAsync(type, query, ct);
        _repo.AuditPlatform(_ctx, _scope, Purpose, 200, found.Select(s => (s.Type, s.Id, (int?)s.Version)).ToList(), perPatient: true);
        return found;
    }

    /// <summary>
    /// One page of a FHIR search past every grant whose results are only counted into an aggregate (purpose
    /// <see cref="PlatformPurpose.ProgrammeAggregates"/> only). Not audited per patient: the caller writes one aggregate record
    /// with <see cref="AuditAggregate"/> for the whole request (docs/adr/0012).
    /// </summary>
    public async Task<IReadOnlyList<StoredResource>> SearchForAggregateAsync(string type, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct = default)
    {
        if (Purpose != PlatformPurpose.ProgrammeAggregates)
            throw new InvalidOperationException($"Only {PlatformPurpose.ProgrammeAggregates.Code} reads without a record per patient.");
        return await _repo.SearchUnrestrictedAsync(type, query, ct);
    }

    /// <summary>The one audit record of an aggregate read (action <see cref="FhirRepository.AggregateReadAction"/>): who asked
    /// (the request's account), and in <paramref name="detail"/> which aggregates, the period and how many families; no
    /// patient, no resource.</summary>
    public void AuditAggregate(string detail) => _repo.AuditAggregate(_ctx, _scope, Purpose, detail);

    /// <summary>The live resources of one type whose stored JSON contains <paramref name="text"/> (for an extension no
    /// search parameter indexes). Audited like a search.</summary>
    public async Task<IReadOnlyList<StoredResource>> ScanAsync(string type, string text, CancellationToken ct = default)
    {
        var found = await _repo.Store.ScanAsync(type, text, ct);
        _repo.AuditPlatform(_ctx, _scope, Purpose, 200, found.Select(s => (s.Type, s.Id, (int?)s.Version)).ToList(), perPatient: true);
        return found;
    }
}

// Platform reads and the platform's one destructive operation (carrying out a dossier deletion).
public sealed partial class FhirRepository
{
    /// <summary>The audit action of a platform read; its purpose is the record's detail.</summary>
    public const string PlatformReadAction = "platform-read";

    /// <summary>The audit action of an aggregate read (issue 21): one record per request, no patient.</summary>
    public const string AggregateReadAction = "aggregate-read";

    /// <summary>
    /// Reads past every grant for <paramref name="purpose"/>, each read audited automatically. <paramref name="onBehalfOf"/>:
    /// the request that needs the read (its account is named in the audit record, with <paramref name="scope"/>'s grants
    /// when given); without it the record names the platform (<c>system:{purpose}</c>).
    /// </summary>
    public PlatformReader AsPlatform(PlatformPurpose purpose, FhirContext? onBehalfOf = null, AccessScope? scope = null) =>
        new(this, purpose, onBehalfOf ?? new FhirContext(CallerContext.System(purpose.Code), "urn:pgo:platform"), scope ?? AccessScope.Unrestricted);

    internal void AuditPlatform(FhirContext ctx, AccessScope scope, PlatformPurpose purpose, int status,
        IReadOnlyList<(string Type, string Id, int? Version)> targets, bool perPatient)
    {
        // A batch that found nothing read nothing of anyone: no record (a periodic sweep would otherwise log every run).
        if (!audit.Enabled || (perPatient && targets.Count == 0)) return;
        audit.Enqueue(new PendingAudit(ctx, scope, PlatformReadAction, status, targets, purpose.Code, clock.GetUtcNow(), perPatient));
    }

    internal void AuditAggregate(FhirContext ctx, AccessScope scope, PlatformPurpose purpose, string detail)
    {
        if (!audit.Enabled) return;
        audit.Enqueue(new PendingAudit(ctx, scope, AggregateReadAction, 200, [], $"{purpose.Code}: {detail}", clock.GetUtcNow(), PerPatient: false));
    }

    /// <summary>
    /// Removes a whole dossier for good: the Patient and every resource in its compartment, every version and index row,
    /// in one transaction. Only for carrying out a regiehouder's scheduled deletion (the caller records the deletion in
    /// the audit log first; the log itself is never touched). Returns how many resources were removed.
    /// </summary>
    public async Task<int> PurgeDossierAsync(string patientId, CancellationToken ct = default)
    {
        var targets = (await store.CompartmentAsync(patientId, ct)).Append(("Patient", patientId)).Distinct().ToList();
        return await store.WriteAsync(async session =>
        {
            foreach (var (type, id) in targets) await session.PurgeAsync(type, id);
            return targets.Count;
        }, ct);
    }
}
