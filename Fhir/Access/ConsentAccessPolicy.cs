using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Access;

/// <summary>
/// THE place where access to a family's dossier is decided. Once per request it compiles the Consents in force
/// for the caller into an <see cref="AccessScope"/> (patients × sections × actions, single items, denies, the
/// token's type limits); the repository applies that scope inside every query and asks <see cref="CheckWriteAsync"/>
/// before every write. Across requests it keeps the parse of a stored Consent version (which never changes) and, per
/// Person, the facts its grants were compiled from (<see cref="GrantFacts"/>) together with the access stamp they were
/// read at: every request reads the stamp (one single-row read, from the database, so every instance sees every other's
/// writes) and looks the facts up again when it moved. Every write of a Consent, Person, PractitionerRole, Patient, ...
/// moves it in its own transaction. The compile step itself runs on every request at that request's moment, so a grant
/// whose period ends stops at its end: a revoked or expired grant stops working on the very next request.
/// </summary>
/// <remarks>
/// Rules (docs/adr/0003-consent-model.md, docs/authorization-matrix.md):
/// <list type="bullet">
/// <item>The caller acts as the records its <c>fhirUser</c> Person links to, plus the organisations of its PractitionerRoles
///   (looked up, with the Consents naming them and the clients' birth dates, in one statement).</item>
/// <item>A Consent (status active, inside provision.period) whose provision.actor names one of those records grants
///   its sections (provision.code; none = every dossier section) with its actions (read, write, manage), or only the
///   items in provision.data. Role regiehouder grants everything, managing access included.</item>
/// <item>Age rules: a representative's regie ends at the client's 18th birthday unless a legal basis (mentor, curator,
///   WGBO) is in force within its period, or, provisionally, while the client has no account; the client reads and
///   writes from 12 and holds regie from 16 without any Consent; a represented adult keeps what the representation says,
///   without regie. A successor (opvolger) gets nothing; a bewindvoerder financien only, within the period.</item>
/// <item>Denies (a Consent or nested provision of type deny with data) hide items from everyone but the client; they win.</item>
/// <item>A stand-in (role invaller, Consent.sourceReference = the supporter's grant) acts with that grant, without
///   manage, while its own period runs and only if the grant allows stand-ins.</item>
/// <item>Directory resources (outside every patient compartment) are readable by every authenticated person and
///   writable only by system clients. AuditEvent is never writable through the repository.</item>
/// </list>
/// </remarks>
public sealed class ConsentAccessPolicy(IFhirStore store, ISearchIndexer indexer, TimeProvider clock) : IAccessPolicy
{
    // The index lookups (SQL) live in the store (Storage/SqlFhirStore.Grants.cs); this class holds the rules.
    private readonly IResourceStore _store = store.Resources;

    // Per policy (one per store): a stored version never changes, but two stores may hold the same id and version.
    private readonly ConcurrentDictionary<(string Id, int Version), ConsentGrant> _parsed = new();

    private static readonly IReadOnlySet<string> Everything = Section.All.ToHashSet(StringComparer.Ordinal);
    private static readonly IReadOnlySet<string> DossierSections = Section.Dossier.ToHashSet(StringComparer.Ordinal);

