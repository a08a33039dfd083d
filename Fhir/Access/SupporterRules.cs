using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Access;

/// <summary>Why a stand-in or a change of supporter is refused (the Api words it; none = allowed).</summary>
public enum SupporterRefusal
{
    None,
    /// <summary>The grant is not a supporter's grant in force (an ended grant, regie, a share package, a stand-in itself).</summary>
    NotASupporterGrant,
    /// <summary>The family has not allowed stand-ins on this grant.</summary>
    StandInsNotAllowed,
    /// <summary>The period is empty or already over.</summary>
    Period,
    /// <summary>The colleague does not work in the supporter's team (no shared organisation): 422.</summary>
    NotSameTeam,
    /// <summary>The new supporter is the old one.</summary>
    SameSupporter,
}

/// <summary>
/// Stand-ins and a change of supporter (issue 18), as pure rules over a grant: which grant takes a stand-in or can move
/// to another supporter, and who may name a stand-in. The write itself is decided by <see cref="WriteDecision"/> (a
/// person's Consent) or, for a team coach, by <see cref="CoachMayNameStandIn"/> before the platform writes it.
/// </summary>
public static class SupporterRules
{
    /// <summary>A supporter's own grant (role ondersteuner), not a stand-in, a hide or a share package.</summary>
    public static bool IsSupporterGrant(ConsentGrant grant) =>
        !grant.IsDeny && grant.SourceConsentId is null && grant.Actors.Any(a => a.Roles.Contains(GrantRole.Ondersteuner))
        && !grant.Actors.Any(a => a.Roles.Contains(GrantRole.Regiehouder) || a.HasLegalBasis);

    /// <summary>A stand-in Consent (role invaller, acting with <see cref="ConsentGrant.SourceConsentId"/>).</summary>
    public static bool IsStandIn(ConsentGrant grant) =>
        !grant.IsDeny && grant.SourceConsentId is not null && grant.Actors.Any(a => a.Roles.Contains(GrantRole.Invaller));

    /// <summary>The supporters a grant names (their records: Practitioner/...).</summary>
    public static IReadOnlyList<string> Supporters(ConsentGrant grant) =>
        grant.Actors.Where(a => a.Roles.Contains(GrantRole.Ondersteuner)).Select(a => a.Reference).ToList();

    /// <summary>Whether a stand-in may be named on <paramref name="source"/> for the period: a supporter's grant in force that
    /// allows stand-ins, and a period that ends after now and after it starts. The team is checked by the caller's path.</summary>
    public static SupporterRefusal StandInOn(ConsentGrant source, DateTimeOffset from, DateTimeOffset until, DateTimeOffset now)
    {
        if (!IsSupporterGrant(source) || !source.InForce(now)) return SupporterRefusal.NotASupporterGrant;
        if (!source.AllowStandIn) return SupporterRefusal.StandInsNotAllowed;
        if (until <= from || until <= now) return SupporterRefusal.Period;
        return SupporterRefusal.None;
    }

    /// <summary>
    /// A team coach names a stand-in without holding any grant in the dossier: only as coach of a team (team space) in which
    /// the supporter is a member, and only a colleague who works in the supporter's organisation (FHIR PractitionerRole,
    /// <see cref="ConsentAccessPolicy.SameTeamAsync"/>). The platform then writes the Consent on the coach's behalf.
    /// </summary>
    /// <returns>Null when the caller is not such a coach (the Api answers as for a dossier it does not see); else the refusal.</returns>
    public static SupporterRefusal? CoachMayNameStandIn(bool coachOfSupportersTeam, bool colleagueInSameTeam, ConsentGrant source,
        DateTimeOffset from, DateTimeOffset until, DateTimeOffset now)
    {
        if (!coachOfSupportersTeam) return null;
        var refusal = StandInOn(source, from, until, now);
        if (refusal != SupporterRefusal.None) return refusal;
        return colleagueInSameTeam ? SupporterRefusal.None : SupporterRefusal.NotSameTeam;
    }

    /// <summary>A coach stops a stand-in only as coach of the team of the supporter it stands in for, and only a stand-in
    /// (never another grant). Null when the caller is not such a coach (answered as for a dossier it does not see).</summary>
    public static bool CoachMayStopStandIn(bool coachOfSupportersTeam, ConsentGrant standIn, ConsentGrant? source) =>
        coachOfSupportersTeam && IsStandIn(standIn) && source is not null && standIn.SourceConsentId == source.Id && standIn.PatientId == source.PatientId;

    /// <summary>Whether the supporter's grant can move to <paramref name="to"/>: a supporter's grant in force, to someone else.</summary>
    public static SupporterRefusal Transfer(ConsentGrant grant, string to, DateTimeOffset now)
    {
        if (!IsSupporterGrant(grant) || !grant.InForce(now)) return SupporterRefusal.NotASupporterGrant;
        if (grant.Actors.Any(a => a.Reference == to)) return SupporterRefusal.SameSupporter;
        return SupporterRefusal.None;
    }
}
