using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using static Pgo.Fhir.Access.PgoCodes;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// Invariants 4 and 5 of issue 13 (decision W5): ids are not created by people with PUT, answers never tell the version or
/// existence of what the caller cannot see, an id stays in its dossier, and every version is judged by its own place.
/// </summary>
public class IdsAndVersionsTests
{
    // Two families: anna is regiehouder of pa, bob of pb; sam supports pa in plan and profiel (read and write).
    private static async Task<PolicyRig> WorldAsync(TestDb db)
    {
        var rig = new PolicyRig(db, new TestClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)));
        foreach (var (patient, person, related) in new[] { ("pa", "anna", "rpA"), ("pb", "bob", "rpB") })
        {
            await rig.PutAsync(new Patient { Id = patient, BirthDate = "2015-03-01" });
            await rig.PutAsync(new RelatedPerson { Id = related, Patient = new ResourceReference($"Patient/{patient}") });
            await rig.PutAsync(new Person { Id = person, Link = [new Person.LinkComponent { Target = new ResourceReference($"RelatedPerson/{related}") }] });
            await rig.PutAsync(Grants.Regie(null, patient, [$"RelatedPerson/{related}"]));
        }
        await rig.PutAsync(new Practitioner { Id = "prS" });
        await rig.PutAsync(new Person { Id = "sam", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/prS") }] });
        await rig.PutAsync(Grants.Grant(null, "pa", "Practitioner/prS", GrantRole.Ondersteuner, [Section.Plan, Section.Profiel], write: true));
        return rig;
    }

    private static Goal NewGoal(string? id, string patient) => new()
    {
        Id = id,
        LifecycleStatus = Goal.GoalLifecycleStatus.Active,
        Subject = new ResourceReference($"Patient/{patient}"),
        Description = new CodeableConcept { Text = "doel" },
    };

    private static DocumentReference Doc(string id, string patient, string section, string? author = null) => new()
    {
        Id = id,
        Status = DocumentReferenceStatus.Current,
        Subject = new ResourceReference($"Patient/{patient}"),
        Category = [new CodeableConcept(Section.System, section)],
        Author = author is null ? [] : [new ResourceReference(author)],
        Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = section } }],
    };

    private static async Task<FhirException> Refused(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (FhirException e)
        {
            return e;
        }
        throw new Shouldly.ShouldAssertException("expected a refusal");
    }

    private static async Task<HttpStatusCode> StatusAsync(Func<Task<FhirResponse>> action)
    {
        try
        {
            return (await action()).Status;
        }
        catch (FhirException e)
        {
            return e.Status;
        }
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_person_PUT_to_a_missing_deleted_or_invisible_id_answers_the_same_404_and_stores_nothing(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await WorldAsync(db);
        var anna = PolicyRig.As("anna");
        await rig.PutAsync(NewGoal("g-deleted", "pa"));
        await rig.Repository.DeleteAsync(PolicyRig.System, "Goal", "g-deleted");
        await rig.PutAsync(NewGoal("g-other", "pb"));

        var answers = new List<string>();
        foreach (var id in new[] { "g-missing", "g-deleted", "g-other" })
        {
            var e = await Refused(() => rig.Repository.UpdateAsync(anna, "Goal", id, NewGoal(id, "pa"), null));
            e.Status.ShouldBe(HttpStatusCode.NotFound, id);
            answers.Add(e.Message.Replace(id, "<id>", StringComparison.Ordinal));
            // With an If-Match the answer is the same.
            var withMatch = await Refused(() => rig.Repository.UpdateAsync(anna, "Goal", id, NewGoal(id, "pa"), "W/\"1\""));
            withMatch.Status.ShouldBe(HttpStatusCode.NotFound, id);
            answers.Add(withMatch.Message.Replace(id, "<id>", StringComparison.Ordinal));
        }
        var read = await Refused(() => rig.Repository.ReadAsync(anna, "Goal", "g-never"));
        answers.Add(read.Message.Replace("g-never", "<id>", StringComparison.Ordinal));
        answers.Distinct().ShouldBe(["Dit is niet gevonden: het bestaat niet (meer) of is niet met u gedeeld. Laad de pagina opnieuw."]);

        // A conditional update without a match but with an id in the body is an update-as-create too.
        (await Refused(() => rig.Repository.ConditionalUpdateAsync(anna, "Goal", "lifecycle-status=cancelled", NewGoal("g-cond", "pa")))).Status.ShouldBe(HttpStatusCode.NotFound);
        // Transaction and batch entries alike.
        Bundle Put(Bundle.BundleType kind, string id) => new()
        {
            Type = kind,
            Entry = [new Bundle.EntryComponent { Resource = NewGoal(id, "pa"), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Goal/{id}" } }],
        };
        (await Refused(() => rig.Repository.ProcessBundleAsync(anna, Put(Bundle.BundleType.Transaction, "g-tx")))).Status.ShouldBe(HttpStatusCode.NotFound);
        var batch = FhirJson.Parse<Bundle>((await rig.Repository.ProcessBundleAsync(anna, Put(Bundle.BundleType.Batch, "g-batch"))).Json!);
        batch.Entry[0].Response.Status.ShouldStartWith("404");

        foreach (var id in new[] { "g-missing", "g-cond", "g-tx", "g-batch" })
            (await StatusAsync(() => rig.Repository.ReadAsync(PolicyRig.System, "Goal", id))).ShouldBe(HttpStatusCode.NotFound, id);
        (await StatusAsync(() => rig.Repository.ReadAsync(PolicyRig.System, "Goal", "g-deleted"))).ShouldBe(HttpStatusCode.Gone);

        // People create with POST; a conditional PUT without a match and without an id still creates.
        (await rig.Repository.CreateAsync(anna, "Goal", NewGoal(null, "pa"), null)).Status.ShouldBe(HttpStatusCode.Created);
        (await rig.Repository.ConditionalUpdateAsync(anna, "Goal", "lifecycle-status=cancelled", NewGoal(null, "pa"))).Status.ShouldBe(HttpStatusCode.Created);
        var conditionalEntry = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry = [new Bundle.EntryComponent { Resource = NewGoal(null, "pa"), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = "Goal?lifecycle-status=cancelled" } }],
        };
        FhirJson.Parse<Bundle>((await rig.Repository.ProcessBundleAsync(anna, conditionalEntry)).Json!).Entry[0].Response.Status.ShouldStartWith("201");
        // The platform keeps update-as-create.
        (await rig.Repository.UpdateAsync(PolicyRig.System, "Goal", "g-missing", NewGoal("g-missing", "pa"), null)).Status.ShouldBe(HttpStatusCode.Created);
        // And a visible resource is updated by its regiehouder as before.
        (await rig.Repository.UpdateAsync(anna, "Goal", "g-missing", NewGoal("g-missing", "pa"), null)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_412_never_names_the_version_of_a_resource_the_caller_cannot_see(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await WorldAsync(db);
        var anna = PolicyRig.As("anna");
        for (var i = 0; i < 3; i++) await rig.PutAsync(NewGoal("g-bob", "pb")); // version 3, in bob's family
        await rig.PutAsync(NewGoal("g-anna", "pa"));
        await rig.PutAsync(NewGoal("g-anna", "pa")); // version 2, anna's own

        var update = await Refused(() => rig.Repository.UpdateAsync(anna, "Goal", "g-bob", NewGoal("g-bob", "pb"), "W/\"1\""));
        update.Status.ShouldBe(HttpStatusCode.NotFound);
        update.Message.ShouldBe("Dit is niet gevonden: het bestaat niet (meer) of is niet met u gedeeld. Laad de pagina opnieuw.");
        // A delete of what one cannot see answers like a delete of what is not there, If-Match or not; nothing is deleted.
        (await rig.Repository.DeleteAsync(anna, "Goal", "g-bob", "W/\"1\"")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await rig.Repository.DeleteAsync(anna, "Goal", "g-nothing", "W/\"1\"")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await rig.Repository.ReadAsync(PolicyRig.System, "Goal", "g-bob")).Stored!.Version.ShouldBe(3);
        var tx = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry = [new Bundle.EntryComponent { Resource = NewGoal("g-bob", "pb"), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = "Goal/g-bob", IfMatch = "W/\"1\"" } }],
        };
        var inTx = await Refused(() => rig.Repository.ProcessBundleAsync(anna, tx));
        inTx.Status.ShouldBe(HttpStatusCode.NotFound);
        inTx.Message.ShouldNotContain("3");

        // Where the caller can see the resource, the 412 names its version as before.
        var own = await Refused(() => rig.Repository.UpdateAsync(anna, "Goal", "g-anna", NewGoal("g-anna", "pa"), "W/\"1\""));
        own.Status.ShouldBe(HttpStatusCode.PreconditionFailed);
        own.Message.ShouldContain("de huidige versie is 2");
        (await Refused(() => rig.Repository.DeleteAsync(anna, "Goal", "g-anna", "W/\"1\""))).Status.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_deleted_id_of_one_family_is_never_recreated_in_another_and_its_versions_stay_theirs(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await WorldAsync(db);
        await rig.PutAsync(NewGoal("g-id", "pa"));
        await rig.Repository.DeleteAsync(PolicyRig.System, "Goal", "g-id");

        var moved = await Refused(() => rig.Repository.UpdateAsync(PolicyRig.System, "Goal", "g-id", NewGoal("g-id", "pb"), null));
        moved.Status.ShouldBe(HttpStatusCode.Conflict);
        moved.Message.ShouldContain("ander dossier");
        // Bob cannot create it either (a person never creates by PUT), nor read its old versions.
        var bob = PolicyRig.As("bob");
        (await StatusAsync(() => rig.Repository.UpdateAsync(bob, "Goal", "g-id", NewGoal("g-id", "pb"), null))).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(() => rig.Repository.VReadAsync(bob, "Goal", "g-id", "1"))).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(() => rig.Repository.HistoryAsync(bob, "Goal", "g-id", []))).ShouldBe(HttpStatusCode.NotFound);
        var typeHistory = FhirJson.Parse<Bundle>((await rig.Repository.HistoryAsync(bob, "Goal", null, [])).Json!);
        typeHistory.Entry.ShouldNotContain(e => e.FullUrl != null && e.FullUrl.EndsWith("Goal/g-id", StringComparison.Ordinal));

        // In its own dossier the platform may bring it back, and anna still reads every version.
        (await rig.Repository.UpdateAsync(PolicyRig.System, "Goal", "g-id", NewGoal("g-id", "pa"), null)).Status.ShouldBe(HttpStatusCode.Created);
        var history = FhirJson.Parse<Bundle>((await rig.Repository.HistoryAsync(PolicyRig.As("anna"), "Goal", "g-id", [])).Json!);
        history.Total.ShouldBe(3);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task A_version_in_financien_stays_unreadable_after_the_item_moved_to_plan(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await WorldAsync(db);
        await rig.PutAsync(Doc("doc", "pa", Section.Financien));
        await rig.PutAsync(Doc("doc", "pa", Section.Plan));
        var sam = PolicyRig.As("sam");

        (await StatusAsync(() => rig.Repository.ReadAsync(sam, "DocumentReference", "doc"))).ShouldBe(HttpStatusCode.OK);
        (await StatusAsync(() => rig.Repository.VReadAsync(sam, "DocumentReference", "doc", "2"))).ShouldBe(HttpStatusCode.OK);
        (await StatusAsync(() => rig.Repository.VReadAsync(sam, "DocumentReference", "doc", "1"))).ShouldBe(HttpStatusCode.NotFound);
        foreach (var (type, id) in new (string?, string?)[] { ("DocumentReference", "doc"), ("DocumentReference", null), (null, null) })
        {
            var bundle = FhirJson.Parse<Bundle>((await rig.Repository.HistoryAsync(sam, type, id, [])).Json!);
            var versions = bundle.Entry.Where(e => e.Resource is DocumentReference { Id: "doc" }).Select(e => e.Resource.Meta.VersionId).ToList();
            versions.ShouldBe(["2"], $"history {type}/{id}");
            bundle.Total.ShouldBe(bundle.Entry.Count, $"history {type}/{id}: the total counts only what is shown");
        }
        // The regiehouder sees both versions; after a deletion the history keeps each version's own place.
        var anna = PolicyRig.As("anna");
        FhirJson.Parse<Bundle>((await rig.Repository.HistoryAsync(anna, "DocumentReference", "doc", [])).Json!).Total.ShouldBe(2);
        await rig.Repository.DeleteAsync(PolicyRig.System, "DocumentReference", "doc");
        (await StatusAsync(() => rig.Repository.VReadAsync(sam, "DocumentReference", "doc", "1"))).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(() => rig.Repository.VReadAsync(sam, "DocumentReference", "doc", "3"))).ShouldBe(HttpStatusCode.Gone);
        FhirJson.Parse<Bundle>((await rig.Repository.HistoryAsync(anna, "DocumentReference", "doc", [])).Json!).Total.ShouldBe(3);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Everything_adds_directory_records_only_when_a_visible_item_refers_to_them(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await WorldAsync(db);
        await rig.PutAsync(new Practitioner { Id = "pr-hidden" });
        await rig.PutAsync(new Practitioner { Id = "pr-shown" });
        await rig.PutAsync(Doc("fin", "pa", Section.Financien, "Practitioner/pr-hidden"));
        await rig.PutAsync(Doc("plan", "pa", Section.Plan, "Practitioner/pr-shown"));

        async Task<List<string>> EverythingAsync(string person) =>
            FhirJson.Parse<Bundle>((await rig.Repository.EverythingAsync(PolicyRig.As(person), "pa", [])).Json!)
                .Entry.Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}").ToList();

        var sam = await EverythingAsync("sam");
        sam.ShouldContain("DocumentReference/plan");
        sam.ShouldContain("Practitioner/pr-shown");
        sam.ShouldNotContain("DocumentReference/fin");
        sam.ShouldNotContain("Practitioner/pr-hidden");
        var anna = await EverythingAsync("anna");
        anna.ShouldContain("Practitioner/pr-hidden");
        anna.ShouldContain("Practitioner/pr-shown");
    }
}
