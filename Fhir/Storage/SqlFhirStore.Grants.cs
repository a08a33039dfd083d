using System.Globalization;

namespace Pgo.Fhir.Storage;

/// <summary>
/// The access policy's index lookups, fresh on every request. The policy (Access/ConsentAccessPolicy) turns what they
/// return into an AccessScope without touching the database: the SQL lives here, the rules there.
/// </summary>
internal interface IGrantStore
{
    /// <summary>
    /// One round trip: the records the Person links to (and the organisations of its Practitioners' PractitionerRoles),
    /// the current version of every live Consent whose provision.actor names one of them, and the birth dates of those
    /// Consents' clients and of the Person's own Patient records, the Consents of the Person's own dossiers (whether a
    /// representative holds regie over them), and which of those clients an account's Person acts as.
    /// </summary>
    Task<CallerIndex> CallerIndexAsync(string personId, CancellationToken ct = default);

    /// <summary>The access stamp (Schema V8): it changes with every committed write that can change a caller's grants.
    /// One single-row read, from the database, so that every instance on it sees every other's change.</summary>
    Task<long> AccessStampAsync(CancellationToken ct = default);

    /// <summary>Live Consents by id (current versions).</summary>
    Task<IReadOnlyList<StoredConsent>> ConsentsByIdAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Every live Consent whose provision.actor names one of the identities (<c>Type/id</c>).</summary>
    Task<IReadOnlyList<StoredConsent>> ConsentsNamingAsync(IReadOnlyCollection<string> identities, CancellationToken ct = default);

    /// <summary>Every live Consent of one client's dossier (Consent.patient).</summary>
    Task<IReadOnlyList<StoredConsent>> ConsentsOfPatientAsync(string patientId, CancellationToken ct = default);

    /// <summary>Birth dates of live patients (from the birthdate search index).</summary>
    Task<Dictionary<string, DateOnly>> BirthDatesAsync(IReadOnlyCollection<string> patients, CancellationToken ct = default);

    /// <summary>The organisations (ids) each Practitioner (id) works for through a live PractitionerRole.</summary>
    Task<IReadOnlyList<(string Practitioner, string Organization)>> OrganizationsOfPractitionersAsync(IReadOnlyCollection<string> practitionerIds, CancellationToken ct = default);

    /// <summary>Whether an account's Person acts as this client (a Person links to the Patient).</summary>
    Task<bool> PatientHasAccountAsync(string patientId, CancellationToken ct = default);

    /// <summary>The Persons (ids) who may be told of a change in one dossier: those acting as an actor of a live Consent
    /// of the client, and the client's own Person (SQL in SqlFhirStore.Audience.cs). A candidate list, not a decision.</summary>
    Task<IReadOnlyList<string>> DossierAudienceAsync(string patientId, CancellationToken ct = default);

    /// <summary>The Persons (ids) acting as any of the records (<c>Type/id</c>): linked to it, a Practitioner in a role of
    /// an Organization named, or the Person itself.</summary>
    Task<IReadOnlyList<string>> PersonsActingAsAsync(IReadOnlyCollection<string> identities, CancellationToken ct = default);
}

/// <summary>What the index says about one Person: who it acts as, the Consent versions naming those, the clients' birth dates.</summary>
internal sealed record CallerIndex(HashSet<string> Identities, IReadOnlyList<(string Id, int Version)> Consents, Dictionary<string, DateOnly> BirthDates,
    HashSet<string> ClientsWithAccount);

/// <summary>One stored Consent version, unparsed (the policy parses each version once).</summary>
internal sealed record StoredConsent(string Id, int Version, string Json);

