using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Regie;

/// <summary>The pure succession rules (Fhir/Access/SuccessionRules.cs), without a store: who must confirm, who may, and
/// what the take-over writes.</summary>
public sealed class SuccessionRulesTests
{
    private const string Child = "sr-child";
    private const string Mother = "RelatedPerson/sr-mother";
    private const string Father = "RelatedPerson/sr-father";
    private const string Aunt = "RelatedPerson/sr-aunt";
    private const string Supporter = "Practitioner/sr-supporter";
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Consent Named(params SuccessionConfirmation[] confirmations)
    {
        var consent = SuccessionRules.NameSuccessor(Child, Aunt, Now.AddDays(-10));
        consent.Id = "sr-named";
        consent.Meta = new Meta { VersionId = "1" };
        consent.Performer = [new ResourceReference(Mother)];
        foreach (var c in confirmations) consent = SuccessionRules.WithConfirmation(consent, c);
        return consent;
    }

    private static Pgo.Fhir.Access.Succession Case(Consent consent) => Pgo.Fhir.Access.Succession.Of(consent)!;

    private static AccessScope Scope(string identity, params GrantRule[] rules) => new()
    {
        Identities = [identity],
        Patients = rules.Length == 0 ? new Dictionary<string, PatientAccess>() : new Dictionary<string, PatientAccess> { [Child] = new(Child, rules) },
    };

    private static CallerContext Caller(params string[] roles) => new("sub", "Person/x", [], IsSystem: false, Roles: roles);

    [Fact]
    public void A_named_successor_grants_nothing_and_is_named_for_the_regiehouder_who_named_them()
    {
        var consent = Named();
        var grant = ConsentGrant.Of(consent);
        grant.Actions.ShouldBeEmpty();
        grant.Actors.Single().Roles.ShouldContain(GrantRole.Opvolger);
        var s = Case(consent);
        s.State.ShouldBe(SuccessionState.Genoemd);
        s.ForRegiehouder.ShouldBe(Mother);
        s.Successor.ShouldBe(Aunt);
    }

    [Fact]
    public void Only_a_person_of_the_network_other_than_oneself_may_be_named()
    {
        SuccessionRules.MayBeNamed(Aunt, [Mother]).ShouldBeTrue();
        SuccessionRules.MayBeNamed(Mother, [Mother]).ShouldBeFalse();
        SuccessionRules.MayBeNamed(Supporter, [Mother]).ShouldBeFalse();
        SuccessionRules.MayBeNamed($"Patient/{Child}", [Mother]).ShouldBeFalse();
        SuccessionRules.MayBeNamed("RelatedPerson/", [Mother]).ShouldBeFalse();
    }

    [Fact]
    public void Every_other_regiehouder_a_supporter_and_a_document_are_needed()
    {
        var asked = SuccessionRules.WithRequest(Named(), new SuccessionRequest(SuccessionRules.Reasons.Overleden, null, Aunt, Now));
        var s = Case(asked);
        s.State.ShouldBe(SuccessionState.Aangevraagd);
        string[] regiehouders = [Mother, Father];
        SuccessionRules.StillNeeded(s, regiehouders, [Supporter]).Select(n => n.Kind)
            .ShouldBe([SuccessionRules.ConfirmRoles.Regiehouder, SuccessionRules.ConfirmRoles.Ondersteuner, SuccessionRules.NeedDocument]);

        var confirmed = SuccessionRules.WithConfirmation(SuccessionRules.WithConfirmation(asked,
            new SuccessionConfirmation(Father, SuccessionRules.ConfirmRoles.Regiehouder, Now)), new SuccessionConfirmation(Supporter, SuccessionRules.ConfirmRoles.Ondersteuner, Now));
        SuccessionRules.StillNeeded(Case(confirmed), regiehouders, [Supporter]).Select(n => n.Kind).ShouldBe([SuccessionRules.NeedDocument]);

        // The document named: the confirmations start over, then everything is there.
        var withDocument = SuccessionRules.WithRequest(confirmed, new SuccessionRequest(SuccessionRules.Reasons.Overleden, "DocumentReference/akte", Father, Now));
        Case(withDocument).Confirmations.ShouldBeEmpty();
        var complete = SuccessionRules.WithConfirmation(SuccessionRules.WithConfirmation(withDocument,
            new SuccessionConfirmation(Father, SuccessionRules.ConfirmRoles.Regiehouder, Now)), new SuccessionConfirmation(Supporter, SuccessionRules.ConfirmRoles.Ondersteuner, Now));
        SuccessionRules.StillNeeded(Case(complete), regiehouders, [Supporter]).ShouldBeEmpty();
        // Without a supporter in force, an administrator confirms instead.
        SuccessionRules.StillNeeded(Case(complete), regiehouders, []).Select(n => n.Kind).ShouldBe([SuccessionRules.ConfirmRoles.Beheerder]);
    }

