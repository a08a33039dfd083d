using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// The policy's compile step (grants → AccessScope) as the pure function it is: hand-made facts, a fixed clock, no
/// database. The same rules run against both providers through AccessWorld and the randomized model tests.
/// </summary>
public class CompileTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Client = "kim";

    private static CallerContext Person(string id, params string[] scopes) =>
        new($"sub-{id}", $"Person/{id}", scopes.Length == 0 ? ["user/*.cruds"] : scopes, IsSystem: false);

    private static ConsentGrant G(Consent c) => ConsentGrant.Of(c);

    private static GrantFacts Facts(IEnumerable<string> identities, IEnumerable<Consent> consents, DateOnly? born = null,
        IEnumerable<Consent>? sources = null, IEnumerable<Consent>? supporters = null, bool clientHasAccount = true) => new(
        identities.ToHashSet(StringComparer.Ordinal),
        consents.Select(G).ToList(),
        born is { } b ? new Dictionary<string, DateOnly> { [Client] = b } : new Dictionary<string, DateOnly>(),
        (sources ?? []).Select(G).ToDictionary(g => g.Id),
        (supporters ?? []).Select(G).ToList(),
        clientHasAccount ? new HashSet<string>(StringComparer.Ordinal) { Client } : new HashSet<string>(StringComparer.Ordinal));

    private static DateOnly Aged(int years) => DateOnly.FromDateTime(Now.UtcDateTime).AddYears(-years).AddDays(-1);

    [Fact]
    public void The_platform_itself_is_unrestricted_without_any_facts()
    {
        ConsentAccessPolicy.Compile(CallerContext.System("test"), GrantFacts.None, Now).IsUnrestricted.ShouldBeTrue();
    }

    [Fact]
    public void A_system_client_with_narrow_scopes_sees_every_patient_but_only_its_types()
    {
        var scope = ConsentAccessPolicy.Compile(new CallerContext("app", null, ["system/Goal.rs"], IsSystem: true), GrantFacts.None, Now);
        scope.IsUnrestricted.ShouldBeFalse();
        scope.AllPatients.ShouldBeTrue();
        scope.CanRead("Goal", "g1", Section.Doelen, [Client]).ShouldBeTrue();
        scope.CanRead("Task", "t1", Section.Afspraken, [Client]).ShouldBeFalse();
    }

    [Fact]
    public void A_person_without_a_patient_or_user_scope_gets_nothing_whatever_the_grants()
    {
        var facts = Facts(["Person/p", "RelatedPerson/mam"], [Grants.Regie("c1", Client, ["RelatedPerson/mam"])]);
        var scope = ConsentAccessPolicy.Compile(Person("p", "openid"), facts, Now);
        scope.Patients.ShouldBeEmpty();
        scope.Explanation.ShouldNotBeNull();
    }

    [Fact]
    public void A_smart_app_launched_for_one_client_gets_only_that_dossier_of_a_supporter_with_two()
    {
        var facts = Facts(["Person/s", "Practitioner/s"],
        [
            Grants.Grant("g1", Client, "Practitioner/s", GrantRole.Ondersteuner, [Section.Doelen], write: false),
            Grants.Grant("g2", "zus", "Practitioner/s", GrantRole.Ondersteuner, [Section.Doelen], write: false),
        ]);
        var app = new CallerContext("sub-s", "Person/s", ["openid", "launch/patient", "patient/*.rs"], IsSystem: false, LaunchPatient: "zus");
        var scope = ConsentAccessPolicy.Compile(app, facts, Now);
        scope.Patients.Keys.ShouldBe(["zus"]);
        scope.CanRead("Goal", "g", Section.Doelen, [Client]).ShouldBeFalse();
        scope.CanRead("Goal", "g", Section.Doelen, ["zus"]).ShouldBeTrue();
        // The launch narrows, never widens: a launch patient the person has no grant for gives nothing.
        ConsentAccessPolicy.Compile(app with { LaunchPatient = "vreemde" }, facts, Now).Patients.ShouldBeEmpty();
        // A user/ token (the Portal's) is the person's whole reach, launch context or not.
        ConsentAccessPolicy.Compile(Person("s") with { LaunchPatient = "zus" }, facts, Now).Patients.Keys.ShouldBe([Client, "zus"], ignoreOrder: true);
    }

    [Fact]
    public void A_research_consent_grants_nothing_whatever_actors_roles_and_actions_it_names()
    {
        var research = Grants.Regie("r1", Client, ["RelatedPerson/mam"]);
        research.Scope = new CodeableConcept(ConsentScopeSystem, Research);
        var byCategory = Grants.Grant("r2", Client, "Practitioner/x", GrantRole.Ondersteuner, null, write: true, manage: true);
        byCategory.Category = [new CodeableConcept(ConsentCategory.System, ConsentCategory.Onderzoek)];
        var plain = Grants.Research("r3", Client);
        G(research).IsResearch.ShouldBeTrue();
        G(byCategory).IsResearch.ShouldBeTrue();
        G(plain).IsResearch.ShouldBeTrue();
        G(Grants.Regie("c1", Client, ["RelatedPerson/mam"])).IsResearch.ShouldBeFalse();

        var facts = Facts(["Person/p", "RelatedPerson/mam", "Practitioner/x"], [research, byCategory, plain], Aged(10));
        var scope = ConsentAccessPolicy.Compile(Person("p"), facts, Now);
        scope.Patients.ShouldBeEmpty();
        scope.HasAnyAccessTo(Client).ShouldBeFalse();
        scope.IsRegiehouder(Client).ShouldBeFalse();
    }

    [Fact]
    public void A_regiehouder_of_a_minor_reads_writes_and_manages_every_section()
    {
        var facts = Facts(["Person/p", "RelatedPerson/mam"], [Grants.Regie("c1", Client, ["RelatedPerson/mam"])], Aged(10));
        var scope = ConsentAccessPolicy.Compile(Person("p"), facts, Now);
        scope.CanManage(Client).ShouldBeTrue();
        scope.Patients[Client].ReadSections.ShouldBe(Section.All, ignoreOrder: true);
        scope.CanWrite('u', "Goal", "g1", Section.Doelen, [Client]).ShouldBeTrue();
        scope.GrantsFor(Client, Section.Doelen).ShouldBe(["c1"]);
        scope.ActingAs[Client].ShouldBe(["RelatedPerson/mam"]);
    }

    [Fact]
    public void A_parents_regie_ends_at_eighteen_once_the_client_has_an_account_unless_they_are_mentor()
    {
        var parent = Facts(["Person/p", "RelatedPerson/mam"], [Grants.Regie("c1", Client, ["RelatedPerson/mam"])], Aged(18));
        ConsentAccessPolicy.Compile(Person("p"), parent, Now).Patients.ContainsKey(Client).ShouldBeFalse();

        var mentor = Facts(["Person/p", "RelatedPerson/mam"], [Grants.Regie("c1", Client, ["RelatedPerson/mam"], LegalRepresentation.Mentor)], Aged(18));
        ConsentAccessPolicy.Compile(Person("p"), mentor, Now).CanManage(Client).ShouldBeTrue();
    }

    [Fact]
    public void A_grant_counts_only_inside_its_period_and_the_scope_says_when_that_changes()
    {
        var until = Now.AddDays(3);
        var facts = Facts(["Person/s", "Practitioner/sam"],
            [Grants.Grant("c2", Client, "Practitioner/sam", GrantRole.Ondersteuner, [Section.Doelen], write: true, until: until)]);
        var scope = ConsentAccessPolicy.Compile(Person("s"), facts, Now);
        scope.CanRead("Goal", "g1", Section.Doelen, [Client]).ShouldBeTrue();
        scope.CanRead("Task", "t1", Section.Afspraken, [Client]).ShouldBeFalse();
        scope.CanManage(Client).ShouldBeFalse();
        scope.ChangesAt.ShouldBe(until);

        ConsentAccessPolicy.Compile(Person("s"), facts, until).Patients.ContainsKey(Client).ShouldBeFalse();
    }

    [Fact]
    public void A_hidden_item_is_denied_to_the_person_it_is_hidden_from_but_never_to_the_client()
    {
        var hide = Grants.Hide("h1", Client, "DocumentReference/d1", "RelatedPerson/mam");
        var parent = Facts(["Person/p", "RelatedPerson/mam"], [Grants.Regie("c1", Client, ["RelatedPerson/mam"]), hide], Aged(10));
        var scope = ConsentAccessPolicy.Compile(Person("p"), parent, Now);
        scope.CanRead("DocumentReference", "d1", Section.Documenten, [Client]).ShouldBeFalse();
        scope.CanRead("DocumentReference", "d2", Section.Documenten, [Client]).ShouldBeTrue();

        var client = Facts(["Person/k", $"Patient/{Client}"], [Grants.Hide("h2", Client, "DocumentReference/d1", $"Patient/{Client}")], Aged(16));
        ConsentAccessPolicy.Compile(Person("k"), client, Now).CanRead("DocumentReference", "d1", Section.Documenten, [Client]).ShouldBeTrue();
    }

    [Fact]
    public void A_client_of_twelve_reads_their_own_dossier_without_any_consent_and_holds_regie_from_sixteen()
    {
        var twelve = ConsentAccessPolicy.Compile(Person("k"), Facts(["Person/k", $"Patient/{Client}"], [], Aged(12)), Now);
        twelve.CanRead("Goal", "g1", Section.Doelen, [Client]).ShouldBeTrue();
        twelve.CanManage(Client).ShouldBeFalse();

        var sixteen = ConsentAccessPolicy.Compile(Person("k"), Facts(["Person/k", $"Patient/{Client}"], [], Aged(16)), Now);
        sixteen.CanManage(Client).ShouldBeTrue();
    }

    [Fact]
    public void A_stand_in_acts_with_the_supporters_grant_without_manage_and_inherits_what_is_hidden_from_the_supporter()
    {
        var source = Grants.Grant("c3", Client, "Practitioner/sam", GrantRole.Ondersteuner, [Section.Doelen, Section.Documenten], write: true, manage: true, allowStandIn: true);
        var standIn = Grants.StandIn("c4", Client, "c3", "Practitioner/ivo", Now.AddDays(-1), Now.AddDays(5));
        var hiddenFromSam = Grants.Hide("h3", Client, "DocumentReference/d1", "Practitioner/sam");
        var facts = Facts(["Person/i", "Practitioner/ivo"], [standIn], sources: [source], supporters: [source, hiddenFromSam]);
        var scope = ConsentAccessPolicy.Compile(Person("i"), facts, Now);
        scope.CanWrite('u', "Goal", "g1", Section.Doelen, [Client]).ShouldBeTrue();
        scope.CanManage(Client).ShouldBeFalse();
        scope.CanRead("DocumentReference", "d1", Section.Documenten, [Client]).ShouldBeFalse();
        scope.CanRead("DocumentReference", "d2", Section.Documenten, [Client]).ShouldBeTrue();
    }

    [Fact]
    public void A_stand_in_for_a_grant_that_does_not_allow_stand_ins_gets_nothing()
    {
        var source = Grants.Grant("c3", Client, "Practitioner/sam", GrantRole.Ondersteuner, [Section.Doelen]);
        var standIn = Grants.StandIn("c4", Client, "c3", "Practitioner/ivo", Now.AddDays(-1), Now.AddDays(5));
        var scope = ConsentAccessPolicy.Compile(Person("i"), Facts(["Person/i", "Practitioner/ivo"], [standIn], sources: [source]), Now);
        scope.Patients.ContainsKey(Client).ShouldBeFalse();
    }

    // ---------------------------------------------------------------- regie over the years (issue 18)

    private static readonly string[] Mam = ["Person/p", "RelatedPerson/mam"];
    private static readonly string[] Self = ["Person/k", $"Patient/{Client}"];

    [Fact]
    public void Without_an_account_of_the_client_the_parents_regie_continues_provisionally_after_eighteen()
    {
        var facts = Facts(Mam, [Grants.Regie("c1", Client, ["RelatedPerson/mam"])], Aged(18), clientHasAccount: false);
        ConsentAccessPolicy.Compile(Person("p"), facts, Now).CanManage(Client).ShouldBeTrue();
    }

    [Fact]
    public void A_legal_representation_keeps_regie_only_within_its_period()
    {
        Consent Mentor(DateTimeOffset? from, DateTimeOffset? until) =>
            RegieConsents.Represent("c1", Client, ["RelatedPerson/mam"], LegalRepresentation.Mentor, from, until, document: "d1");
        ConsentAccessPolicy.Compile(Person("p"), Facts(Mam, [Mentor(Now.AddDays(-10), Now.AddDays(10))], Aged(18)), Now).CanManage(Client).ShouldBeTrue();
        ConsentAccessPolicy.Compile(Person("p"), Facts(Mam, [Mentor(Now.AddDays(-10), Now.AddDays(-1))], Aged(18)), Now).HasAnyAccessTo(Client).ShouldBeFalse();
        ConsentAccessPolicy.Compile(Person("p"), Facts(Mam, [Mentor(Now.AddDays(1), null)], Aged(18)), Now).HasAnyAccessTo(Client).ShouldBeFalse();
        // The scope says when the representation ends.
        ConsentAccessPolicy.Compile(Person("p"), Facts(Mam, [Mentor(Now.AddDays(-10), Now.AddDays(10))], Aged(18)), Now).ChangesAt.ShouldBe(Now.AddDays(10));
        // WGBO and curatele keep regie as a mentorship does; bewind never gives regie.
        foreach (var basis in (string[])[LegalRepresentation.Curator, LegalRepresentation.Wgbo])
            ConsentAccessPolicy.Compile(Person("p"), Facts(Mam, [RegieConsents.Represent("c1", Client, ["RelatedPerson/mam"], basis, reason: "x")], Aged(30)), Now)
                .CanManage(Client).ShouldBeTrue(basis);
        ConsentAccessPolicy.Compile(Person("p"), Facts(Mam, [RegieConsents.Represent("c1", Client, ["RelatedPerson/mam"], LegalRepresentation.Bewind)], Aged(30)), Now)
            .HasAnyAccessTo(Client).ShouldBeFalse();
    }

    [Fact]
    public void The_scope_of_a_parent_changes_on_the_clients_eighteenth_birthday()
    {
        var born = DateOnly.FromDateTime(Now.UtcDateTime).AddYears(-18).AddDays(20);
        var scope = ConsentAccessPolicy.Compile(Person("p"), Facts(Mam, [Grants.Regie("c1", Client, ["RelatedPerson/mam"])], born), Now);
        scope.ChangesAt.ShouldBe(new DateTimeOffset(born.AddYears(18).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
    }

    [Theory]
    [InlineData(null, true, true)]
    [InlineData(Pgo.Shared.Codes.RegieCodes.ClientAccess.Write, true, true)]
    [InlineData(Pgo.Shared.Codes.RegieCodes.ClientAccess.Read, true, false)]
    [InlineData(Pgo.Shared.Codes.RegieCodes.ClientAccess.None, false, false)]
    public void A_represented_adult_client_keeps_what_the_representation_says_but_never_manage(string? keeps, bool read, bool write)
    {
        var mentor = RegieConsents.Represent("c1", Client, ["RelatedPerson/mam"], LegalRepresentation.Mentor, clientAccess: keeps, document: "d1");
        var own = Grants.Regie("c0", Client, [$"Patient/{Client}"]);
        var scope = ConsentAccessPolicy.Compile(Person("k"), Facts(Self, [mentor, own], Aged(20)), Now);
        scope.CanManage(Client).ShouldBeFalse();
        scope.IsRegiehouder(Client).ShouldBeFalse();
        scope.CanRead("Goal", "g1", Section.Doelen, [Client]).ShouldBe(read);
        scope.CanWrite('c', "Goal", "", Section.Doelen, [Client]).ShouldBe(write);
        scope.CanRead("Consent", "c1", Section.Toegang, [Client]).ShouldBeFalse();

        // Once the representation has ended, the adult client holds regie again.
        var ended = RegieConsents.Represent("c1", Client, ["RelatedPerson/mam"], LegalRepresentation.Mentor, until: Now.AddDays(-1), clientAccess: keeps, document: "d1");
        ConsentAccessPolicy.Compile(Person("k"), Facts(Self, [ended, own], Aged(20)), Now).CanManage(Client).ShouldBeTrue();
    }

    [Fact]
    public void A_legal_coding_on_a_minors_dossier_does_not_change_the_age_rules_for_the_client()
    {
        var mentor = RegieConsents.Represent("c1", Client, ["RelatedPerson/mam"], LegalRepresentation.Mentor, document: "d1");
        ConsentAccessPolicy.Compile(Person("k"), Facts(Self, [mentor], Aged(10)), Now).HasAnyAccessTo(Client).ShouldBeFalse();
        ConsentAccessPolicy.Compile(Person("k"), Facts(Self, [mentor], Aged(16)), Now).CanManage(Client).ShouldBeTrue();
    }

    [Fact]
    public void A_bewindvoerder_gets_the_finances_only_and_only_within_the_period()
    {
        var wide = RegieConsents.Bewind("b1", Client, "Practitioner/bw", sections: [Section.Financien, Section.Medisch], manage: true,
            from: Now.AddDays(-5), until: Now.AddDays(5), document: "d1");
        var facts = Facts(["Person/b", "Practitioner/bw"], [wide], Aged(30));
        var scope = ConsentAccessPolicy.Compile(Person("b"), facts, Now);
        scope.CanWrite('c', "DocumentReference", "", Section.Financien, [Client]).ShouldBeTrue();
        scope.CanRead("Condition", "c9", Section.Medisch, [Client]).ShouldBeFalse();
        scope.CanManage(Client).ShouldBeFalse();
        ConsentAccessPolicy.Compile(Person("b"), facts, Now.AddDays(6)).HasAnyAccessTo(Client).ShouldBeFalse();
        ConsentAccessPolicy.Compile(Person("b"), facts, Now.AddDays(-6)).HasAnyAccessTo(Client).ShouldBeFalse();
    }

    [Fact]
    public void A_named_successor_gets_nothing_and_neither_does_a_stand_in_for_one()
    {
        var opvolger = RegieConsents.Opvolger("o1", Client, "Practitioner/sam", [Section.Doelen], allowStandIn: true);
        ConsentAccessPolicy.Compile(Person("s"), Facts(["Person/s", "Practitioner/sam"], [opvolger], Aged(10)), Now).HasAnyAccessTo(Client).ShouldBeFalse();
        var standIn = Grants.StandIn("c4", Client, "o1", "Practitioner/ivo", Now.AddDays(-1), Now.AddDays(5));
        ConsentAccessPolicy.Compile(Person("i"), Facts(["Person/i", "Practitioner/ivo"], [standIn], Aged(10), sources: [opvolger]), Now)
            .HasAnyAccessTo(Client).ShouldBeFalse();
    }

    [Fact]
    public void A_stand_in_for_a_bewindvoerder_gets_the_finances_only()
    {
        var bewind = RegieConsents.Bewind("b1", Client, "Practitioner/bw", sections: [Section.Financien, Section.Medisch], until: Now.AddDays(3), document: "d1");
        bewind.SetExtension(PgoCodes.Extensions.AllowStandIn, new FhirBoolean(true));
        var standIn = Grants.StandIn("c4", Client, "b1", "Practitioner/ivo", Now.AddDays(-1), Now.AddDays(5));
        var facts = Facts(["Person/i", "Practitioner/ivo"], [standIn], Aged(30), sources: [bewind]);
        var scope = ConsentAccessPolicy.Compile(Person("i"), facts, Now);
        scope.CanRead("DocumentReference", "f1", Section.Financien, [Client]).ShouldBeTrue();
        scope.CanRead("Condition", "c9", Section.Medisch, [Client]).ShouldBeFalse();
        // ... while the court's period runs, and the scope says when that ends.
        scope.ChangesAt.ShouldBe(Now.AddDays(3));
        ConsentAccessPolicy.Compile(Person("i"), facts, Now.AddDays(4)).HasAnyAccessTo(Client).ShouldBeFalse();
    }

    [Fact]
    public void Of_two_representations_the_narrower_decides_what_the_client_keeps_in_either_order()
    {
        var reads = RegieConsents.Represent("c1", Client, ["RelatedPerson/mam"], LegalRepresentation.Mentor, clientAccess: Pgo.Shared.Codes.RegieCodes.ClientAccess.Read, document: "d1");
        var writes = RegieConsents.Represent("c2", Client, ["RelatedPerson/pap"], LegalRepresentation.Curator, document: "d1");
        foreach (var order in new[] { new[] { reads, writes }, [writes, reads] })
        {
            var scope = ConsentAccessPolicy.Compile(Person("k"), Facts(Self, order, Aged(25)), Now);
            scope.CanRead("Goal", "g1", Section.Doelen, [Client]).ShouldBeTrue();
            scope.CanWrite('c', "Goal", "", Section.Doelen, [Client]).ShouldBeFalse();
        }
    }
}
