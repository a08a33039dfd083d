using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Access.PgoCodes;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// Regie over the years (issue 18; docs/adr/0003, "Regie over the years") at the FHIR level, through the repository on
/// SQLite and PostgreSQL with a clock the test moves: the age steps 12, 16 and 18, a representative's regie after 18
/// (by law within its period, or provisionally while the client has no account), what a represented client keeps, the
/// adult client ending a parent's regie, WGBO, bewind, successors, stand-ins in the supporter's team and a change of
/// supporter.
/// </summary>
public class RegieRulesTests
{
    private const string Leo = "rr-leo";
    private static readonly DateOnly Born = new(2015, 3, 10);

    private sealed class World(TestDb db, PolicyRig rig, TestClock clock) : IAsyncDisposable
    {
        public PolicyRig Rig { get; } = rig;
        public TestClock Clock { get; } = clock;

        /// <summary>Moves the clock to noon (UTC) of the client's birthday at <paramref name="age"/>, plus some days.</summary>
        public void Age(int age, int days = 0) => Clock.Now = new DateTimeOffset(Born.AddYears(age).AddDays(days).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

        /// <summary>The client gets an account: the platform links a Person to the Patient (an accepted invitation).</summary>
        public Task AccountAsync() => Rig.PutAsync(Link("rr-self", $"Patient/{Leo}"));

        public async Task<HttpStatusCode> ReadAsync(string person, string type, string id)
        {
            try { return (await Rig.Repository.ReadAsync(PolicyRig.As(person), type, id)).Status; }
            catch (FhirException e) { return e.Status; }
        }

        public Task<AccessScope> ScopeAsync(string person) => Rig.Policy.CompileAsync(PolicyRig.As(person).Caller, default).AsTask();

        public async Task<HttpStatusCode> CreateAsync(string person, Resource r)
        {
            try { return (await Rig.Repository.CreateAsync(PolicyRig.As(person), r.TypeName, r, null)).Status; }
            catch (FhirException e) { return e.Status; }
        }

        public async Task<FhirException> RefusedAsync(string person, Resource r) =>
            await Should.ThrowAsync<FhirException>(() => Rig.Repository.CreateAsync(PolicyRig.As(person), r.TypeName, r, null));

        public async Task<HttpStatusCode> EndAsync(string person, string consentId)
        {
            var consent = FhirJson.Parse<Consent>((await Rig.Repository.ReadAsync(PolicyRig.System, "Consent", consentId)).Stored!.Json);
            consent.Meta = null;
            consent.Status = Consent.ConsentState.Inactive;
            try { return (await Rig.Repository.UpdateAsync(PolicyRig.As(person), "Consent", consentId, consent, null)).Status; }
            catch (FhirException e) { return e.Status; }
        }

        public async ValueTask DisposeAsync()
        {
            await Rig.DisposeAsync();
            await db.DisposeAsync();
        }
    }

    private static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };

    private static Consent Named(Consent c, string id) { c.Id = id; return c; }