    [Fact]
    public void The_successor_never_confirms_the_leaving_regiehouder_is_not_asked_and_an_administrator_only_without_a_supporter()
    {
        var s = Case(SuccessionRules.WithRequest(Named(), new SuccessionRequest(SuccessionRules.Reasons.KanNietMeer, "DocumentReference/akte", Mother, Now)));
        string[] regiehouders = [Mother, Father];
        var supporterRule = new GrantRule(["g"], GrantRole.Ondersteuner, new HashSet<string>([Section.Doelen]), true, true, false);
        var regieRule = new GrantRule(["r"], GrantRole.Regiehouder, new HashSet<string>(Section.All), true, true, true);

        SuccessionRules.Confirmer(Scope(Father, regieRule), Caller(), s, regiehouders, [Supporter]).ShouldBe(((string, string)?)(SuccessionRules.ConfirmRoles.Regiehouder, Father));
        SuccessionRules.Confirmer(Scope(Mother, regieRule), Caller(), s, regiehouders, [Supporter]).HasValue.ShouldBeFalse();
        SuccessionRules.Confirmer(Scope(Supporter, supporterRule), Caller(), s, regiehouders, [Supporter]).ShouldBe(((string, string)?)(SuccessionRules.ConfirmRoles.Ondersteuner, Supporter));
        // A supporter who is also the successor: no confirmation counts.
        var both = new AccessScope { Identities = [Supporter, Aunt], Patients = new Dictionary<string, PatientAccess> { [Child] = new(Child, [supporterRule]) } };
        SuccessionRules.Confirmer(both, Caller(), s, regiehouders, [Supporter]).HasValue.ShouldBeFalse();
        SuccessionRules.Confirmer(Scope(Aunt), Caller(), s, regiehouders, [Supporter]).HasValue.ShouldBeFalse();
        SuccessionRules.MayRequest(Scope(Aunt), s, regiehouders).ShouldBeTrue();
        // An administrator only for a family without a supporter in force.
        SuccessionRules.Confirmer(Scope("Person/admin"), Caller("admin"), s, regiehouders, [Supporter]).HasValue.ShouldBeFalse();
        SuccessionRules.Confirmer(Scope("Person/admin"), Caller("admin"), s, regiehouders, []).ShouldBe(((string, string)?)(SuccessionRules.ConfirmRoles.Beheerder, "Person/x"));
    }

    [Fact]
    public void After_18_without_a_legal_basis_the_parents_hold_regie_only_while_the_client_has_no_account()
    {
        var regie = ConsentGrant.Of(Grants.Regie("r", Child, [Mother, Father]));
        SuccessionRules.RegiehoudersInForce(Child, [regie], AgeStage.Adult, clientHasAccount: false, Now).ShouldBe([Mother, Father]);
        SuccessionRules.RegiehoudersInForce(Child, [regie], AgeStage.Adult, clientHasAccount: true, Now).ShouldBe([$"Patient/{Child}"]);
        var mentor = ConsentGrant.Of(Grants.Regie("m", Child, [Mother], LegalRepresentation.Mentor));
        SuccessionRules.RegiehoudersInForce(Child, [mentor], AgeStage.Adult, clientHasAccount: true, Now).ShouldBe([Mother]);
    }

    [Fact]
    public void The_take_over_gives_the_successor_regie_and_ends_only_the_leaving_regiehouders()
    {
        var shared = Grants.Regie("shared", Child, [Mother, Father]);
        shared.Meta = new Meta { VersionId = "1" };
        var alone = Grants.Regie("alone", Child, [Mother]);
        var other = Grants.Grant("support", Child, Supporter, GrantRole.Ondersteuner, [Section.Doelen]);
        var named = Named();
        var (newRegie, ended, closed) = SuccessionRules.Completion(named, Case(named), [shared, alone, other], "new", Now);

        ConsentGrant.Of(newRegie).Actors.Single().Reference.ShouldBe(Aunt);
        ConsentGrant.Of(newRegie).Actors.Single().Roles.ShouldContain(GrantRole.Regiehouder);
        ended.Select(c => c.Id).ShouldBe(["shared", "alone"]);
        ended[0].Status.ShouldBe(Consent.ConsentState.Active);
        ConsentGrant.Of(ended[0]).Actors.Select(a => a.Reference).ShouldBe([Father]);
        ended[1].Status.ShouldBe(Consent.ConsentState.Inactive);
        ConsentGrant.Of(ended[1]).InForce(Now.AddSeconds(1)).ShouldBeFalse();
        closed.Status.ShouldBe(Consent.ConsentState.Inactive);
        // The inputs are not changed: the caller writes the copies against the versions it read.
        ConsentGrant.Of(shared).Actors.Count.ShouldBe(2);
    }
}