    /// <summary>Looks up the caller's grants (when it is a person with a usable scope) and compiles them with <see cref="Compile"/>.</summary>
    public async ValueTask<AccessScope> CompileAsync(CallerContext caller, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var personId = PersonToLookUp(caller);
        var facts = personId is not null ? await CachedFactsAsync(personId, ct) : GrantFacts.None;
        var scope = Compile(caller, facts, clock.GetUtcNow());
        FhirMetrics.ConsentCompileDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("pgo.lookup", personId is not null));
        return scope;
    }

    /// <summary>Whether the facts per Person are kept while the access stamp stands (the default). Off only to measure
    /// what the cache saves (Pgo:Benchmark:ScopeCacheOff).</summary>
    public bool CacheFacts { get; set; } = true;

    // Per Person: the facts and the stamp read before they were looked up. Reading the stamp first means a write that
    // commits between the two reads leaves an older stamp with newer facts: the next request sees the stamp moved and
    // looks them up again (never the other way round).
    private readonly ConcurrentDictionary<string, (long Stamp, GrantFacts Facts)> _facts = new(StringComparer.Ordinal);

    private long _lookups;

    /// <summary>How often the cache looked a Person's facts up (tests: the cache is used, and only a relevant write moves it).</summary>
    internal long FactLookups => Interlocked.Read(ref _lookups);

    private async Task<GrantFacts> CachedFactsAsync(string personId, CancellationToken ct)
    {
        if (!CacheFacts) return await FactsAsync(personId, ct);
        var stamp = await _store.AccessStampAsync(ct);
        if (_facts.TryGetValue(personId, out var cached) && cached.Stamp == stamp) return cached.Facts;
        var facts = await FactsAsync(personId, ct);
        Interlocked.Increment(ref _lookups);
        if (_facts.Count > 10_000) _facts.Clear();
        _facts[personId] = (stamp, facts);
        return facts;
    }

    /// <summary>The Person whose grants decide the caller's access; null when no lookup is needed (system callers,
    /// no fhirUser Person, no patient/ or user/ scope: <see cref="Compile"/> decides those without facts).</summary>
    private static string? PersonToLookUp(CallerContext caller) =>
        !caller.IsSystem && caller.FhirUser is { } fhirUser && fhirUser.StartsWith("Person/", StringComparison.Ordinal)
        && !TypePermissions.FromScopes(caller.Scopes, "patient", "user").IsEmpty
            ? fhirUser["Person/".Length..]
            : null;

    /// <summary>Everything <see cref="Compile"/> needs from the database about one Person: at most three round trips
    /// (the caller's index, the grants stand-ins act with, the grants naming those supporters).</summary>
    internal async Task<GrantFacts> FactsAsync(string personId, CancellationToken ct)
    {
        var (identities, grants, birthDates, withAccount) = await LookupAsync(personId, ct);
        var sourceIds = grants.Where(g => g.SourceConsentId is not null && g.Actors.Any(a => identities.Contains(a.Reference)))
            .Select(g => g.SourceConsentId!).Distinct().ToList();
        var sources = sourceIds.Count == 0 ? new Dictionary<string, ConsentGrant>() : (await ConsentsByIdAsync(sourceIds, ct)).ToDictionary(g => g.Id);
        // Items and sections hidden from a supporter are hidden from their stand-in too: the supporters' own grants
        // (one more query, only when the caller stands in for someone).
        var supporters = sources.Values.SelectMany(s => s.Actors.Select(a => a.Reference)).ToHashSet(StringComparer.Ordinal);
        var supporterGrants = supporters.Count == 0 ? [] : Parse(await _store.ConsentsNamingAsync(supporters, ct));
        return new GrantFacts(identities, grants, birthDates, sources, supporterGrants, withAccount);
    }

    /// <summary>
    /// The compile step, a pure function: the caller and the facts about its grants at <paramref name="now"/> give the
    /// scope. No database, no clock (tests/Pgo.Fhir.Tests/Access/CompileTests.cs runs it on hand-made grants).
    /// </summary>
    public static AccessScope Compile(CallerContext caller, GrantFacts facts, DateTimeOffset now)
    {
        if (caller.IsSystem)
        {
            // The platform itself (no scopes) and system clients with system/*.cruds see and change everything;
            // other system clients are limited to the types and letters of their system/ scopes.
            if (caller.Scopes.Count == 0) return AccessScope.Unrestricted;
            var system = TypePermissions.FromScopes(caller.Scopes, "system");
            if (system.IsAll) return AccessScope.Unrestricted;
            return new AccessScope { AllPatients = true, Types = system };
        }

        if (caller.FhirUser is not { } fhirUser || !fhirUser.StartsWith("Person/", StringComparison.Ordinal))
            return AccessScope.Nothing("no fhirUser Person");
        var types = TypePermissions.FromScopes(caller.Scopes, "patient", "user");
        if (types.IsEmpty) return AccessScope.Nothing("no patient/ or user/ scope");

        var (identities, allGrants, birthDates, allSources, allSupporterGrants, _) = facts;
        // Research consent (issue 21) is not access: whatever it names, it grants, hides and changes nothing.
        var grants = allGrants.Where(g => !g.IsResearch).ToList();
        var sources = allSources.Where(s => !s.Value.IsResearch).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var supporterGrants = allSupporterGrants.Where(g => !g.IsResearch).ToList();
        var selfPatients = identities.Where(i => i.StartsWith("Patient/", StringComparison.Ordinal)).Select(i => i["Patient/".Length..]).ToHashSet(StringComparer.Ordinal);
        var withAccount = facts.ClientsWithAccount ?? new HashSet<string>(StringComparer.Ordinal);

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        AgeStage Stage(string patient) => AgeRules.StageOf(birthDates.TryGetValue(patient, out var b) ? b : null, today);

        // A client with a legal representative in force (mentor, curator, WGBO) keeps of their own dossier what the
        // representation says (default read and write), without managing access: the representative holds regie.
        // Only an adult is represented by law; before 18 the age rules decide (a coding on a minor's dossier must not
        // give a child under 12 read and write, nor take a 16-year-old's regie).
        var represented = new Dictionary<string, ConsentGrant>(StringComparer.Ordinal);
        foreach (var g in grants)
            if (g.PatientId is { } p && selfPatients.Contains(p) && !g.IsDeny && Stage(p) == AgeStage.Adult
                && g.Actors.Any(a => a.Reference != $"Patient/{p}" && a.Roles.Contains(GrantRole.Regiehouder) && g.KeepsRegieByLaw(a, now))
                // With two representations the narrower one decides (as denies win), whatever order the index returns.
                && (!represented.TryGetValue(p, out var other) || KeepsRank(g.ClientAccess) < KeepsRank(other.ClientAccess)))
                represented[p] = g;

        var rules = new Dictionary<string, List<GrantRule>>(StringComparer.Ordinal);
        var denied = new HashSet<(string, string)>();
        var deniedSections = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var standInFor = new HashSet<(string Patient, string Actor)>();
        var actingAs = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Add(string patient, GrantRule rule)
        {
            if (!rules.TryGetValue(patient, out var list)) rules[patient] = list = [];
            list.Add(rule);
        }

        foreach (var g in grants)
        {
            if (g.PatientId is not { } patient || !g.InForce(now)) continue;
            var mine = g.Actors.Where(a => identities.Contains(a.Reference)).ToList();
            if (mine.Count == 0) continue;
            var isSelf = selfPatients.Contains(patient);
            var roles = mine.SelectMany(a => a.Roles).ToHashSet(StringComparer.Ordinal);
            // A named successor sees nothing until the take-over is confirmed (then the platform writes a regie grant).
            if (roles.Contains(GrantRole.Opvolger)) continue;
            // A bewindvoerder holds the finances only, and only while the court's period runs.
            if (mine.Any(a => a.LegalBasis == LegalRepresentation.Bewind) && !g.RepresentationInForce(now)) continue;

            if (g.IsDeny)
            {
                // Hiding works against everyone but the client (also against parents and regiehouders).
                if (isSelf) continue;
                if (g.Items is not null) denied.UnionWith(g.Items);
                else if (g.Sections is not null) Sections(deniedSections, patient).UnionWith(g.Sections);
                continue;
            }

            GrantRule? rule;
            var nestedOf = g;
            var nestedActors = identities;
            if (roles.Contains(GrantRole.Invaller) && g.SourceConsentId is { } sourceId)
            {
                // A successor's Consent grants nothing, so standing in for one gives nothing either; a bewindvoerder's
                // stand-in gets what the bewindvoerder gets (financien, within the court's period).
                rule = sources.TryGetValue(sourceId, out var source) && source.AllowStandIn && source.InForce(now) && !source.IsDeny
                       && source.PatientId == patient && !source.Actors.Any(a => a.Roles.Contains(GrantRole.Regiehouder) || a.Roles.Contains(GrantRole.Opvolger))
                       && !(source.Actors.Any(a => a.LegalBasis == LegalRepresentation.Bewind) && !source.RepresentationInForce(now))
                    ? Rule(source, [g.Id, source.Id], GrantRole.Invaller) with { Manage = false }
                    : null;
                if (rule is not null && source!.Actors.Any(a => a.Roles.Contains(GrantRole.Bewindvoerder)))
                    rule = rule with { Sections = rule.Sections.Where(s => s == Section.Financien).ToHashSet(StringComparer.Ordinal) };
                if (rule is not null)
                {
                    rule = rule with { Sections = rule.Sections.Where(s => s != Section.Toegang).ToHashSet(StringComparer.Ordinal) };
                    // The stand-in acts as the supporter: what is hidden from the supporter is hidden from the stand-in.
                    nestedOf = source!;
                    nestedActors = source!.Actors.Select(a => a.Reference).ToHashSet(StringComparer.Ordinal);
                    standInFor.UnionWith(nestedActors.Select(a => (patient, a)));
                }
            }
            else if (roles.Contains(GrantRole.Regiehouder))
            {
                // The client's own regie yields to a legal representative in force (their own access is added below).
                if (isSelf && represented.ContainsKey(patient)) continue;
                var keeps = isSelf || AgeRules.RepresentativeKeepsRegie(Stage(patient), mine.Any(a => g.KeepsRegieByLaw(a, now)), withAccount.Contains(patient));
                rule = keeps ? new GrantRule([g.Id], GrantRole.Regiehouder, Everything, true, true, true) : null;
            }
            else
            {
                rule = Rule(g, [g.Id], roles.FirstOrDefault() ?? "");
                if (roles.Contains(GrantRole.Bewindvoerder))
                    rule = rule with { Sections = rule.Sections.Where(s => s == Section.Financien).ToHashSet(StringComparer.Ordinal), Manage = false };
            }
            if (rule is null) continue;
            foreach (var a in mine.Where(a => ActingIdentity(a.Reference)))
            {
                if (!actingAs.TryGetValue(patient, out var acting)) actingAs[patient] = acting = new SortedSet<string>(ActingOrder);
                acting.Add(a.Reference);
            }

            foreach (var n in nestedOf.Nested.Where(n => n.Actors.Count == 0 || n.Actors.Overlaps(nestedActors)))
            {
                if (n.IsDeny)
                {
                    if (isSelf) continue;
                    if (n.Items is not null) denied.UnionWith(n.Items);
                    if (n.Sections is not null) rule = rule with { Sections = rule.Sections.Except(n.Sections).ToHashSet(StringComparer.Ordinal) };
                }
                else if (n.Items is not null)
                {
                    Add(patient, rule with { Items = n.Items, Sections = new HashSet<string>(), Manage = false });
                }
            }
            Add(patient, rule);
        }

        // Items and sections hidden from a supporter are hidden from their stand-in too (one more query, only for stand-ins).
        if (standInFor.Count > 0)
        {
            foreach (var d in supporterGrants)
            {
                if (!d.IsDeny || d.PatientId is not { } patient || !d.InForce(now) || selfPatients.Contains(patient)) continue;
                if (!d.Actors.Any(a => standInFor.Contains((patient, a.Reference)))) continue;
                if (d.Items is not null) denied.UnionWith(d.Items);
                else if (d.Sections is not null) Sections(deniedSections, patient).UnionWith(d.Sections);
            }
        }

        // The client's own access by age, without any Consent naming them.
        foreach (var patient in selfPatients)
        {
            var (read, write, manage) = represented.TryGetValue(patient, out var representation)
                ? representation.ClientAccess switch
                {
                    Pgo.Shared.Codes.RegieCodes.ClientAccess.None => (false, false, false),
                    Pgo.Shared.Codes.RegieCodes.ClientAccess.Read => (true, false, false),
                    _ => (true, true, false),
                }
                : AgeRules.OwnAccess(Stage(patient));
            if (read) Add(patient, new GrantRule(["client"], GrantRule.ClientRole, manage ? Everything : DossierSections, read, write, manage));
            if (!actingAs.TryGetValue(patient, out var acting)) actingAs[patient] = acting = new SortedSet<string>(ActingOrder);
            acting.Add($"Patient/{patient}");
        }

        var patients = new Dictionary<string, PatientAccess>(StringComparer.Ordinal);
        foreach (var (patient, list) in rules)
        {
            var effective = deniedSections.TryGetValue(patient, out var hidden) && !selfPatients.Contains(patient)
                ? list.Select(r => r with { Sections = r.Sections.Except(hidden).ToHashSet(StringComparer.Ordinal) }).ToList()
                : list;
            patients[patient] = new PatientAccess(patient, effective);
        }
        // A SMART app launched for one client gets of the person's access only that client's dossier.
        if (caller.LimitedToLaunchPatient)
            patients = patients.Where(p => p.Key == caller.LaunchPatient).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        return new AccessScope
        {
            Types = types,
            Patients = patients,
            Denied = denied,
            Directory = true,
            Owner = SubscriptionOwner.Of(caller),
            Identities = identities.Order(StringComparer.Ordinal).ToList(),
            ActingAs = actingAs.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value.ToList(), StringComparer.Ordinal),
            ChangesAt = grants.Concat(sources.Values).Select(g => g.NextBoundary(now))
                .Concat(grants.Concat(sources.Values).SelectMany(g => new[] { g.RepresentationFrom, g.RepresentationUntil }).Where(t => t > now))
                .Concat(rules.Keys.Concat(selfPatients).Distinct().Select(p => NextAgeStep(birthDates.TryGetValue(p, out var b) ? b : null, today)))
                .Min(),
        };
    }

    /// <summary>
    /// The share packages naming an organisation (or record) the caller acts for, in force or not: the agency's "what was
    /// shared with us, for which purpose, until when". What the caller sees of the items stays decided by
    /// <see cref="CompileAsync"/>; this only tells the caller about its own grants, so that it can see one has ended.
    /// </summary>
    public async Task<IReadOnlyList<ConsentGrant>> SharePackagesOfAsync(CallerContext caller, CancellationToken ct)
    {
        if (caller.IsSystem || caller.FhirUser is not { } fhirUser || !fhirUser.StartsWith("Person/", StringComparison.Ordinal)) return [];
        if (TypePermissions.FromScopes(caller.Scopes, "patient", "user").IsEmpty) return [];
        var (identities, grants, _, _) = await LookupAsync(fhirUser["Person/".Length..], ct);
        return grants.Where(g => g.IsSharePackage && g.PatientId is not null
                && g.Actors.Any(a => identities.Contains(a.Reference) && a.Roles.Contains(GrantRole.Instantie)))
            .ToList();
    }

    /// <summary>How much a represented client keeps (geen &lt; lezen &lt; lezen-schrijven, the default).</summary>
    private static int KeepsRank(string? clientAccess) => clientAccess switch
    {
        Pgo.Shared.Codes.RegieCodes.ClientAccess.None => 0,
        Pgo.Shared.Codes.RegieCodes.ClientAccess.Read => 1,
        _ => 2,
    };

    /// <summary>The next birthday that changes an age stage (12, 16, 18), as the UTC midnight the rules use; null when none.</summary>
    private static DateTimeOffset? NextAgeStep(DateOnly? birth, DateOnly today)
    {
        if (birth is not { } b) return null;
        foreach (var age in (int[])[12, 16, 18])
        {
            var day = b.AddYears(age);
            if (day > today) return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        return null;
    }

    /// <summary>Records that can act in a dossier (and be named as the grantor of a Consent): not organisations or Persons.</summary>
    private static bool ActingIdentity(string reference) =>
        reference.StartsWith("Patient/", StringComparison.Ordinal) || reference.StartsWith("RelatedPerson/", StringComparison.Ordinal)
        || reference.StartsWith("Practitioner/", StringComparison.Ordinal);

    /// <summary>The client's own Patient first, then RelatedPerson, then Practitioner; by id within a type.</summary>
    private static readonly Comparer<string> ActingOrder = Comparer<string>.Create((x, y) =>
    {
        static int Rank(string r) => r.StartsWith("Patient/", StringComparison.Ordinal) ? 0 : r.StartsWith("RelatedPerson/", StringComparison.Ordinal) ? 1 : 2;
        var byRank = Rank(x).CompareTo(Rank(y));
        return byRank != 0 ? byRank : string.CompareOrdinal(x, y);
    });

    private static HashSet<string> Sections(Dictionary<string, HashSet<string>> map, string patient)
    {
        if (!map.TryGetValue(patient, out var set)) map[patient] = set = new HashSet<string>(StringComparer.Ordinal);
        return set;
    }

    /// <summary>A non-regiehouder grant: its sections (none = every dossier section) and actions (none = read);
    /// manage adds the toegang section; provision.data restricts it to those items.</summary>
    private static GrantRule Rule(ConsentGrant g, IReadOnlyList<string> consentIds, string role)
    {
        var actions = g.Actions.Count == 0 ? new HashSet<string> { PgoCodes.Action.Read } : g.Actions;
        var manage = actions.Contains(PgoCodes.Action.Manage);
        var write = actions.Contains(PgoCodes.Action.Write) || manage;
        var sections = new HashSet<string>(g.Sections ?? DossierSections, StringComparer.Ordinal);
        if (manage) sections.Add(Section.Toegang);
        return g.Items is not null
            ? new GrantRule(consentIds, role, new HashSet<string>(), true, write, false, g.Items)
            : new GrantRule(consentIds, role, sections, true, write, manage);
    }

    // ---------------------------------------------------------------- lookups (fresh on every request; SQL in the store)

    /// <summary>The caller's index (Storage/SqlFhirStore.Grants.cs) with its Consent versions parsed: only versions not
    /// parsed before are fetched (their JSON) and parsed, since stored versions never change.</summary>
    private async Task<(HashSet<string> Identities, List<ConsentGrant> Grants, Dictionary<string, DateOnly> BirthDates, HashSet<string> WithAccount)> LookupAsync(string personId, CancellationToken ct)
    {
        var index = await _store.CallerIndexAsync(personId, ct);
        var missing = index.Consents.Where(v => !_parsed.ContainsKey(v)).Select(v => v.Id).ToList();
        if (missing.Count > 0) await ConsentsByIdAsync(missing, ct);
        var grants = index.Consents.Select(v => _parsed.TryGetValue(v, out var g) ? g : null).OfType<ConsentGrant>().ToList();
        return (index.Identities, grants, index.BirthDates, index.ClientsWithAccount);
    }

    private async Task<List<ConsentGrant>> ConsentsByIdAsync(IReadOnlyList<string> ids, CancellationToken ct) =>
        Parse(await _store.ConsentsByIdAsync(ids, ct));

    private List<ConsentGrant> Parse(IReadOnlyList<StoredConsent> consents)
    {
        if (_parsed.Count > 50_000) _parsed.Clear();
        return consents.Select(c => _parsed.GetOrAdd((c.Id, c.Version), static (_, json) => ConsentGrant.Of(FhirJson.Parse<Consent>(json)), c.Json)).ToList();
    }

    /// <summary>Birth dates of live patients (from the birthdate search index).</summary>
    public Task<Dictionary<string, DateOnly>> BirthDatesAsync(IReadOnlyCollection<string> patients, CancellationToken ct) => _store.BirthDatesAsync(patients, ct);

    /// <summary>Every live Consent of one client's dossier (Consent.patient), as grants.</summary>
    internal async Task<List<ConsentGrant>> ConsentsOfPatientAsync(string patientId, CancellationToken ct) => Parse(await _store.ConsentsOfPatientAsync(patientId, ct));

    /// <summary>The records a Person acts as (its links, the organisations of its PractitionerRoles, itself).</summary>
    internal async Task<IReadOnlySet<string>> IdentitiesOfPersonAsync(string personId, CancellationToken ct) => (await LookupAsync(personId, ct)).Identities;

    internal Task<List<ConsentGrant>> ConsentsAsync(IReadOnlyList<string> ids, CancellationToken ct) => ConsentsByIdAsync(ids, ct);

    /// <summary>Whether an account's Person acts as this client: after 18 a representative's regie without a legal basis
    /// holds only while the client has none (never an orphaned dossier).</summary>
    public Task<bool> ClientHasAccountAsync(string patientId, CancellationToken ct) => _store.PatientHasAccountAsync(patientId, ct);

    /// <summary>
    /// Whether a stand-in works in the same team as the supporter: one of <paramref name="standIn"/>'s Practitioners
    /// shares an organisation (through a PractitionerRole, written by the platform) with one of <paramref name="supporter"/>'s.
    /// Records that are not Practitioners never share a team.
    /// </summary>
    public async Task<bool> SameTeamAsync(IEnumerable<string> standIn, IEnumerable<string> supporter, CancellationToken ct)
    {
        static List<string> Practitioners(IEnumerable<string> refs) =>
            refs.Where(r => r.StartsWith("Practitioner/", StringComparison.Ordinal)).Select(r => r["Practitioner/".Length..]).Distinct(StringComparer.Ordinal).ToList();
        var a = Practitioners(standIn);
        var b = Practitioners(supporter);
        if (a.Count == 0 || b.Count == 0) return false;
        var rows = await _store.OrganizationsOfPractitionersAsync(a.Concat(b).Distinct(StringComparer.Ordinal).ToList(), ct);
        var ofA = rows.Where(r => a.Contains(r.Practitioner)).Select(r => r.Organization).ToHashSet(StringComparer.Ordinal);
        return rows.Any(r => b.Contains(r.Practitioner) && ofA.Contains(r.Organization));
    }

    // ---------------------------------------------------------------- writes

    private WriteDecision? _writes;

    /// <summary>The write decision lives in <see cref="WriteDecision"/> (docs/adr/0003, "The write side: invariants").</summary>
    public ValueTask CheckWriteAsync(CallerContext caller, AccessScope scope, string type, Resource? incoming, Resource? current, CancellationToken ct) =>
        (_writes ??= new WriteDecision(this, store, indexer, clock)).DecideAsync(caller, scope, type, incoming, current, ct);
}

/// <summary>
/// What the index holds about one Person, the input of <see cref="ConsentAccessPolicy.Compile"/>: the records it acts as
/// (<c>Type/id</c>), the live Consents naming one of them, the birth dates of their clients, the grants stand-ins act
/// with (by Consent id), and the grants naming those supporters (for the denies that follow a stand-in).
/// </summary>
/// <param name="ClientsWithAccount">The clients (Patient ids) of those grants whom an account's Person acts as: after 18 a
/// representative's regie without a legal basis holds (provisionally) only while the client has no account.</param>
public sealed record GrantFacts(
    IReadOnlySet<string> Identities,
    IReadOnlyList<ConsentGrant> Grants,
    IReadOnlyDictionary<string, DateOnly> BirthDates,
    IReadOnlyDictionary<string, ConsentGrant> Sources,
    IReadOnlyList<ConsentGrant> SupporterGrants,
    IReadOnlySet<string>? ClientsWithAccount = null)
{
    public static GrantFacts None { get; } = new(new HashSet<string>(), [], new Dictionary<string, DateOnly>(), new Dictionary<string, ConsentGrant>(), []);
}
