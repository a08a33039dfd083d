using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Fhir.Storage;
using static Pgo.Fhir.Access.PgoCodes;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// The write side of consent (docs/adr/0003, "The write side: invariants"): every rule of <see cref="WriteDecision"/>
/// refused where it must be, and its allowed counterpart accepted, on SQLite and PostgreSQL.
/// </summary>
public class WriteRulesTests
{
    private const string Child = "wr-child";
    private const string Other = "wr-other";

    /// <summary>
    /// Two families. Family 1: a child (9), mother and father each regiehouder by their own Consent, a supporter who writes
    /// logboek and doelen, a planner who writes plan only, a coordinator who writes netwerk in both families, a manager
    /// with manage on doelen and logboek, the client's own Person. Family 2: a child with its own regiehouder.
    /// </summary>
    private static async Task<(TestDb Db, PolicyRig Rig)> WorldAsync(string provider)
    {
        var db = await TestDatabases.CreateAsync(provider);
                var rig = new PolicyRig(db, new TestClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)));
        Resource[] world =
        [
            new Patient { Id = Child, BirthDate = "2017-05-01" },
            new Patient { Id = Other, BirthDate = "2018-02-01" },
            new RelatedPerson { Id = "wr-mother", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "wr-father", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "wr-other-parent", Patient = new ResourceReference($"Patient/{Other}") },
            new Practitioner { Id = "wr-supporter" }, new Practitioner { Id = "wr-planner" }, new Practitioner { Id = "wr-coordinator" },
            new Practitioner { Id = "wr-manager" }, new Practitioner { Id = "wr-stranger" },
            Link("wr-mother", "RelatedPerson/wr-mother"), Link("wr-father", "RelatedPerson/wr-father"), Link("wr-other-parent", "RelatedPerson/wr-other-parent"),
            Link("wr-supporter", "Practitioner/wr-supporter"), Link("wr-planner", "Practitioner/wr-planner"), Link("wr-coordinator", "Practitioner/wr-coordinator"),
            Link("wr-manager", "Practitioner/wr-manager"), Link("wr-stranger", "Practitioner/wr-stranger"), Link("wr-self", $"Patient/{Child}"),
            Named(Grants.Regie(null, Child, ["RelatedPerson/wr-mother"]), "wr-regie-mother"),
            Named(Grants.Regie(null, Child, ["RelatedPerson/wr-father"]), "wr-regie-father"),
            Named(Grants.Regie(null, Other, ["RelatedPerson/wr-other-parent"]), "wr-regie-other"),
            Named(Grants.Grant(null, Child, "Practitioner/wr-supporter", GrantRole.Ondersteuner, [Section.Logboek, Section.Doelen], write: true), "wr-grant-supporter"),
            Named(Grants.Grant(null, Child, "Practitioner/wr-planner", GrantRole.Zorgverlener, [Section.Plan], write: true), "wr-grant-planner"),
            Named(Grants.Grant(null, Child, "Practitioner/wr-coordinator", GrantRole.Zorgverlener, [Section.Netwerk, Section.Plan, Section.Medisch], write: true), "wr-grant-coordinator-1"),
            Named(Grants.Grant(null, Other, "Practitioner/wr-coordinator", GrantRole.Zorgverlener, [Section.Netwerk], write: true), "wr-grant-coordinator-2"),
            Named(Grants.Grant(null, Child, "Practitioner/wr-manager", GrantRole.Ondersteuner, [Section.Doelen, Section.Logboek], write: true, manage: true), "wr-grant-manager"),
            Document("wr-beschikking", Child), Document("wr-other-doc", Other),
        ];
        foreach (var r in world) await rig.PutAsync(r);
        return (db, rig);

        static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };
        static DocumentReference Document(string id, string patient) => new()
        {
            Id = id, Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{patient}"),
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = "Beschikking kantonrechter" } }],
        };
    }

    private static Consent Named(Consent c, string id) { c.Id = id; return c; }

    private static async Task<HttpStatusCode> StatusAsync(Func<Task<FhirResponse>> write)
    {
        try { return (await write()).Status; }
        catch (FhirException e) { return e.Status; }
    }

    private static async Task<FhirException> RefusedAsync(Func<Task<FhirResponse>> write) => await Should.ThrowAsync<FhirException>(write);

    private static Task<FhirResponse> Create(PolicyRig rig, string person, Resource r) => rig.Repository.CreateAsync(PolicyRig.As(person), r.TypeName, r, null);
    private static Task<FhirResponse> Update(PolicyRig rig, string person, Resource r) => rig.Repository.UpdateAsync(PolicyRig.As(person), r.TypeName, r.Id!, r, null);
    private static Task<FhirResponse> Delete(PolicyRig rig, string person, string type, string id) => rig.Repository.DeleteAsync(PolicyRig.As(person), type, id);

    private static async Task<T> ReadAsync<T>(PolicyRig rig, string id) where T : Resource =>
        FhirJson.Parse<T>((await rig.Repository.ReadAsync(PolicyRig.System, ModelInfo.GetFhirTypeNameForType(typeof(T))!, id)).Stored!.Json);

    private static Meta Label(string section) => new() { Security = [new Coding(Section.System, section)] };

    // ---------------------------------------------------------------- W1

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_person_cannot_link_itself_to_someone_else_only_the_platform_can(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;

        // The stranger adds a link to the mother's RelatedPerson to its own Person: refused, and it still sees nothing.
        var own = await ReadAsync<Person>(rig, "wr-stranger");
        own.Link.Add(new Person.LinkComponent { Target = new ResourceReference("RelatedPerson/wr-mother") });
        (await StatusAsync(() => Update(rig, "wr-stranger", own))).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(() => Create(rig, "wr-stranger", new Person { Link = [new Person.LinkComponent { Target = new ResourceReference($"Patient/{Other}") }] })))
            .ShouldBe(HttpStatusCode.NotFound);
        (await rig.Policy.CompileAsync(PolicyRig.As("wr-stranger").Caller, default)).HasAnyAccessTo(Child).ShouldBeFalse();

        // A regiehouder sees the client's own Person (netwerk) but cannot change who it links to: 403.
        var self = await ReadAsync<Person>(rig, "wr-self");
        self.Link.Add(new Person.LinkComponent { Target = new ResourceReference("RelatedPerson/wr-father") });
        var refused = await RefusedAsync(() => Update(rig, "wr-mother", self));
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.Message.ShouldContain("platform");
        (await StatusAsync(() => Create(rig, "wr-mother", new Practitioner { Id = "wr-made-up" }))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Create(rig, "wr-mother", new Organization()))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Create(rig, "wr-mother", new PractitionerRole { Practitioner = new ResourceReference("Practitioner/wr-stranger") }))).ShouldBe(HttpStatusCode.Forbidden);

        // The platform (an accepted invitation) writes the same link: then the stranger acts as the mother's record.
        await rig.PutAsync(own);
        (await rig.Policy.CompileAsync(PolicyRig.As("wr-stranger").Caller, default)).IsRegiehouder(Child).ShouldBeTrue();
    }

    // ---------------------------------------------------------------- W2

    [Fact]
    public void Consent_audit_and_provenance_are_toegang_whatever_their_labels()
    {
        new Consent { Meta = Label(Section.Logboek) }.Apply(SectionClassifier.Classify).ShouldBe(Section.Toegang);
        new Provenance { Meta = Label(Section.Doelen) }.Apply(SectionClassifier.Classify).ShouldBe(Section.Toegang);
        new AuditEvent { Meta = Label(Section.Medisch) }.Apply(SectionClassifier.Classify).ShouldBe(Section.Toegang);
        var condition = new Condition { Meta = Label(Section.Plan) };
        SectionClassifier.Classify(condition).ShouldBe(Section.Plan);
        SectionClassifier.NaturalSection(condition).ShouldBe(Section.Medisch);
        var document = new DocumentReference { Meta = Label(Section.Logboek), Category = [new CodeableConcept(Section.System, Section.Financien)] };
        SectionClassifier.NaturalSection(document).ShouldBe(Section.Financien);
        SectionClassifier.Classify(document).ShouldBe(Section.Logboek);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_consent_labelled_logboek_stays_in_toegang_and_a_logboek_writer_cannot_write_it(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;

        Consent SelfMadeRegie()
        {
            var c = Grants.Regie(null, Child, ["Practitioner/wr-supporter"]);
            c.Meta = Label(Section.Logboek);
            return c;
        }
        var refused = await RefusedAsync(() => Create(rig, "wr-supporter", SelfMadeRegie()));
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.Message.ShouldContain("regiehouder");
        (await rig.Policy.CompileAsync(PolicyRig.As("wr-supporter").Caller, default)).CanManage(Child).ShouldBeFalse();

        // The same Consent from a regiehouder is stored, in toegang, not in logboek.
        var created = await Create(rig, "wr-mother", SelfMadeRegie());
        created.Status.ShouldBe(HttpStatusCode.Created);
        var bag = new SqlParameterBag();
        var rows = await rig.Store.QueryRowsAsync(new SqlQuery($"SELECT section FROM resource WHERE res_type = 'Consent' AND res_id = {bag.Add(created.Stored!.Id)}", bag.Values));
        rows.Single()[0].ShouldBe(Section.Toegang);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_label_cannot_move_a_type_into_the_writers_section(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;
        Condition Labelled() => new() { Subject = new ResourceReference($"Patient/{Child}"), Code = new CodeableConcept { Text = "x" }, Meta = Label(Section.Plan) };

        var refused = await RefusedAsync(() => Create(rig, "wr-planner", Labelled()));
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.Message.ShouldContain("medisch");
        // The planner files what belongs in plan; whoever writes medisch and plan may narrow a Condition into plan.
        (await StatusAsync(() => Create(rig, "wr-planner", new CarePlan { Status = RequestStatus.Active, Intent = CarePlan.CarePlanIntent.Plan, Subject = new ResourceReference($"Patient/{Child}") })))
            .ShouldBe(HttpStatusCode.Created);
        var stored = await Create(rig, "wr-coordinator", Labelled());
        stored.Status.ShouldBe(HttpStatusCode.Created);
        // Once filed in plan, the plan-only writer still may not change or delete it.
        var condition = await ReadAsync<Condition>(rig, stored.Stored!.Id);
        (await StatusAsync(() => Update(rig, "wr-planner", condition))).ShouldBe(HttpStatusCode.Forbidden);
    }

    // ---------------------------------------------------------------- W3

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_group_naming_two_families_needs_write_in_both(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;
        Group Both() => new()
        {
            Type = Group.GroupType.Person, Actual = true,
            Member = [new Group.MemberComponent { Entity = new ResourceReference($"Patient/{Child}") }, new Group.MemberComponent { Entity = new ResourceReference($"Patient/{Other}") }],
        };

        // The mother writes everything of her child's dossier, nothing of the other family's: the group is refused as not found.
        (await StatusAsync(() => Create(rig, "wr-mother", Both()))).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(() => Create(rig, "wr-mother", new Group { Type = Group.GroupType.Person, Actual = true,
            Member = [new Group.MemberComponent { Entity = new ResourceReference($"Patient/{Child}") }] }))).ShouldBe(HttpStatusCode.Created);
        // The coordinator writes netwerk in both families: allowed.
        var made = await Create(rig, "wr-coordinator", Both());
        made.Status.ShouldBe(HttpStatusCode.Created);
        // Changing it needs write in every dossier of the stored version too.
        var group = await ReadAsync<Group>(rig, made.Stored!.Id);
        (await StatusAsync(() => Update(rig, "wr-mother", group))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Delete(rig, "wr-mother", "Group", group.Id))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Update(rig, "wr-coordinator", group))).ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_transaction_with_one_entry_in_a_foreign_dossier_stores_nothing(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;
        Bundle Transaction(params Resource[] resources)
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            foreach (var r in resources)
                bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = r.TypeName } });
            return bundle;
        }
        CareTeam Team(string patient) => new() { Subject = new ResourceReference($"Patient/{patient}") };
        Group Both() => new()
        {
            Type = Group.GroupType.Person, Actual = true,
            Member = [new Group.MemberComponent { Entity = new ResourceReference($"Patient/{Child}") }, new Group.MemberComponent { Entity = new ResourceReference($"Patient/{Other}") }],
        };
        async Task<long> CareTeams() => Convert.ToInt64((await rig.Store.QueryRowsAsync(new SqlQuery("SELECT COUNT(*) FROM resource WHERE res_type = 'CareTeam'", []))).Single()[0], CultureInfo.InvariantCulture);

        (await StatusAsync(() => rig.Repository.ProcessBundleAsync(PolicyRig.As("wr-mother"), Transaction(Team(Child), Both())))).ShouldBe(HttpStatusCode.NotFound);
        (await CareTeams()).ShouldBe(0);
        (await StatusAsync(() => rig.Repository.ProcessBundleAsync(PolicyRig.As("wr-coordinator"), Transaction(Team(Child), Both())))).ShouldBe(HttpStatusCode.OK);
        (await CareTeams()).ShouldBe(1);
    }

    // ---------------------------------------------------------------- W4

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_manage_holder_grants_no_more_than_their_own_rights_and_never_regie_or_manage(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;
        Consent To(string[]? sections, bool write = false, bool manage = false) =>
            Grants.Grant(null, Child, "Practitioner/wr-stranger", GrantRole.Ondersteuner, sections, write, manage);

        (await StatusAsync(() => Create(rig, "wr-manager", To([Section.Doelen], write: true)))).ShouldBe(HttpStatusCode.Created);
        (await StatusAsync(() => Create(rig, "wr-manager", To([Section.Logboek])))).ShouldBe(HttpStatusCode.Created);
        (await StatusAsync(() => Create(rig, "wr-manager", To([Section.Financien])))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Create(rig, "wr-manager", To(null)))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Create(rig, "wr-manager", To([Section.Doelen], manage: true)))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Create(rig, "wr-manager", Grants.Regie(null, Child, ["Practitioner/wr-stranger"])))).ShouldBe(HttpStatusCode.Forbidden);
        // Share packages too: only items the manager can see.
        var until = DateTimeOffset.UtcNow.AddDays(30);
        (await StatusAsync(() => Create(rig, "wr-manager", Grants.SharePackage(null, Child, "Organization/wr-none", "x", until, items: ["DocumentReference/wr-beschikking"]))))
            .ShouldBe(HttpStatusCode.Forbidden);
        // Someone who writes logboek but has no manage writes no Consent at all; the regiehouder grants anything.
        (await StatusAsync(() => Create(rig, "wr-supporter", To([Section.Logboek])))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Create(rig, "wr-mother", To(null, write: true, manage: true)))).ShouldBe(HttpStatusCode.Created);
        // The manager cannot change or end a regie Consent.
        (await StatusAsync(() => Delete(rig, "wr-manager", "Consent", "wr-regie-mother"))).ShouldBe(HttpStatusCode.Forbidden);
    }

    /// <summary>Issue 21: research consent is given and revoked by a regiehouder only (like regie): a supporter who manages
    /// access, a supporter without manage and a professional are refused, and once given it opens nothing to anyone.</summary>
    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Research_consent_is_written_by_a_regiehouder_only_and_opens_nothing(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;

        (await RefusedAsync(() => Create(rig, "wr-manager", Grants.Research(null, Child)))).Message.ShouldBe(FhirText.RegieOnlyRegiehouder);
        (await StatusAsync(() => Create(rig, "wr-supporter", Grants.Research(null, Child)))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Create(rig, "wr-planner", Grants.Research(null, Child)))).ShouldBe(HttpStatusCode.Forbidden);

        // A research Consent that (wrongly) names the stranger as regiehouder with every action: stored, and still nothing.
        var research = Grants.Research(null, Child);
        research.Provision.Actor = Grants.Regie(null, Child, ["Practitioner/wr-stranger"]).Provision.Actor;
        var created = await Create(rig, "wr-mother", research);
        created.Status.ShouldBe(HttpStatusCode.Created);
        (await StatusAsync(() => rig.Repository.ReadAsync(PolicyRig.As("wr-stranger"), "Patient", Child))).ShouldBe(HttpStatusCode.NotFound);
        (await rig.Policy.CompileAsync(PolicyRig.As("wr-stranger").Caller, default)).HasAnyAccessTo(Child).ShouldBeFalse();

        // Revoking: the manager and the professional cannot, the other regiehouder can.
        var stored = await ReadAsync<Consent>(rig, created.Stored!.Id);
        stored.Status = Consent.ConsentState.Inactive;
        (await StatusAsync(() => Update(rig, "wr-manager", stored))).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(() => Update(rig, "wr-planner", stored))).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(() => Update(rig, "wr-father", stored))).ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_consent_names_one_client_and_a_stand_in_replaces_someone_of_the_same_dossier(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;
        var noPatient = Grants.Grant(null, Child, "Practitioner/wr-stranger", GrantRole.Ondersteuner, [Section.Doelen]);
        noPatient.Patient = null;
        (await StatusAsync(() => Create(rig, "wr-mother", noPatient))).ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.UnprocessableEntity);

        var now = DateTimeOffset.UtcNow;
        var foreign = await RefusedAsync(() => Create(rig, "wr-mother", Grants.StandIn(null, Child, "wr-regie-other", "Practitioner/wr-stranger", now, now.AddDays(3))));
        foreign.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        // A stand-in works in the supporter's team (issue 18): a colleague sharing an organisation with the supporter.
        var outside = await RefusedAsync(() => Create(rig, "wr-mother", Grants.StandIn(null, Child, "wr-grant-supporter", "Practitioner/wr-stranger", now, now.AddDays(3))));
        outside.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        outside.Message.ShouldBe(Pgo.Fhir.Messages.FhirText.StandInSameTeam);
        await rig.PutAsync(new Organization { Id = "wr-team" });
        await rig.PutAsync(new PractitionerRole { Id = "wr-role-supporter", Practitioner = new ResourceReference("Practitioner/wr-supporter"), Organization = new ResourceReference("Organization/wr-team") });
        await rig.PutAsync(new PractitionerRole { Id = "wr-role-stranger", Practitioner = new ResourceReference("Practitioner/wr-stranger"), Organization = new ResourceReference("Organization/wr-team") });
        (await StatusAsync(() => Create(rig, "wr-mother", Grants.StandIn(null, Child, "wr-grant-supporter", "Practitioner/wr-stranger", now, now.AddDays(3)))))
            .ShouldBe(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Legal_representation_needs_the_document_of_this_dossier(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;
        Consent Mentor(DataType? source)
        {
            var c = Grants.Regie(null, Child, ["RelatedPerson/wr-mother"], LegalRepresentation.Mentor);
            c.Source = source;
            return c;
        }

        var refused = await RefusedAsync(() => Create(rig, "wr-mother", Mentor(null)));
        refused.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        refused.Message.ShouldContain("beschikking");
        (await StatusAsync(() => Create(rig, "wr-mother", Mentor(new ResourceReference("DocumentReference/wr-other-doc"))))).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await StatusAsync(() => Create(rig, "wr-mother", Mentor(new ResourceReference("DocumentReference/wr-missing"))))).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await StatusAsync(() => Create(rig, "wr-mother", Mentor(new ResourceReference("DocumentReference/wr-beschikking"))))).ShouldBe(HttpStatusCode.Created);
        (await StatusAsync(() => Create(rig, "wr-mother", Mentor(new Attachment { ContentType = "application/pdf", Data = [1, 2, 3] })))).ShouldBe(HttpStatusCode.Created);
        // Only a regiehouder records it at all.
        (await StatusAsync(() => Create(rig, "wr-manager", Mentor(new ResourceReference("DocumentReference/wr-beschikking"))))).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task The_server_records_who_granted_and_keeps_it_on_update(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;
        var grant = Grants.Grant(null, Child, "Practitioner/wr-stranger", GrantRole.Ondersteuner, [Section.Agenda]);
        grant.Performer = [new ResourceReference("RelatedPerson/wr-father")];
        var created = await Create(rig, "wr-mother", grant);
        var stored = FhirJson.Parse<Consent>(created.Stored!.Json);
        stored.Performer.Select(p => p.Reference).ShouldBe(["RelatedPerson/wr-mother"]);

        stored.Performer = [new ResourceReference("Practitioner/wr-manager")];
        var updated = await Update(rig, "wr-father", stored);
        FhirJson.Parse<Consent>(updated.Stored!.Json).Performer.Select(p => p.Reference).ShouldBe(["RelatedPerson/wr-mother"]);
        // A manage holder is recorded as their Practitioner.
        var byManager = await Create(rig, "wr-manager", Grants.Grant(null, Child, "Practitioner/wr-stranger", GrantRole.Ondersteuner, [Section.Doelen]));
        FhirJson.Parse<Consent>(byManager.Stored!.Json).Performer.Select(p => p.Reference).ShouldBe(["Practitioner/wr-manager"]);
    }

    // ---------------------------------------------------------------- W7

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_second_regiehouder_cannot_end_the_others_regie_or_lift_the_others_hide(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;

        var mothers = await ReadAsync<Consent>(rig, "wr-regie-mother");
        mothers.Status = Consent.ConsentState.Inactive;
        var refused = await RefusedAsync(() => Update(rig, "wr-father", mothers));
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.Message.ShouldBe(WriteDecision.OtherRegiehouderMustAgree);
        (await StatusAsync(() => Delete(rig, "wr-father", "Consent", "wr-regie-mother"))).ShouldBe(HttpStatusCode.Forbidden);
        (await rig.Policy.CompileAsync(PolicyRig.As("wr-mother").Caller, default)).IsRegiehouder(Child).ShouldBeTrue();

        // The mother hides a document from the father.
        var hide = await Create(rig, "wr-mother", Grants.Hide(null, Child, "DocumentReference/wr-beschikking", "RelatedPerson/wr-father"));
        hide.Status.ShouldBe(HttpStatusCode.Created);
        var stored = FhirJson.Parse<Consent>(hide.Stored!.Json);
        stored.Status = Consent.ConsentState.Inactive;
        (await RefusedAsync(() => Update(rig, "wr-father", stored))).Message.ShouldBe(WriteDecision.OtherRegiehouderMustAgree);
        (await StatusAsync(() => Delete(rig, "wr-father", "Consent", stored.Id))).ShouldBe(HttpStatusCode.Forbidden);

        // Each ends their own; the platform (a recorded court decision) may end the other's.
        (await StatusAsync(() => Update(rig, "wr-mother", stored))).ShouldBe(HttpStatusCode.OK);
        var fathers = await ReadAsync<Consent>(rig, "wr-regie-father");
        fathers.Status = Consent.ConsentState.Inactive;
        (await StatusAsync(() => Update(rig, "wr-father", fathers))).ShouldBe(HttpStatusCode.OK);
        (await StatusAsync(() => rig.Repository.UpdateAsync(PolicyRig.System, "Consent", mothers.Id!, mothers, null))).ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task One_regie_consent_for_two_parents_is_changed_by_neither_alone(string provider)
    {
        var (db, rig) = await WorldAsync(provider);
        await using var _db = db; await using var _rig = rig;
        await rig.PutAsync(Named(Grants.Regie(null, Other, ["RelatedPerson/wr-other-parent", "RelatedPerson/wr-mother"]), "wr-regie-shared"));
        var shared = await ReadAsync<Consent>(rig, "wr-regie-shared");
        shared.Status = Consent.ConsentState.Inactive;
        (await RefusedAsync(() => Update(rig, "wr-other-parent", shared))).Message.ShouldBe(WriteDecision.OtherRegiehouderMustAgree);
        // A regiehouder still grants others and hides items alone.
        (await StatusAsync(() => Create(rig, "wr-other-parent", Grants.Grant(null, Other, "Practitioner/wr-stranger", GrantRole.Ondersteuner, [Section.Agenda]))))
            .ShouldBe(HttpStatusCode.Created);
    }
}
