namespace Pgo.Fhir.Access;

/// <summary>
/// Who may be told of what time brings (Api/Notifications/Schedule), beside <see cref="DossierOperations"/>: the Api asks
/// here and reads no grant rules or role names itself. Every answer is taken from the recipient's compiled
/// <see cref="AccessScope"/>, or, for finding candidates, from the grants' roles; a candidate must still pass a decision.
/// </summary>
public static class NotificationDecisions
{
    /// <summary>Whether the grant (Consent <paramref name="consentId"/>) still gives this person access to the dossier.</summary>
    public static bool HoldsGrant(AccessScope scope, string patientId, string consentId) =>
        scope.Patients.TryGetValue(patientId, out var access) && access.Rules.Any(r => r.ConsentIds.Contains(consentId, StringComparer.Ordinal));

    /// <summary>Whether this person holds regie over the dossier (a regiehouder in force, or the client by age).</summary>
    public static bool HoldsRegie(AccessScope scope, string patientId) => scope.IsRegiehouder(patientId);

    /// <summary>Whether this person is told of the client's milestones (turning 18): whoever holds regie, and a supporter
    /// (ondersteuner) whose grant is in force.</summary>
    public static bool HearsMilestones(AccessScope scope, string patientId) =>
        scope.IsRegiehouder(patientId)
        || (scope.Patients.TryGetValue(patientId, out var access) && access.Rules.Any(r => r.Role == PgoCodes.GrantRole.Ondersteuner));

    /// <summary>The actors of a dossier's grants who might hear of its milestones or its share packages: regiehouders, and
    /// with <paramref name="withSupporters"/> the ondersteuners. Candidates only.</summary>
    public static IEnumerable<string> RegieActors(IEnumerable<ConsentGrant> grants, bool withSupporters) =>
        grants.Where(g => !g.IsDeny).SelectMany(g => g.Actors)
            .Where(a => a.Roles.Contains(PgoCodes.GrantRole.Regiehouder) || (withSupporters && a.Roles.Contains(PgoCodes.GrantRole.Ondersteuner)))
            .Select(a => a.Reference);

    /// <summary>The organisations a share package is for (its actors as instantie). Candidates only.</summary>
    public static IEnumerable<string> AgencyActors(ConsentGrant grant) =>
        grant.Actors.Where(a => a.Roles.Contains(PgoCodes.GrantRole.Instantie)).Select(a => a.Reference);
}
