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
/// before every write. Nothing is cached across requests except the parse of a stored Consent version, which
/// never changes: a revoked or expired grant stops working on the very next request.
/// </summary>
/// <remarks>
/// Rules (docs/adr/0003-consent-model.md, docs/authorization-matrix.md):
/// <list type="bullet">
/// <item>The caller acts as the records its <c>fhirUser</c> Person links to, plus the organisations of its PractitionerRoles
///   (looked up, with the Consents naming them and the clients' birth dates, in one statement).</item>
/// <item>A Consent (status active, inside provision.period) whose provision.actor names one of those records grants
///   its sections (provision.code; none = every dossier section) with its actions (read, write, manage), or only the
///   items in provision.data. Role regiehouder grants everything, managing access included.</item>
/// <item>Age rules: a representative's regie ends at the client's 18th birthday unless the actor's role records a
///   mentorship or curatele; the client reads and writes from 12 and holds regie from 16 without any Consent.</item>
/// <item>Denies (a Consent or nested provision of type deny with data) hide items from everyone but the client; they win.</item>
/// <item>A stand-in (role invaller, Consent.sourceReference = the supporter's grant) acts with that grant, without
///   manage, while its own period runs and only if the grant allows stand-ins.</item>
/// <item>Directory resources (outside every patient compartment) are readable by every authenticated person and
///   writable only by system clients. AuditEvent is never writable through the repository.</item>
/// </list>
/// </remarks>
public sealed class ConsentAccessPolicy(IFhirStore store, ISearchIndexer indexer, TimeProvider clock) : IAccessPolicy
{
    // Per policy (one per store): a stored version never changes, but two stores may hold the same id and version.
    private readonly ConcurrentDictionary<(string Id, int Version), ConsentGrant> _parsed = new();

    private static readonly IReadOnlySet<string> Everything = Section.All.ToHashSet(StringComparer.Ordinal);
    private static readonly IReadOnlySet<string> DossierSections = Section.Dossier.ToHashSet(StringComparer.Ordinal);

    public async ValueTask<AccessScope> CompileAsync(CallerContext caller, CancellationToken ct)
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
        var personId = fhirUser["Person/".Length..];

        var (identities, grants, birthDates) = await LookupAsync(personId, ct);
        var selfPatients = identities.Where(i => i.StartsWith("Patient/", StringComparison.Ordinal)).Select(i => i["Patient/".Length..]).ToHashSet(StringComparer.Ordinal);

        var sourceIds = grants.Where(g => g.SourceConsentId is not null).Select(g => g.SourceConsentId!).Distinct().ToList();
        var sources = sourceIds.Count == 0 ? new Dictionary<string, ConsentGrant>() : (await ConsentsByIdAsync(sourceIds, ct)).ToDictionary(g => g.Id);

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        AgeStage Stage(string patient) => AgeRules.StageOf(birthDates.TryGetValue(patient, out var b) ? b : null, today);

