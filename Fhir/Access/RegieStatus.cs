using Pgo.Shared.Codes;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Access;

/// <summary>
/// Who holds regie over one dossier now and what was decided for after the 18th birthday (issue 18, ADR 3 "Regie over
/// the years"), computed from the dossier's grants, the client's birth date, whether the client has an account, and the
/// moment: a pure function, the same rules as <see cref="ConsentAccessPolicy"/> and <see cref="AgeRules"/>, never a
/// second set. The Api shows it (GET /api/dossiers/{id}/regie) and the schedule tells by it; neither reads roles itself.
/// </summary>
/// <param name="Stage">The contract's word for the age stage (<see cref="Stages"/>).</param>
/// <param name="State">ouders, client, vertegenwoordiger or voorlopig (<see cref="States"/>).</param>
/// <param name="Regiehouders">The records holding regie now (a representative, the client), in grant order.</param>
/// <param name="Choice">The grant recording the choice for after 18 (extension regie-na-18), the latest active one.</param>
/// <param name="Representations">Every grant recording a legal basis (mentor, curator, bewind, WGBO), ended ones too.</param>
public sealed record RegieStatus(
    AgeStage AgeStage,
    string Stage,
    int? Age,
    string State,
    IReadOnlyList<string> Regiehouders,
    ConsentGrant? Choice,
    IReadOnlyList<ConsentGrant> Representations,
    bool TransitionOpen,
    bool ChoiceNeeded)
{
    public static class States
    {
        /// <summary>Before 18: a representative (parent) holds regie.</summary>
        public const string Ouders = "ouders";
        /// <summary>The client holds regie (an adult, or a dossier of the client's own).</summary>
        public const string Client = "client";
        /// <summary>After 18: a mentor, curator or WGBO representative in force.</summary>
        public const string Vertegenwoordiger = "vertegenwoordiger";
        /// <summary>After 18 without a legal basis, while the client has no account: the parents' regie continues.</summary>
        public const string Voorlopig = "voorlopig";
    }

    public static class Stages
    {
        public const string Kind = "kind";
        public const string YoungTeen = "12-16";
        public const string Adolescent = "16-18";
        public const string Adult = "volwassen";
        public const string Unknown = "onbekend";

        public static string Of(AgeStage stage) => stage switch
        {
            AgeStage.Child => Kind,
            AgeStage.YoungTeen => YoungTeen,
            AgeStage.Adolescent => Adolescent,
            AgeStage.Adult => Adult,
            _ => Unknown,
        };
    }

    /// <summary>How the caller relates to the dossier, for the wording of explanations (client or parent).</summary>
    public static class Viewers
    {
        public const string Regiehouder = "regiehouder";
        public const string Client = "client";
        public const string Ondersteuner = "ondersteuner";
        public const string Other = "anders";
    }

    /// <summary>The status of the dossier of <paramref name="patientId"/> at <paramref name="now"/>; days are the UTC days
    /// the policy uses for the age rules.</summary>
    /// <param name="grants">The dossier's Consents as grants, oldest recorded first (the last choice counts).</param>
    public static RegieStatus Of(string patientId, IReadOnlyList<ConsentGrant> grants, DateOnly? birth, bool clientHasAccount, DateTimeOffset now,
        int transitionStartAge = AgeRules.DefaultTransitionStartAge)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var stage = AgeRules.StageOf(birth, today);
        var client = $"Patient/{patientId}";
        var live = grants.Where(g => !g.IsDeny && g.PatientId == patientId).ToList();

        var byLaw = new List<string>();
        var plain = new List<string>();
        var clientRegie = false;
        foreach (var g in live.Where(g => g.InForce(now)))
        {
            foreach (var a in g.Actors.Where(a => a.Roles.Contains(GrantRole.Regiehouder)))
            {
                if (a.Reference == client) clientRegie = true;
                else if (g.KeepsRegieByLaw(a, now)) Add(byLaw, a.Reference);
                else Add(plain, a.Reference);
            }
        }
        plain.RemoveAll(byLaw.Contains);

        var represented = byLaw.Count > 0;
        var plainKeeps = AgeRules.RepresentativeKeepsRegie(stage, false, clientHasAccount);
        var holders = new List<string>(byLaw);
        if (plainKeeps) foreach (var p in plain) Add(holders, p);
        // The client's own regie yields to a legal representative in force (as the policy compiles it).
        if (!represented && (AgeRules.OwnAccess(stage).Manage || clientRegie)) Add(holders, client);

        string state;
        if (stage == AgeStage.Adult)
            state = represented ? States.Vertegenwoordiger
                : plain.Count > 0 && AgeRules.ProvisionalRegie(stage, false, clientHasAccount) ? States.Voorlopig
                : States.Client;
        else
            state = byLaw.Count + plain.Count > 0 ? States.Ouders : States.Client;

        var choice = live.LastOrDefault(g => g.Active && g.After18 is not null);
        var representations = live.Where(g => g.Actors.Any(a => a.HasLegalBasis)).ToList();
        var open = birth is { } b && AgeRules.TransitionOpen(b, today, transitionStartAge);
        // A legal representation that keeps regie (recorded, not ended) answers the question too.
        var decided = choice is not null || representations.Any(r => r.Active && r.Actors.Any(a => a.LegalRepresentative));
        var needed = state == States.Voorlopig || (open && !decided);
        return new RegieStatus(stage, Stages.Of(stage), birth is { } bd ? AgeRules.AgeOn(bd, today) : null, state, holders, choice, representations, open, needed);

        static void Add(List<string> list, string value)
        {
            if (!list.Contains(value, StringComparer.Ordinal)) list.Add(value);
        }
    }

    /// <summary>Whether a representative (not the client) is named regiehouder in a grant in force without a legal basis:
    /// only such a dossier can become "voorlopig" after 18 (the schedule reads the birth date and account of these only).</summary>
    public static bool MayBecomeProvisional(string patientId, IEnumerable<ConsentGrant> grants, DateTimeOffset now) =>
        grants.Any(g => !g.IsDeny && g.PatientId == patientId && g.InForce(now)
                        && g.Actors.Any(a => a.Reference != $"Patient/{patientId}" && a.Roles.Contains(GrantRole.Regiehouder) && !g.KeepsRegieByLaw(a, now)));

    /// <summary>How the caller relates to the dossier: the client themselves, a regiehouder, a supporter (or stand-in).</summary>
    public static string ViewerOf(AccessScope scope, string patientId) =>
        scope.Identities.Contains($"Patient/{patientId}", StringComparer.Ordinal) ? Viewers.Client
        : scope.IsRegiehouder(patientId) ? Viewers.Regiehouder
        : DossierOperations.IsSupporter(scope, patientId) ? Viewers.Ondersteuner
        : Viewers.Other;

    /// <summary>
    /// Whether this person is told of an age step (<see cref="RegieCodes.Milestones"/>) as it happens: at 12 and 16 (the
    /// client's own access and say) the client, if they see their dossier, and whoever holds regie; the transition steps
    /// (15, 17, three months before 18, 18) and the monthly "voorlopig" reminder go to whoever holds regie and the
    /// supporters with a grant in force (<see cref="NotificationDecisions.HearsMilestones"/>).
    /// </summary>
    public static bool HearsAgeStep(AccessScope scope, string patientId, string milestone) =>
        milestone is RegieCodes.Milestones.Twelve or RegieCodes.Milestones.Sixteen
            ? scope.IsRegiehouder(patientId)
              || (scope.Identities.Contains($"Patient/{patientId}", StringComparer.Ordinal) && scope.HasAnyAccessTo(patientId))
            : NotificationDecisions.HearsMilestones(scope, patientId);
}
