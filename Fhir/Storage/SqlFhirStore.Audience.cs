namespace Pgo.Fhir.Storage;

/// <summary>
/// Who could be told of a change (notifications): the reverse of <see cref="CallerIndexAsync"/>. The index says which
/// Persons act as which records; whether a candidate may really hear of a change is decided per candidate by the access
/// policy, never here.
/// </summary>
internal sealed partial class SqlFhirStore
{
    public Task<IReadOnlyList<string>> DossierAudienceAsync(string patientId, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var patient = bag.Add(patientId);
        // Every actor of a live Consent of the client (in force or not: the policy judges), and the client themselves.
        var actors = $"""
            SELECT x.target_type, x.target_id FROM idx_reference x
            WHERE x.res_type = 'Consent' AND x.param = 'actor' AND x.target_type IS NOT NULL AND x.res_id IN (
              SELECT r.res_id FROM resource r WHERE r.res_type = 'Consent' AND r.deleted = 0 AND r.res_id IN (
                SELECT p.res_id FROM idx_reference p
                WHERE p.res_type = 'Consent' AND p.param = 'patient' AND p.target_type = 'Patient' AND p.target_id = {patient}))
            UNION
            SELECT 'Patient', {patient}
            """;
        return PersonsAsync(actors, bag, ct);
    }

    public Task<IReadOnlyList<string>> PersonsActingAsAsync(IReadOnlyCollection<string> identities, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var rows = identities.Distinct(StringComparer.Ordinal).Select(i => i.Split('/')).Where(p => p.Length == 2 && p[0].Length > 0 && p[1].Length > 0)
            .Select(p => $"SELECT {bag.Add(p[0])}, {bag.Add(p[1])}").ToList();
        if (rows.Count == 0) return Task.FromResult<IReadOnlyList<string>>([]);
        return PersonsAsync(string.Join(" UNION ", rows), bag, ct);
    }

    /// <summary>The Persons acting as the records <paramref name="actors"/> selects (columns type, id): by a link, as a
    /// Practitioner with a PractitionerRole in a named Organization, or being the Person named.</summary>
    private async Task<IReadOnlyList<string>> PersonsAsync(string actors, SqlParameterBag bag, CancellationToken ct)
    {
        var sql = $"""
            WITH actors (t, i) AS (
            {actors}
            )
            SELECT l.res_id FROM idx_reference l JOIN actors a ON l.target_type = a.t AND l.target_id = a.i
            WHERE l.res_type = 'Person' AND l.param = 'link'
            UNION
            SELECT l.res_id FROM idx_reference l
            JOIN idx_reference pr ON pr.res_type = 'PractitionerRole' AND pr.param = 'practitioner' AND pr.target_type = 'Practitioner' AND pr.target_id = l.target_id
            JOIN idx_reference o ON o.res_type = 'PractitionerRole' AND o.res_id = pr.res_id AND o.param = 'organization' AND o.target_type = 'Organization'
            JOIN actors a ON a.t = 'Organization' AND a.i = o.target_id
            WHERE l.res_type = 'Person' AND l.param = 'link' AND l.target_type = 'Practitioner'
            UNION
            SELECT r.res_id FROM resource r JOIN actors a ON a.t = 'Person' AND a.i = r.res_id
            WHERE r.res_type = 'Person' AND r.deleted = 0
            """;
        var rows = await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct);
        return rows.Select(r => (string)r[0]!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