internal sealed partial class SqlFhirStore : IGrantStore
{
    public async Task<CallerIndex> CallerIndexAsync(string personId, CancellationToken ct = default)
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
                WHERE x.res_type = 'Consent' AND x.param = 'actor'
                UNION
                -- a client's own dossier: whether a legal representative holds regie over it
                SELECT x.res_id FROM idx_reference x JOIN ids ON ids.t = 'Patient' AND x.target_id = ids.i
                WHERE x.res_type = 'Consent' AND x.param = 'patient' AND x.target_type = 'Patient')
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
            UNION ALL
            SELECT 'account', l.target_id, NULL, NULL FROM idx_reference l
            WHERE l.res_type = 'Person' AND l.param = 'link' AND l.target_type = 'Patient' AND l.target_id IN (
              SELECT p.target_id FROM idx_reference p WHERE p.res_type = 'Consent' AND p.param = 'patient' AND p.res_id IN (SELECT res_id FROM grants))
            """;
        var rows = await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct);
        var identities = rows.Where(r => (string)r[0]! == "id").Select(r => $"{r[1]}/{r[2]}").ToHashSet(StringComparer.Ordinal);
        var versions = rows.Where(r => (string)r[0]! == "consent").Select(r => ((string)r[1]!, int.Parse((string)r[2]!, CultureInfo.InvariantCulture))).ToList();
        var births = rows.Where(r => (string)r[0]! == "birth").GroupBy(r => (string)r[1]!).ToDictionary(g => g.Key,
            g => Date(long.Parse((string)g.First()[2]!, CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        var withAccount = rows.Where(r => (string)r[0]! == "account").Select(r => (string)r[1]!).ToHashSet(StringComparer.Ordinal);
        return new CallerIndex(identities, versions, births, withAccount);
    }

    public async Task<long> AccessStampAsync(CancellationToken ct = default)
    {
        await using var conn = await _open(ct);
        return Convert.ToInt64(await ScalarAsync(conn, null, "SELECT n FROM access_stamp WHERE id = 1", [], ct), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<StoredConsent>> ConsentsByIdAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        var bag = new SqlParameterBag();
        var sql = $"SELECT r.res_id, r.version, r.json FROM resource r WHERE r.res_type = 'Consent' AND r.deleted = 0 AND r.res_id IN ({string.Join(", ", ids.Select(bag.Add))})";
        return Consents(await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct));
    }

    public async Task<IReadOnlyList<StoredConsent>> ConsentsNamingAsync(IReadOnlyCollection<string> identities, CancellationToken ct = default)
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
        return Consents(await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct));
    }

    public async Task<IReadOnlyList<StoredConsent>> ConsentsOfPatientAsync(string patientId, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"""
            SELECT r.res_id, r.version, r.json FROM resource r
            WHERE r.res_type = 'Consent' AND r.deleted = 0 AND r.res_id IN (
              SELECT x.res_id FROM idx_reference x WHERE x.res_type = 'Consent' AND x.param = 'patient' AND x.target_type = 'Patient' AND x.target_id = {bag.Add(patientId)})
            """;
        return Consents(await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct));
    }

    public async Task<Dictionary<string, DateOnly>> BirthDatesAsync(IReadOnlyCollection<string> patients, CancellationToken ct = default)
    {
        if (patients.Count == 0) return new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        var bag = new SqlParameterBag();
        var sql = $"SELECT d.res_id, d.start_ms FROM idx_date d WHERE d.res_type = 'Patient' AND d.param = 'birthdate' AND d.res_id IN ({string.Join(", ", patients.Select(bag.Add))})";
        var rows = await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct);
        return rows.GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => Date(Convert.ToInt64(g.First()[1], CultureInfo.InvariantCulture)), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<(string Practitioner, string Organization)>> OrganizationsOfPractitionersAsync(IReadOnlyCollection<string> practitionerIds, CancellationToken ct = default)
    {
        if (practitionerIds.Count == 0) return [];
        var bag = new SqlParameterBag();
        var sql = $"""
            SELECT pr.target_id, o.target_id FROM idx_reference pr
            JOIN idx_reference o ON o.res_type = 'PractitionerRole' AND o.res_id = pr.res_id AND o.param = 'organization' AND o.target_type = 'Organization'
            WHERE pr.res_type = 'PractitionerRole' AND pr.param = 'practitioner' AND pr.target_type = 'Practitioner'
              AND pr.target_id IN ({string.Join(", ", practitionerIds.Select(bag.Add))})
            """;
        return (await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct)).Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
    }

    public async Task<bool> PatientHasAccountAsync(string patientId, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"SELECT 1 FROM idx_reference l WHERE l.res_type = 'Person' AND l.param = 'link' AND l.target_type = 'Patient' AND l.target_id = {bag.Add(patientId)}";
        return (await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct)).Count > 0;
    }

    private static List<StoredConsent> Consents(IReadOnlyList<object?[]> rows) =>
        rows.Select(r => new StoredConsent((string)r[0]!, Convert.ToInt32(r[1], CultureInfo.InvariantCulture), (string)r[2]!)).ToList();

    private static DateOnly Date(long ms) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime);
}
