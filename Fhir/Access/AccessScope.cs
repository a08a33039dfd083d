using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Access;

/// <summary>
/// The compiled access decision for one request: what the caller may see and change. Built by
/// <see cref="ConsentAccessPolicy"/> from the Consents in force at that moment; never kept across requests.
/// Search and read SQL ask it for a <see cref="Predicate"/>, so filtering happens inside the query, never
/// afterwards; writes and the audit log ask the same data through <see cref="CanRead"/>, <see cref="CanWrite"/>
/// and <see cref="GrantsFor"/>.
/// </summary>
public sealed class AccessScope
{
    /// <summary>The platform itself (seeding, migrations, background jobs) and system clients with system/*.cruds.</summary>
    public static AccessScope Unrestricted { get; } = new() { IsUnrestricted = true };

    /// <summary>No access at all (no fhirUser, no usable scope, or no grant).</summary>
    public static AccessScope Nothing(string why) => new() { Explanation = why };

    public bool IsUnrestricted { get; private init; }

    /// <summary>A system client: every patient, limited only by the types of its system/ scopes.</summary>
    public bool AllPatients { get; init; }

    /// <summary>What the token's SMART scopes allow per type; they only narrow the grants.</summary>
    public TypePermissions Types { get; init; } = TypePermissions.All;

    /// <summary>Per patient, the grant rules in force for this caller.</summary>
    public IReadOnlyDictionary<string, PatientAccess> Patients { get; init; } = new Dictionary<string, PatientAccess>();

    /// <summary>Single resources hidden from the caller (Consent provisions of type deny with data). Denies win.</summary>
    public IReadOnlySet<(string Type, string Id)> Denied { get; init; } = new HashSet<(string, string)>();

    /// <summary>May read directory resources (section null: Practitioner, Organization, CodeSystem, ...).</summary>
    public bool Directory { get; init; }

    /// <summary>The FHIR records the caller acts as (Person links, organisations through PractitionerRole).</summary>
    public IReadOnlyList<string> Identities { get; init; } = [];

    /// <summary>Per patient, the caller's records that act in that dossier (Patient, RelatedPerson, Practitioner named by a grant
    /// in force, the client's own Patient first): who the server records as the grantor of a Consent the caller writes there.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ActingAs { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The organisations the caller acts for (for the audit log), comma-separated; null when none.</summary>
    public string? Organization => Identities.Where(i => i.StartsWith("Organization/", StringComparison.Ordinal)).ToList() is { Count: > 0 } orgs ? string.Join(",", orgs) : null;

    /// <summary>The owner key of the caller (<see cref="SubscriptionOwner.Of"/>): it sees the owner-scoped resources
    /// (Subscription) recorded for it and no others.</summary>
    public string? Owner { get; init; }

    /// <summary>The next moment one of the caller's grants starts or ends by its period (null: none known). The decision
    /// holds until then; a holder of the scope beyond one request (a live connection) compiles it again at that moment.</summary>
    public DateTimeOffset? ChangesAt { get; init; }

    /// <summary>Why the scope is empty, for diagnostics (never shown to callers).</summary>
    public string? Explanation { get; init; }

    // ---------------------------------------------------------------- SQL

    public string Predicate(string alias, SqlParameterBag sql) => Predicate(alias, sql, perVersion: false);