    /// <summary>
    /// Leo (born 10 March 2015; 11 at the start), without an account of his own: Karin and Ruben regiehouder by their own
    /// Consents, Cheryl in his network, Hans his supporter (doelen and logboek, stand-ins allowed) in team rr-team with
    /// Ivo, Eva in another team, Bea a professional bewindvoerder; a goal, the court's decision, a financial document
    /// and a diagnosis.
    /// </summary>
    private static async Task<World> WorldAsync(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var clock = new TestClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var rig = new PolicyRig(db, clock);
        var patient = new ResourceReference($"Patient/{Leo}");
        DocumentReference Document(string id, string? section, string title) => new()
        {
            Id = id, Status = DocumentReferenceStatus.Current, Subject = patient,
            Category = section is null ? [] : [new CodeableConcept(Section.System, section)],
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = title } }],
        };
        Resource[] world =
        [
            new Patient { Id = Leo, BirthDate = "2015-03-10" },
            new RelatedPerson { Id = "rr-karin", Patient = patient }, new RelatedPerson { Id = "rr-ruben", Patient = patient },
            new RelatedPerson { Id = "rr-cheryl", Patient = patient },
            new Practitioner { Id = "rr-hans" }, new Practitioner { Id = "rr-ivo" }, new Practitioner { Id = "rr-eva" }, new Practitioner { Id = "rr-bea" },
            new Organization { Id = "rr-team" }, new Organization { Id = "rr-other" },
            new PractitionerRole { Id = "rr-role-hans", Practitioner = new ResourceReference("Practitioner/rr-hans"), Organization = new ResourceReference("Organization/rr-team") },
            new PractitionerRole { Id = "rr-role-ivo", Practitioner = new ResourceReference("Practitioner/rr-ivo"), Organization = new ResourceReference("Organization/rr-team") },
            new PractitionerRole { Id = "rr-role-eva", Practitioner = new ResourceReference("Practitioner/rr-eva"), Organization = new ResourceReference("Organization/rr-other") },
            Link("rr-karin", "RelatedPerson/rr-karin"), Link("rr-ruben", "RelatedPerson/rr-ruben"), Link("rr-cheryl", "RelatedPerson/rr-cheryl"),
            Link("rr-hans", "Practitioner/rr-hans"), Link("rr-ivo", "Practitioner/rr-ivo"), Link("rr-eva", "Practitioner/rr-eva"), Link("rr-bea", "Practitioner/rr-bea"),
            Named(Grants.Regie(null, Leo, ["RelatedPerson/rr-karin"]), "rr-regie-karin"),
            Named(Grants.Regie(null, Leo, ["RelatedPerson/rr-ruben"]), "rr-regie-ruben"),
            Named(Grants.Grant(null, Leo, "Practitioner/rr-hans", GrantRole.Ondersteuner, [Section.Doelen, Section.Logboek], write: true, allowStandIn: true), "rr-grant-hans"),
            new Goal { Id = "rr-goal", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = patient, Description = new CodeableConcept { Text = "Zelfstandig wonen" } },
            Document("rr-court", null, "Beschikking kantonrechter"),
            Document("rr-fin", Section.Financien, "Budgetplan"),
            new Condition { Id = "rr-cond", Subject = patient, Code = new CodeableConcept { Text = "x" } },
        ];
        foreach (var r in world) await rig.PutAsync(r);
        return new World(db, rig, clock);
    }

    private static Goal NewGoal() => new() { LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = new ResourceReference($"Patient/{Leo}"), Description = new CodeableConcept { Text = "doel" } };

    // ---------------------------------------------------------------- the age steps

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task The_client_reads_from_twelve_holds_regie_from_sixteen_and_the_parents_lose_theirs_at_eighteen(string provider)
    {
        await using var w = await WorldAsync(provider);
        await w.AccountAsync();

        w.Age(12, days: -1);
        (await w.ReadAsync("rr-self", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);
        (await w.ScopeAsync("rr-self")).ChangesAt.ShouldBe(new DateTimeOffset(Born.AddYears(12).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

        w.Age(12);
        (await w.ReadAsync("rr-self", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.OK);
        (await w.CreateAsync("rr-self", NewGoal())).ShouldBe(HttpStatusCode.Created);
        (await w.ReadAsync("rr-self", "Consent", "rr-regie-karin")).ShouldBe(HttpStatusCode.NotFound);
        (await w.ScopeAsync("rr-self")).CanManage(Leo).ShouldBeFalse();

        w.Age(16, days: -1);
        (await w.ScopeAsync("rr-self")).IsRegiehouder(Leo).ShouldBeFalse();
        w.Age(16);
        (await w.ScopeAsync("rr-self")).IsRegiehouder(Leo).ShouldBeTrue();
        (await w.ReadAsync("rr-self", "Consent", "rr-regie-karin")).ShouldBe(HttpStatusCode.OK);
        (await w.ScopeAsync("rr-karin")).IsRegiehouder(Leo).ShouldBeTrue();

        w.Age(18, days: -1);
        (await w.ScopeAsync("rr-karin")).IsRegiehouder(Leo).ShouldBeTrue();
        w.Age(18);
        (await w.ReadAsync("rr-karin", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);
        (await w.ScopeAsync("rr-ruben")).HasAnyAccessTo(Leo).ShouldBeFalse();
        (await w.ScopeAsync("rr-self")).IsRegiehouder(Leo).ShouldBeTrue();
        // The supporter's grant does not depend on the age: it holds until the client ends it.
        (await w.ReadAsync("rr-hans", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Without_an_account_the_parents_keep_regie_provisionally_until_the_client_gets_one(string provider)
    {
        await using var w = await WorldAsync(provider);
        w.Age(18, days: 40);
        // Never an orphaned dossier: nobody could manage access otherwise.
        (await w.ScopeAsync("rr-karin")).IsRegiehouder(Leo).ShouldBeTrue();
        (await w.CreateAsync("rr-karin", NewGoal())).ShouldBe(HttpStatusCode.Created);
        (await w.CreateAsync("rr-karin", Grants.Grant(null, Leo, "Practitioner/rr-eva", GrantRole.Zorgverlener, [Section.Agenda]))).ShouldBe(HttpStatusCode.Created);

        // The client's account (the platform links his Person) ends it on the very next request.
        await w.AccountAsync();
        (await w.ReadAsync("rr-karin", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);
        (await w.ScopeAsync("rr-ruben")).HasAnyAccessTo(Leo).ShouldBeFalse();
        (await w.ScopeAsync("rr-self")).IsRegiehouder(Leo).ShouldBeTrue();
    }

    // ---------------------------------------------------------------- legal representation

    private static Consent Mentor(DateTimeOffset? from, DateTimeOffset? until, string? document = "rr-court", string? keeps = null) =>
        RegieConsents.WithChoice(RegieConsents.Represent(null, Leo, ["RelatedPerson/rr-karin"], LegalRepresentation.Mentor, from, until, clientAccess: keeps, document: document),
            RegieCodes.After18.Vertegenwoordiger);

    private static DateTimeOffset Birthday(int age) => new(Born.AddYears(age).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_mentor_with_the_court_document_keeps_regie_within_the_period_and_the_client_keeps_read_and_write(string provider)
    {
        await using var w = await WorldAsync(provider);
        await w.AccountAsync();
        w.Age(17, days: 200);
        var missing = await w.RefusedAsync("rr-karin", Mentor(Birthday(18), Birthday(23), document: null));
        missing.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await w.CreateAsync("rr-ruben", Mentor(Birthday(18), Birthday(23), document: "rr-missing"))).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await w.CreateAsync("rr-hans", Mentor(Birthday(18), Birthday(23)))).ShouldBe(HttpStatusCode.Forbidden);
        (await w.CreateAsync("rr-karin", Mentor(Birthday(18), Birthday(23)))).ShouldBe(HttpStatusCode.Created);

        w.Age(18, days: 10);
        var karin = await w.ScopeAsync("rr-karin");
        karin.IsRegiehouder(Leo).ShouldBeTrue();
        (await w.ScopeAsync("rr-ruben")).HasAnyAccessTo(Leo).ShouldBeFalse();
        // Leo keeps read and write of his own dossier, without managing access.
        var leo = await w.ScopeAsync("rr-self");
        leo.IsRegiehouder(Leo).ShouldBeFalse();
        leo.CanManage(Leo).ShouldBeFalse();
        (await w.ReadAsync("rr-self", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.OK);
        (await w.CreateAsync("rr-self", NewGoal())).ShouldBe(HttpStatusCode.Created);
        (await w.CreateAsync("rr-self", Grants.Grant(null, Leo, "Practitioner/rr-eva", GrantRole.Zorgverlener, [Section.Agenda]))).ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        // ... and cannot end the mentor's regie: the court decided it.
        (await w.EndAsync("rr-self", (await MentorIdAsync(w))!)).ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);

        // After the period the mentorship no longer holds: the adult client holds regie and ends Karin's Consent.
        w.Age(23, days: 1);
        (await w.ScopeAsync("rr-karin")).HasAnyAccessTo(Leo).ShouldBeFalse();
        (await w.ScopeAsync("rr-self")).IsRegiehouder(Leo).ShouldBeTrue();
        (await w.EndAsync("rr-self", (await MentorIdAsync(w))!)).ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<string?> MentorIdAsync(World w)
    {
        var bundle = FhirJson.Parse<Bundle>((await w.Rig.Repository.SearchAsync(PolicyRig.System, "Consent", [new("_count", "100")])).Json!);
        return bundle.Entry.Select(e => (Consent)e.Resource).FirstOrDefault(c => ConsentGrant.Of(c).Actors.Any(a => a.LegalBasis == LegalRepresentation.Mentor))?.Id;
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_representation_outside_its_period_keeps_nothing_but_the_provisional_rule(string provider)
    {
        await using var w = await WorldAsync(provider);
        await w.AccountAsync();
        w.Age(17);
        // Recorded for a period starting a month after the 18th birthday: in the gap the client holds regie alone.
        (await w.CreateAsync("rr-karin", Mentor(Birthday(18).AddDays(30), null))).ShouldBe(HttpStatusCode.Created);
        w.Age(18, days: 5);
        (await w.ScopeAsync("rr-karin")).HasAnyAccessTo(Leo).ShouldBeFalse();
        (await w.ScopeAsync("rr-self")).IsRegiehouder(Leo).ShouldBeTrue();
        w.Age(18, days: 31);
        (await w.ScopeAsync("rr-karin")).IsRegiehouder(Leo).ShouldBeTrue();
        (await w.ScopeAsync("rr-self")).IsRegiehouder(Leo).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(KeepsCases))]
    public async Task A_represented_client_keeps_what_the_representation_says(string provider, string keeps, HttpStatusCode read, HttpStatusCode create)
    {
        await using var w = await WorldAsync(provider);
        await w.AccountAsync();
        w.Age(17);
        (await w.CreateAsync("rr-karin", Mentor(Birthday(18), null, keeps: keeps))).ShouldBe(HttpStatusCode.Created);
        w.Age(19);
        (await w.ReadAsync("rr-self", "Goal", "rr-goal")).ShouldBe(read);
        (await w.CreateAsync("rr-self", NewGoal())).ShouldBe(create);
        (await w.ScopeAsync("rr-self")).CanManage(Leo).ShouldBeFalse();
    }

    public static TheoryData<string, string, HttpStatusCode, HttpStatusCode> KeepsCases()
    {
        var data = new TheoryData<string, string, HttpStatusCode, HttpStatusCode>();
        foreach (var provider in TestDatabases.Providers)
        {
            data.Add(provider, RegieCodes.ClientAccess.Write, HttpStatusCode.OK, HttpStatusCode.Created);
            data.Add(provider, RegieCodes.ClientAccess.Read, HttpStatusCode.OK, HttpStatusCode.Forbidden);
            data.Add(provider, RegieCodes.ClientAccess.None, HttpStatusCode.NotFound, HttpStatusCode.NotFound);
        }
        return data;
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task The_adult_client_ends_a_parents_regie_without_legal_basis_but_a_parent_does_not_end_the_others(string provider)
    {
        await using var w = await WorldAsync(provider);
        w.Age(18, days: 3);
        // Without Leo's account Karin and Ruben hold regie provisionally: neither ends the other's (W7).
        (await w.EndAsync("rr-karin", "rr-regie-ruben")).ShouldBe(HttpStatusCode.Forbidden);
        await w.AccountAsync();
        (await w.EndAsync("rr-self", "rr-regie-ruben")).ShouldBe(HttpStatusCode.OK);
        (await w.EndAsync("rr-self", "rr-regie-karin")).ShouldBe(HttpStatusCode.OK);
        // Before 18 the client (a regiehouder from 16) does not end a parent's regie alone.
        await using var young = await WorldAsync(provider);
        await young.AccountAsync();
        young.Age(17);
        (await young.EndAsync("rr-self", "rr-regie-karin")).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_wgbo_representative_needs_the_reason_and_then_keeps_regie(string provider)
    {
        await using var w = await WorldAsync(provider);
        await w.AccountAsync();
        w.Age(17, days: 300);
        Consent Wgbo(string? reason) => RegieConsents.WithChoice(
            RegieConsents.Represent(null, Leo, ["RelatedPerson/rr-karin"], LegalRepresentation.Wgbo, reason: reason), RegieCodes.After18.Wgbo);
        var refused = await w.RefusedAsync("rr-karin", Wgbo(null));
        refused.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        refused.Message.ShouldBe(FhirText.WgboReasonMissing);
        (await w.CreateAsync("rr-karin", Wgbo("  "))).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await w.CreateAsync("rr-karin", Wgbo("Leo kan door zijn verstandelijke beperking niet zelf beslissen over zorg."))).ShouldBe(HttpStatusCode.Created);
        w.Age(18, days: 1);
        (await w.ScopeAsync("rr-karin")).IsRegiehouder(Leo).ShouldBeTrue();
        (await w.ScopeAsync("rr-self")).CanManage(Leo).ShouldBeFalse();
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Turning_a_wgbo_representation_into_a_mentorship_needs_the_court_document(string provider)
    {
        await using var w = await WorldAsync(provider);
        w.Age(17, days: 300);
        var wgbo = RegieConsents.Represent(null, Leo, ["RelatedPerson/rr-karin"], LegalRepresentation.Wgbo, reason: "Leo kan niet zelf beslissen.");
        var created = await w.Rig.Repository.CreateAsync(PolicyRig.As("rr-karin"), "Consent", wgbo, null);
        var stored = FhirJson.Parse<Consent>(created.Stored!.Json);
        stored.Meta = null;
        stored.Provision.Actor[0].Role.Coding.RemoveAll(c => c.System == LegalRepresentation.System);
        stored.Provision.Actor[0].Role.Coding.Add(new Coding(LegalRepresentation.System, LegalRepresentation.Mentor));
        var refused = await Should.ThrowAsync<FhirException>(() => w.Rig.Repository.UpdateAsync(PolicyRig.As("rr-karin"), "Consent", stored.Id, stored, null));
        refused.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        stored.Source = new ResourceReference("DocumentReference/rr-court");
        (await w.Rig.Repository.UpdateAsync(PolicyRig.As("rr-karin"), "Consent", stored.Id, stored, null)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_bewindvoerder_gets_the_finances_only_within_the_period(string provider)
    {
        await using var w = await WorldAsync(provider);
        w.Age(18, days: 10);
        var (from, until) = (w.Clock.Now.AddDays(-1), w.Clock.Now.AddDays(365));
        var wide = await w.RefusedAsync("rr-karin", RegieConsents.Bewind(null, Leo, "Practitioner/rr-bea", sections: [Section.Financien, Section.Medisch], from: from, until: until, document: "rr-court"));
        wide.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        wide.Message.ShouldBe(FhirText.BewindFinancesOnly);
        (await w.CreateAsync("rr-karin", RegieConsents.Bewind(null, Leo, "Practitioner/rr-bea", manage: true, from: from, until: until, document: "rr-court")))
            .ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await w.CreateAsync("rr-karin", RegieConsents.Bewind(null, Leo, "Practitioner/rr-bea", from: from, until: until)))
            .ShouldBe(HttpStatusCode.UnprocessableEntity);
        // Whoever manages access without regie does not record a legal basis.
        await w.Rig.PutAsync(Grants.Grant(null, Leo, "Practitioner/rr-eva", GrantRole.Ondersteuner, [Section.Financien], write: true, manage: true));
        (await w.CreateAsync("rr-eva", RegieConsents.Bewind(null, Leo, "Practitioner/rr-bea", from: from, until: until, document: "rr-court")))
            .ShouldBe(HttpStatusCode.Forbidden);
        (await w.CreateAsync("rr-karin", RegieConsents.Bewind(null, Leo, "Practitioner/rr-bea", from: from, until: until, document: "rr-court")))
            .ShouldBe(HttpStatusCode.Created);

        (await w.ReadAsync("rr-bea", "DocumentReference", "rr-fin")).ShouldBe(HttpStatusCode.OK);
        (await w.ReadAsync("rr-bea", "Condition", "rr-cond")).ShouldBe(HttpStatusCode.NotFound);
        (await w.ReadAsync("rr-bea", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);
        (await w.ScopeAsync("rr-bea")).CanManage(Leo).ShouldBeFalse();
        w.Clock.Now = until.AddDays(1);
        (await w.ReadAsync("rr-bea", "DocumentReference", "rr-fin")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_named_successor_sees_nothing_and_only_a_regiehouder_names_one(string provider)
    {
        await using var w = await WorldAsync(provider);
        // Eva manages access to the agenda: she grants, but names no successor (that is regie).
        await w.Rig.PutAsync(Grants.Grant(null, Leo, "Practitioner/rr-eva", GrantRole.Ondersteuner, [Section.Agenda], manage: true));
        var notRegie = await w.RefusedAsync("rr-eva", RegieConsents.Opvolger(null, Leo, "RelatedPerson/rr-cheryl"));
        notRegie.Status.ShouldBe(HttpStatusCode.Forbidden);
        notRegie.Message.ShouldBe(FhirText.RegieOnlyRegiehouder);
        (await w.CreateAsync("rr-karin", RegieConsents.Opvolger(null, Leo, "RelatedPerson/rr-cheryl", [Section.Doelen]))).ShouldBe(HttpStatusCode.Created);
        (await w.ReadAsync("rr-cheryl", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);
        (await w.ScopeAsync("rr-cheryl")).HasAnyAccessTo(Leo).ShouldBeFalse();
        var bundle = FhirJson.Parse<Bundle>((await w.Rig.Repository.SearchAsync(PolicyRig.As("rr-cheryl"), "Goal", [])).Json!);
        bundle.Entry.ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_stand_in_outside_the_supporters_team_is_refused_and_one_inside_acts_with_the_grant(string provider)
    {
        await using var w = await WorldAsync(provider);
        var (from, until) = (w.Clock.Now.AddDays(-1), w.Clock.Now.AddDays(14));
        var outside = await w.RefusedAsync("rr-karin", Grants.StandIn(null, Leo, "rr-grant-hans", "Practitioner/rr-eva", from, until));
        outside.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        outside.Message.ShouldBe(FhirText.StandInSameTeam);
        (await w.ReadAsync("rr-eva", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);

        (await w.CreateAsync("rr-karin", Grants.StandIn(null, Leo, "rr-grant-hans", "Practitioner/rr-ivo", from, until))).ShouldBe(HttpStatusCode.Created);
        (await w.ReadAsync("rr-ivo", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.OK);
        (await w.ReadAsync("rr-ivo", "Condition", "rr-cond")).ShouldBe(HttpStatusCode.NotFound);
        w.Clock.Now = until.AddMinutes(1);
        (await w.ReadAsync("rr-ivo", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_change_of_supporter_moves_access_in_one_transaction_and_keeps_the_history(string provider)
    {
        await using var w = await WorldAsync(provider);
        var old = FhirJson.Parse<Consent>((await w.Rig.Repository.ReadAsync(PolicyRig.System, "Consent", "rr-grant-hans")).Stored!.Json);
        old.Meta = null;
        old.Status = Consent.ConsentState.Inactive;
        old.Provision.Period = new Period { End = w.Clock.Now.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture) };
        var successor = RegieConsents.Replacing(
            Grants.Grant(null, Leo, "Practitioner/rr-ivo", GrantRole.Ondersteuner, [Section.Doelen, Section.Logboek], write: true, allowStandIn: true), "rr-grant-hans");
        var transaction = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new Bundle.EntryComponent { Resource = old, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = "Consent/rr-grant-hans" } },
                new Bundle.EntryComponent { Resource = successor, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Consent" } },
            ],
        };
        // Not the supporter himself: a supporter without manage writes no Consent at all (nothing is stored).
        (await Should.ThrowAsync<FhirException>(() => w.Rig.Repository.ProcessBundleAsync(PolicyRig.As("rr-hans"), transaction))).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.ReadAsync("rr-ivo", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);

        (await w.Rig.Repository.ProcessBundleAsync(PolicyRig.As("rr-karin"), transaction)).Status.ShouldBe(HttpStatusCode.OK);
        (await w.ReadAsync("rr-hans", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.NotFound);
        (await w.ReadAsync("rr-ivo", "Goal", "rr-goal")).ShouldBe(HttpStatusCode.OK);
        (await w.CreateAsync("rr-ivo", NewGoal())).ShouldBe(HttpStatusCode.Created);
        // The family still reads the old grant and its history; the new one says whom it replaced.
        var history = FhirJson.Parse<Bundle>((await w.Rig.Repository.HistoryAsync(PolicyRig.As("rr-karin"), "Consent", "rr-grant-hans", [])).Json!);
        history.Entry.Count.ShouldBe(2);
        var search = FhirJson.Parse<Bundle>((await w.Rig.Repository.SearchAsync(PolicyRig.As("rr-karin"), "Consent", [new("_count", "100")])).Json!);
        search.Entry.Select(e => ConsentGrant.Of((Consent)e.Resource)).ShouldContain(g => g.ReplacesConsentId == "rr-grant-hans" && g.Active);
    }
}
