namespace Pgo.Fhir.Access;

/// <summary>Why a caller may not start a dossier of its own for a naaste of a dossier (403).</summary>
public enum MemberDossierRefusal
{
    /// <summary>Starting dossiers is for family (DossierOperations.StartDossierRefusal): a supporter or agency is invited instead.</summary>
    NotFamily,
    /// <summary>The new dossier is grouped with this one's family: that needs write on netwerk here (W3).</summary>
    NoNetworkWrite,
    /// <summary>Only who holds regie over the client's dossier starts a dossier for a naaste of it: a grant that lets
    /// someone change the network does not make them the one who decides for a minor sibling.</summary>
    NoRegie,
}

/// <summary>
/// The whole family (issue 18): who may group dossiers into a family, who may start a naaste's own dossier, and who holds
/// regie over it. Pure decisions on the compiled <see cref="AccessScope"/>; the Group itself is written through the
/// repository, where <see cref="WriteDecision"/> asks write on netwerk in every member's dossier (W3).
/// </summary>
public static class FamilyRules
{
    /// <summary>Whether the caller may open this member's dossier: only then does a family list or a goal show its name and link.</summary>
    public static bool CanOpen(AccessScope scope, string patientId) =>
        DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview);

    /// <summary>Whether the caller may change the family (Group) in this dossier: write on netwerk (create and update).</summary>
    public static bool MayGroup(AccessScope scope, string patientId) =>
        scope.CanWrite('c', "Group", "", PgoCodes.Section.Netwerk, [patientId]) && scope.CanWrite('u', "Group", "", PgoCodes.Section.Netwerk, [patientId]);

    /// <summary>
    /// Starting a naaste's own dossier from the client's dossier: a family member (who may start dossiers at all) who holds
    /// regie over the client's dossier, with write on
    /// netwerk in the client's dossier and in every other dossier of its family (<paramref name="familyMembers"/>), because the
    /// new dossier joins that family, as changing the family through the API would ask (W3). Null when allowed. The caller must
    /// see the dossier at all (else 404, asked before this).
    /// </summary>
    public static MemberDossierRefusal? MemberDossier(CallerContext caller, AccessScope scope, string patientId, IEnumerable<string> familyMembers)
    {
        if (DossierOperations.StartDossierRefusal(caller) is not null) return MemberDossierRefusal.NotFamily;
        if (!MayGroup(scope, patientId) || !familyMembers.All(m => MayGroup(scope, m))) return MemberDossierRefusal.NoNetworkWrite;
        if (!scope.IsRegiehouder(patientId)) return MemberDossierRefusal.NoRegie;
        return null;
    }

    /// <summary>
    /// Regie over a naaste's own dossier follows the age rules: from 16 a naaste with an account of their own holds it (a young
    /// carer of 19, a brother of 17); otherwise whoever starts it (a parent of a sibling of 14). An adult without an account
    /// cannot be represented by someone who simply starts a dossier: <see cref="AdultNeedsAccount"/>.
    /// </summary>
    public static bool NaasteHoldsOwnRegie(AgeStage stage, bool naasteHasAccount) =>
        naasteHasAccount && stage is AgeStage.Adolescent or AgeStage.Adult;

    /// <summary>An adult naaste holds their own regie (no legal basis is recorded for anyone else): without an account of
    /// their own they are invited first (422), so that the dossier is never held by someone without a right to it.</summary>
    public static bool AdultNeedsAccount(AgeStage stage, bool naasteHasAccount) => stage == AgeStage.Adult && !naasteHasAccount;
}