    /// <summary>
    /// SQL predicate over the resource table aliased <paramref name="alias"/>; appended to every
    /// query that returns or counts resources. Adds its parameters to <paramref name="sql"/>.
    /// With <paramref name="perVersion"/> the alias is a resource_version row and the compartments are that version's own
    /// (resource_version_compartment): vread and history judge every version by its own place.
    /// </summary>
    public string Predicate(string alias, SqlParameterBag sql, bool perVersion)
    {
        if (IsUnrestricted) return "1=1";
        var a = alias;
        var typeClause = Types.ReadTypes is { } types
            ? (types.Count == 0 ? "1=0" : $"{a}.res_type IN ({string.Join(", ", types.Order(StringComparer.Ordinal).Select(t => sql.Add(t)))})")
            : null;
        if (AllPatients) return typeClause ?? "1=1";

        var visible = new List<string>();
        if (Directory) visible.Add($"{a}.section IS NULL");
        if (Owner is not null) visible.Add($"{a}.section = {sql.Add(SubscriptionOwner.SectionOf(Owner))}");
        var alternatives = new List<string>();
        // Patients with the same readable sections share one condition: (patient IN (...) AND section IN (...)).
        // Berichten is apart: there the section only lets the caller take part (MessageRules).
        foreach (var group in Patients.Values.Select(p => (p.PatientId, Sections: p.ReadSections.Where(s => !MessageRules.ForParticipantsOnly(s)).Order(StringComparer.Ordinal).ToList()))
                     .Where(p => p.Sections.Count > 0).GroupBy(p => string.Join(",", p.Sections)))
        {
            var patients = string.Join(", ", group.Select(p => sql.Add(p.PatientId)));
            var sections = string.Join(", ", group.First().Sections.Select(s => sql.Add(s)));
            alternatives.Add($"(ac.patient_id IN ({patients}) AND {a}.section IN ({sections}))");
        }
        if (Patients.Values.Where(p => p.ReadSections.Contains(PgoCodes.Section.Berichten)).Select(p => p.PatientId).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } talking
            && Participant(a, sql) is { } takesPart)
            alternatives.Add($"(ac.patient_id IN ({string.Join(", ", talking.Select(p => sql.Add(p)))}) AND {a}.section = {sql.Add(PgoCodes.Section.Berichten)} AND {takesPart})");
        foreach (var p in Patients.Values.Where(p => p.ReadItems.Count > 0))
            alternatives.Add($"(ac.patient_id = {sql.Add(p.PatientId)} AND {Items(a, p.ReadItems, sql)})");
        if (alternatives.Count > 0)
            visible.Add(perVersion
                ? $"EXISTS (SELECT 1 FROM resource_version_compartment ac WHERE ac.res_type = {a}.res_type AND ac.res_id = {a}.res_id AND ac.version = {a}.version AND ({string.Join(" OR ", alternatives)}))"
                : $"EXISTS (SELECT 1 FROM resource_compartment ac WHERE ac.res_type = {a}.res_type AND ac.res_id = {a}.res_id AND ({string.Join(" OR ", alternatives)}))");
        if (visible.Count == 0) return "1=0";