        var rules = new Dictionary<string, List<GrantRule>>(StringComparer.Ordinal);
        var denied = new HashSet<(string, string)>();
        var deniedSections = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var standInFor = new HashSet<(string Patient, string Actor)>();
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
                rule = sources.TryGetValue(sourceId, out var source) && source.AllowStandIn && source.InForce(now) && !source.IsDeny
                       && source.PatientId == patient && !source.Actors.Any(a => a.Roles.Contains(GrantRole.Regiehouder))
                    ? Rule(source, [g.Id, source.Id], GrantRole.Invaller) with { Manage = false }
                    : null;
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
                var keeps = isSelf || AgeRules.RepresentativeKeepsRegie(Stage(patient), mine.Any(a => a.LegalRepresentative));
                rule = keeps ? new GrantRule([g.Id], GrantRole.Regiehouder, Everything, true, true, true) : null;
            }
            else
            {
                rule = Rule(g, [g.Id], roles.FirstOrDefault() ?? "");
            }
            if (rule is null) continue;

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
            foreach (var d in await GrantsNamingAsync(standInFor.Select(s => s.Actor).ToHashSet(StringComparer.Ordinal), ct))
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
            var (read, write, manage) = AgeRules.OwnAccess(Stage(patient));
            if (read) Add(patient, new GrantRule(["client"], "client", manage ? Everything : DossierSections, read, write, manage));
        }

        var patients = new Dictionary<string, PatientAccess>(StringComparer.Ordinal);
        foreach (var (patient, list) in rules)
        {
            var effective = deniedSections.TryGetValue(patient, out var hidden) && !selfPatients.Contains(patient)
                ? list.Select(r => r with { Sections = r.Sections.Except(hidden).ToHashSet(StringComparer.Ordinal) }).ToList()
                : list;
            patients[patient] = new PatientAccess(patient, effective);
        }

        return new AccessScope
        {
            Types = types,
            Patients = patients,
            Denied = denied,
            Directory = true,
            Owner = SubscriptionOwner.Of(caller),
            Identities = identities.Order(StringComparer.Ordinal).ToList(),
            ChangesAt = grants.Concat(sources.Values).Select(g => g.NextBoundary(now)).Min(),
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
        var (identities, grants, _) = await LookupAsync(fhirUser["Person/".Length..], ct);
        return grants.Where(g => g.IsSharePackage && g.PatientId is not null
                && g.Actors.Any(a => identities.Contains(a.Reference) && a.Roles.Contains(GrantRole.Instantie)))
            .ToList();
    }

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

    // ---------------------------------------------------------------- lookups (fresh on every request)

    /// <summary>
    /// One round trip: the records the Person links to (and the organisations of its Practitioners' PractitionerRoles),
    /// every live Consent whose provision.actor names one of them, and the birth dates of those Consents' clients
    /// and of the Person's own Patient records.
    /// </summary>
    private async Task<(HashSet<string> Identities, List<ConsentGrant> Grants, Dictionary<string, DateOnly> BirthDates)> LookupAsync(string personId, CancellationToken ct)
    {
        var bag = new SqlParameterBag();
        var person = bag.Add(personId);
        var sql = $"""
            WITH ids (t, i) AS (
              SELECT l.target_type, l.target_id FROM idx_reference l
              WHERE l.res_type = 'Person' AND l.res_id = {person} AND l.param = 'link' AND l.target_type IS NOT NULL
              UNION
              SELECT o.target_type, o.target_id FROM idx_reference l
              JOIN idx_reference pr ON pr.res_type = 'PractitionerRole' AND pr.param = 'practitioner' AND pr.target_type = 'Practitioner' AND pr.target_id = l.target_id
              JOIN idx_reference o ON o.res_type = 'PractitionerRole' AND o.res_id = pr.res_id AND o.param = 'organization' AND o.target_type = 'Organization'
              WHERE l.res_type = 'Person' AND l.res_id = {person} AND l.param = 'link' AND l.target_type = 'Practitioner'
              UNION
              SELECT 'Person', {person}
            ),
            grants (res_id, version) AS (
              SELECT r.res_id, r.version FROM resource r
              WHERE r.res_type = 'Consent' AND r.deleted = 0 AND r.res_id IN (
                SELECT x.res_id FROM idx_reference x JOIN ids ON x.target_type = ids.t AND x.target_id = ids.i
                WHERE x.res_type = 'Consent' AND x.param = 'actor')
            )
            SELECT 'id', t, i, NULL FROM ids
            UNION ALL
            SELECT 'consent', res_id, CAST(version AS TEXT), NULL FROM grants
            UNION ALL
            SELECT 'birth', d.res_id, CAST(d.start_ms AS TEXT), NULL FROM idx_date d
            WHERE d.res_type = 'Patient' AND d.param = 'birthdate' AND d.res_id IN (
              SELECT p.target_id FROM idx_reference p WHERE p.res_type = 'Consent' AND p.param = 'patient' AND p.res_id IN (SELECT res_id FROM grants)
              UNION
              SELECT i FROM ids WHERE t = 'Patient')
            """;
        var rows = await store.QueryRowsAsync(new SqlQuery(sql, bag.Values), ct);
        var identities = rows.Where(r => (string)r[0]! == "id").Select(r => $"{r[1]}/{r[2]}").ToHashSet(StringComparer.Ordinal);
        // Stored versions never change: only versions not parsed before are fetched (their JSON) and parsed.
        var versions = rows.Where(r => (string)r[0]! == "consent").Select(r => ((string)r[1]!, int.Parse((string)r[2]!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var missing = versions.Where(v => !_parsed.ContainsKey(v)).Select(v => v.Item1).ToList();
        if (missing.Count > 0) await ConsentsByIdAsync(missing, ct);
        var grants = versions.Select(v => _parsed.TryGetValue(v, out var g) ? g : null).OfType<ConsentGrant>().ToList();
        var births = rows.Where(r => (string)r[0]! == "birth").GroupBy(r => (string)r[1]!).ToDictionary(g => g.Key,
            g => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)g.First()[2]!, System.Globalization.CultureInfo.InvariantCulture)).UtcDateTime),
            StringComparer.Ordinal);
        return (identities, grants, births);
    }

    /// <summary>Every live Consent whose provision.actor names one of the identities.</summary>
    private async Task<List<ConsentGrant>> GrantsNamingAsync(HashSet<string> identities, CancellationToken ct)
    {
        var bag = new SqlParameterBag();
        var byType = identities.Select(i => i.Split('/')).Where(p => p.Length == 2).GroupBy(p => p[0], StringComparer.Ordinal)
            .Select(g => $"(x.target_type = {bag.Add(g.Key)} AND x.target_id IN ({string.Join(", ", g.Select(p => bag.Add(p[1])))}))").ToList();
        if (byType.Count == 0) return [];
        var sql = $"""
            SELECT r.res_id, r.version, r.json FROM resource r
            WHERE r.res_type = 'Consent' AND r.deleted = 0 AND r.res_id IN (
              SELECT x.res_id FROM idx_reference x WHERE x.res_type = 'Consent' AND x.param = 'actor' AND ({string.Join(" OR ", byType)}))
            """;
        return Parse(await store.QueryRowsAsync(new SqlQuery(sql, bag.Values), ct));
    }

    private async Task<List<ConsentGrant>> ConsentsByIdAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var bag = new SqlParameterBag();
        var sql = $"SELECT r.res_id, r.version, r.json FROM resource r WHERE r.res_type = 'Consent' AND r.deleted = 0 AND r.res_id IN ({string.Join(", ", ids.Select(bag.Add))})";
        return Parse(await store.QueryRowsAsync(new SqlQuery(sql, bag.Values), ct));
    }

    private List<ConsentGrant> Parse(IReadOnlyList<object?[]> rows)
    {
        if (_parsed.Count > 50_000) _parsed.Clear();
        return rows.Select(r => _parsed.GetOrAdd(((string)r[0]!, Convert.ToInt32(r[1])),
            static (_, json) => ConsentGrant.Of(FhirJson.Parse<Consent>(json)), (string)r[2]!)).ToList();
    }

    /// <summary>Birth dates of live patients (from the birthdate search index).</summary>
    public async Task<Dictionary<string, DateOnly>> BirthDatesAsync(IReadOnlyCollection<string> patients, CancellationToken ct)
    {
        if (patients.Count == 0) return new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        var bag = new SqlParameterBag();
        var sql = $"SELECT d.res_id, d.start_ms FROM idx_date d WHERE d.res_type = 'Patient' AND d.param = 'birthdate' AND d.res_id IN ({string.Join(", ", patients.Select(bag.Add))})";
        var rows = await store.QueryRowsAsync(new SqlQuery(sql, bag.Values), ct);
        return rows.GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key,
            g => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(g.First()[1])).UtcDateTime), StringComparer.Ordinal);
    }

    // ---------------------------------------------------------------- writes

    public ValueTask CheckWriteAsync(CallerContext caller, AccessScope scope, string type, Resource? incoming, Resource? current, CancellationToken ct)
    {
        if (type == "AuditEvent")
            throw FhirException.Forbidden("AuditEvent is alleen-lezen: het auditlog wordt door het platform zelf bijgehouden.");
        if (scope.IsUnrestricted) return ValueTask.CompletedTask;

        var id = (incoming ?? current)!.Id ?? "";
        if (current is not null)
        {
            var (section, patients) = Place(current);
            if (!scope.CanRead(type, id, section, patients, MessageRules.Participants(current))) throw NotFound(type, id);
            var operation = incoming is null ? 'd' : 'u';
            if (!scope.CanWrite(operation, type, id, section, patients))
                throw Forbidden(type, section, incoming is null ? "verwijderen" : "wijzigen");
        }
        MessageRules.Apply(caller, scope, type, incoming, current, incoming is null ? [] : Place(incoming).Patients);
        if (incoming is not null)
        {
            var (section, patients) = Place(incoming);
            var operation = current is null ? 'c' : 'u';
            if (scope.CanWrite(operation, type, id, section, patients)) return ValueTask.CompletedTask;
            if (current is not null) throw Forbidden(type, section, "verplaatsen naar dit onderdeel of deze cliënt");
            if (section is null) throw FhirException.Forbidden($"{type} hoort bij geen dossier; alleen het platform kan dit vastleggen.");
            if (patients.Count == 0) throw FhirException.Forbidden($"Dit {type}-record hoort bij geen cliënt; leg het vast bij een cliënt.");
            // Creating in a dossier the caller cannot see answers like a missing patient.
            if (!patients.Any(scope.HasAnyAccessTo)) throw FhirException.NotFound($"Patient/{patients.First()} is niet gevonden.");
            throw Forbidden(type, section, "toevoegen");
        }
        return ValueTask.CompletedTask;
    }

    private (string? Section, IReadOnlyList<string> Patients) Place(Resource resource) =>
        (SectionClassifier.Classify(resource), SectionClassifier.IsDossierType(resource.TypeName) ? indexer.Extract(resource).PatientCompartment : []);

    private static FhirException NotFound(string type, string id) => FhirException.NotFound($"{type}/{id} is niet gevonden.");

    private static FhirException Forbidden(string type, string? section, string what) => FhirException.Forbidden(section == Section.Toegang
        ? "Alleen de regiehouder (of wie toegang mag beheren) kan toestemmingen vastleggen, wijzigen of beëindigen."
        : $"U mag in dit dossier geen {type} {what} in het onderdeel '{section}'.");
}