        var predicate = "(" + string.Join(" OR ", visible) + ")";
        if (Denied.Count > 0) predicate += $" AND NOT {Items(a, Denied, sql)}";
        if (typeClause is not null) predicate += " AND " + typeClause;
        return predicate;
    }

    /// <summary>The row names one of the caller's identities as sender, recipient or requester (null: the caller has none).</summary>
    private string? Participant(string a, SqlParameterBag sql)
    {
        var byType = Identities.Select(i => i.Split('/')).Where(p => p.Length == 2).GroupBy(p => p[0], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"(mp.target_type = {sql.Add(g.Key)} AND mp.target_id IN ({string.Join(", ", g.Select(p => p[1]).Distinct().Order(StringComparer.Ordinal).Select(id => sql.Add(id)))}))")
            .ToList();
        if (byType.Count == 0) return null;
        return $"EXISTS (SELECT 1 FROM idx_reference mp WHERE mp.res_type = {a}.res_type AND mp.res_id = {a}.res_id " +
               $"AND mp.param IN ({string.Join(", ", MessageRules.ParticipantParams.Select(p => sql.Add(p)))}) AND ({string.Join(" OR ", byType)}))";
    }

    private static string Items(string a, IEnumerable<(string Type, string Id)> items, SqlParameterBag sql) =>
        "(" + string.Join(" OR ", items.GroupBy(i => i.Type, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"({a}.res_type = {sql.Add(g.Key)} AND {a}.res_id IN ({string.Join(", ", g.Select(i => i.Id).Distinct().Order(StringComparer.Ordinal).Select(id => sql.Add(id)))}))")) + ")";

    // ---------------------------------------------------------------- decisions in memory (writes, audit)

    /// <summary>Whether a resource in <paramref name="section"/> and the compartments of <paramref name="patients"/> is visible.
    /// In berichten the section alone is not enough: <paramref name="participants"/> (<see cref="MessageRules.Participants"/>;
    /// null = not known, refused) must name one of the caller's <see cref="Identities"/>, unless an item grant names the resource.</summary>
    public bool CanRead(string type, string id, string? section, IReadOnlyCollection<string> patients, IReadOnlyCollection<string>? participants = null)
    {
        if (IsUnrestricted) return true;
        if (!Types.Allows('r', type) && !Types.Allows('s', type)) return false;
        if (AllPatients) return true;
        if (Denied.Contains((type, id))) return false;
        if (section is null) return Directory;
        if (SubscriptionOwner.IsOwnerSection(section)) return Owner is not null && section == SubscriptionOwner.SectionOf(Owner);
        var sectionReads = !MessageRules.ForParticipantsOnly(section) || TakesPart(participants);
        return patients.Any(p => Patients.TryGetValue(p, out var access)
            && ((sectionReads && access.ReadSections.Contains(section)) || access.ReadItems.Contains((type, id))));
    }

    /// <summary>Whether one of the participants is one of the caller's identities.</summary>
    public bool TakesPart(IReadOnlyCollection<string>? participants) =>
        participants is not null && participants.Any(p => Identities.Contains(p, StringComparer.Ordinal));

    /// <summary>Whether the caller may create ('c'), update ('u') or delete ('d') such a resource. Directory resources: system only.
    /// A write needs the right in EVERY patient compartment the version is in (a resource naming two families' clients needs
    /// write in both); a dossier type in no compartment at all is the platform's.</summary>
    public bool CanWrite(char operation, string type, string id, string? section, IReadOnlyCollection<string> patients)
    {
        if (IsUnrestricted) return true;
        if (!Types.Allows(operation, type)) return false;
        if (AllPatients) return true;
        if (section is null || Denied.Contains((type, id))) return false;
        if (SubscriptionOwner.IsOwnerSection(section)) return Owner is not null && section == SubscriptionOwner.SectionOf(Owner);
        return patients.Count > 0 && patients.All(p => Patients.TryGetValue(p, out var access)
            && (access.WriteSections.Contains(section) || access.WriteItems.Contains((type, id))));
    }

    /// <summary>Whether the caller holds regie over the patient's dossier: a regiehouder grant in force, or the client's own
    /// regie by age. Only they record or end regie and legal representation, and pass on managing access.</summary>
    public bool IsRegiehouder(string patientId) =>
        IsUnrestricted || (Patients.TryGetValue(patientId, out var access)
                           && access.Rules.Any(r => r.Manage && r.Role is PgoCodes.GrantRole.Regiehouder or GrantRule.ClientRole));

    /// <summary>Whether the caller holds regie or manage access over the patient's dossier.</summary>
    public bool CanManage(string patientId) =>
        IsUnrestricted || (Patients.TryGetValue(patientId, out var access) && access.Rules.Any(r => r.Manage));

    /// <summary>Whether the caller may see anything of this patient's dossier.</summary>
    public bool HasAnyAccessTo(string patientId) =>
        IsUnrestricted || AllPatients || (Patients.TryGetValue(patientId, out var a) && (a.ReadSections.Count > 0 || a.ReadItems.Count > 0));

    /// <summary>The Consent ids that allow access to a resource of <paramref name="patientId"/> in <paramref name="section"/>
    /// ("client" for the client's own access by the age rules, "system" for the platform).</summary>
    public IReadOnlyList<string> GrantsFor(string? patientId, string? section, string? type = null, string? id = null)
    {
        if (IsUnrestricted || AllPatients) return ["system"];
        if (patientId is null || !Patients.TryGetValue(patientId, out var access)) return [];
        return access.Rules
            .Where(r => r.Read && ((section is not null && r.Items is null && r.Sections.Contains(section))
                                   || (r.Items is not null && type is not null && id is not null && r.Items.Contains((type, id)))))
            .SelectMany(r => r.ConsentIds).Distinct(StringComparer.Ordinal).ToList();
    }
}

/// <summary>One grant as it applies to the caller: sections (or single items) and actions, with the Consents behind it.</summary>
public sealed record GrantRule(
    IReadOnlyList<string> ConsentIds,
    string Role,
    IReadOnlySet<string> Sections,
    bool Read,
    bool Write,
    bool Manage,
    IReadOnlySet<(string Type, string Id)>? Items = null)
{
    /// <summary>The role of the client's own access by the age rules (no Consent behind it).</summary>
    public const string ClientRole = "client";
}

/// <summary>The caller's rules for one patient, with the sets the predicate needs.</summary>
public sealed class PatientAccess
{
    public PatientAccess(string patientId, IReadOnlyList<GrantRule> rules)
    {
        PatientId = patientId;
        Rules = rules;
        ReadSections = rules.Where(r => r.Read && r.Items is null).SelectMany(r => r.Sections).ToHashSet(StringComparer.Ordinal);
        WriteSections = rules.Where(r => r.Write && r.Items is null).SelectMany(r => r.Sections).ToHashSet(StringComparer.Ordinal);
        ReadItems = rules.Where(r => r.Read && r.Items is not null).SelectMany(r => r.Items!).ToHashSet();
        WriteItems = rules.Where(r => r.Write && r.Items is not null).SelectMany(r => r.Items!).ToHashSet();
    }

    public string PatientId { get; }
    public IReadOnlyList<GrantRule> Rules { get; }
    public IReadOnlySet<string> ReadSections { get; }
    public IReadOnlySet<string> WriteSections { get; }
    public IReadOnlySet<(string Type, string Id)> ReadItems { get; }
    public IReadOnlySet<(string Type, string Id)> WriteItems { get; }
}
