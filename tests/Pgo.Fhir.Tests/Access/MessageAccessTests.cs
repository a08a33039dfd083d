using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Fhir.Tests.Access;

/// <summary>
/// Decision W6 (docs/adr/0003-consent-model.md, "Berichten: alleen voor deelnemers"): a message reaches its sender and
/// recipients only. The berichten section lets one take part, not read others' conversations, for regiehouders too; an
/// item grant or the platform still sees it. A person writes a message only as its sender; every note version names its writer.
/// </summary>
public class MessageAccessTests
{
    private const string P = "msg-p";

    /// <summary>A family: mother and father both regiehouder, a coach and a second supporter with berichten read/write,
    /// an agency with a share package naming one message. Message m1: coach to mother.</summary>
    private static async Task<PolicyRig> FamilyAsync(TestDb db)
    {
        var rig = new PolicyRig(db, new TestClock(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)));
        await rig.PutAsync(new Patient { Id = P, BirthDate = "2014-03-01" });
        foreach (var rp in new[] { "msg-mother", "msg-father" })
        {
            await rig.PutAsync(new RelatedPerson { Id = rp, Patient = new ResourceReference($"Patient/{P}") });
            await rig.PutAsync(new Person { Id = rp, Link = [new Person.LinkComponent { Target = new ResourceReference($"RelatedPerson/{rp}") }] });
        }
        foreach (var pr in new[] { "msg-coach", "msg-other" })
        {
            await rig.PutAsync(new Practitioner { Id = pr });
            await rig.PutAsync(new Person { Id = pr, Link = [new Person.LinkComponent { Target = new ResourceReference($"Practitioner/{pr}") }] });
            await rig.PutAsync(Grants.Grant(null, P, $"Practitioner/{pr}", GrantRole.Ondersteuner, [Section.Berichten, Section.Logboek, Section.Profiel], write: true));
        }
        await rig.PutAsync(new Organization { Id = "msg-agency" });
        await rig.PutAsync(new Practitioner { Id = "msg-clerk" });
        await rig.PutAsync(new PractitionerRole { Id = "msg-clerk-role", Practitioner = new ResourceReference("Practitioner/msg-clerk"), Organization = new ResourceReference("Organization/msg-agency") });
        await rig.PutAsync(new Person { Id = "msg-clerk", Link = [new Person.LinkComponent { Target = new ResourceReference("Practitioner/msg-clerk") }] });
        await rig.PutAsync(Grants.Regie(null, P, ["RelatedPerson/msg-mother", "RelatedPerson/msg-father"]));
        await rig.PutAsync(Message("m1", "Practitioner/msg-coach", "RelatedPerson/msg-mother"));
        await rig.PutAsync(Message("m2", "Practitioner/msg-other", "Practitioner/msg-coach"));
        await rig.PutAsync(Grants.SharePackage(null, P, "Organization/msg-agency", "aanvraag", new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), ["Communication/m2"]));
        return rig;
    }

    private static Communication Message(string? id, string sender, params string[] recipients) => new()
    {
        Id = id,
        Status = EventStatus.Completed,
        Subject = new ResourceReference($"Patient/{P}"),
        Sender = new ResourceReference(sender),
        Recipient = recipients.Select(r => new ResourceReference(r)).ToList(),
        Payload = [new Communication.PayloadComponent { Content = new FhirString("Hallo") }],
    };

    private static async Task<List<string>> SearchIdsAsync(PolicyRig rig, FhirContext ctx, string type, params (string, string)[] query)
    {
        var bundle = FhirJson.Parse<Bundle>((await rig.Repository.SearchAsync(ctx, type, query.Select(q => new KeyValuePair<string, string>(q.Item1, q.Item2)).ToList())).Json!);
        return bundle.Entry.Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}").Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<HttpStatusCode> StatusAsync(Func<Task<FhirResponse>> action)
    {
        try { return (await action()).Status; }
        catch (FhirException e) { return e.Status; }
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task A_non_participant_with_berichten_reads_no_message_the_participants_do(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await FamilyAsync(db);

        // The father holds regie (every section) and the other supporter holds berichten: neither takes part in m1.
        foreach (var outsider in new[] { "msg-father", "msg-other" })
        {
            var ctx = PolicyRig.As(outsider);
            (await StatusAsync(() => rig.Repository.ReadAsync(ctx, "Communication", "m1"))).ShouldBe(HttpStatusCode.NotFound, outsider);
            (await StatusAsync(() => rig.Repository.VReadAsync(ctx, "Communication", "m1", "1"))).ShouldBe(HttpStatusCode.NotFound, outsider);
            (await SearchIdsAsync(rig, ctx, "Communication", ("_id", "m1"))).ShouldBeEmpty(outsider);
            var history = FhirJson.Parse<Bundle>((await rig.Repository.HistoryAsync(ctx, "Communication", null, [])).Json!);
            history.Entry.Select(e => e.Request?.Url ?? e.FullUrl).ShouldNotContain(u => u != null && u.Contains("m1"), outsider);
            var included = await SearchIdsAsync(rig, ctx, "Patient", ("_id", P), ("_revinclude", "Communication:subject"));
            included.ShouldNotContain("Communication/m1", outsider);
            var everything = FhirJson.Parse<Bundle>((await rig.Repository.EverythingAsync(ctx, P, [])).Json!);
            everything.Entry.Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}").ShouldNotContain("Communication/m1", outsider);
            var count = FhirJson.Parse<Bundle>((await rig.Repository.SearchAsync(ctx, "Communication", [new("_summary", "count")])).Json!);
            count.Total.ShouldBe(outsider == "msg-other" ? 1 : 0, outsider); // the other supporter sent m2
        }

        // Sender and addressee (a regiehouder) see it, by read, search, include, history and $everything.
        foreach (var participant in new[] { "msg-coach", "msg-mother" })
        {
            var ctx = PolicyRig.As(participant);
            (await StatusAsync(() => rig.Repository.ReadAsync(ctx, "Communication", "m1"))).ShouldBe(HttpStatusCode.OK, participant);
            (await StatusAsync(() => rig.Repository.VReadAsync(ctx, "Communication", "m1", "1"))).ShouldBe(HttpStatusCode.OK, participant);
            (await SearchIdsAsync(rig, ctx, "Communication", ("_id", "m1"))).ShouldBe(["Communication/m1"], participant);
            (await SearchIdsAsync(rig, ctx, "Patient", ("_id", P), ("_revinclude", "Communication:subject"))).ShouldContain("Communication/m1", participant);
            var history = FhirJson.Parse<Bundle>((await rig.Repository.HistoryAsync(ctx, "Communication", "m1", [])).Json!);
            history.Entry.Count.ShouldBe(1, participant);
            var everything = FhirJson.Parse<Bundle>((await rig.Repository.EverythingAsync(ctx, P, [])).Json!);
            everything.Entry.Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}").ShouldContain("Communication/m1", participant);
        }
        (await SearchIdsAsync(rig, PolicyRig.As("msg-coach"), "Communication")).ShouldBe(["Communication/m1", "Communication/m2"]);
        (await SearchIdsAsync(rig, PolicyRig.As("msg-mother"), "Communication")).ShouldBe(["Communication/m1"]);

        // An item grant names the message: the agency sees m2 and only m2; the platform sees both.
        (await SearchIdsAsync(rig, PolicyRig.As("msg-clerk"), "Communication")).ShouldBe(["Communication/m2"]);
        (await SearchIdsAsync(rig, PolicyRig.System, "Communication")).ShouldBe(["Communication/m1", "Communication/m2"]);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task A_message_addressed_to_the_family_or_an_organisation_reaches_it(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await FamilyAsync(db);
        // To both parents, and one to the agency the clerk works for (an Organization identity).
        await rig.PutAsync(Message("m3", "Practitioner/msg-coach", "RelatedPerson/msg-mother", "RelatedPerson/msg-father"));
        await rig.Repository.CreateAsync(PolicyRig.System, "Consent",
            Grants.Grant(null, P, "Organization/msg-agency", GrantRole.Instantie, [Section.Berichten]), null);
        await rig.PutAsync(Message("m4", "Practitioner/msg-coach", "Organization/msg-agency"));

        (await SearchIdsAsync(rig, PolicyRig.As("msg-father"), "Communication")).ShouldBe(["Communication/m3"]);
        (await SearchIdsAsync(rig, PolicyRig.As("msg-mother"), "Communication")).ShouldBe(["Communication/m1", "Communication/m3"]);
        (await SearchIdsAsync(rig, PolicyRig.As("msg-clerk"), "Communication")).ShouldBe(["Communication/m2", "Communication/m4"]);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task A_person_sends_only_as_themselves_and_only_the_sender_changes_a_message(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await FamilyAsync(db);
        var coach = PolicyRig.As("msg-coach");

        // As someone else: refused, in Dutch; as themselves (their Practitioner or their Person): stored.
        var forged = await Should.ThrowAsync<FhirException>(() => rig.Repository.CreateAsync(coach, "Communication", Message(null, "RelatedPerson/msg-mother", "Practitioner/msg-coach"), null));
        forged.Status.ShouldBe(HttpStatusCode.Forbidden);
        forged.Message.ShouldContain("namens uzelf");
        var anonymous = Message(null, "Practitioner/msg-coach", "RelatedPerson/msg-mother");
        anonymous.Sender = null;
        (await Should.ThrowAsync<FhirException>(() => rig.Repository.CreateAsync(coach, "Communication", anonymous, null))).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await rig.Repository.CreateAsync(coach, "Communication", Message(null, "Practitioner/msg-coach", "RelatedPerson/msg-mother"), null)).Status.ShouldBe(HttpStatusCode.Created);
        (await rig.Repository.CreateAsync(coach, "Communication", Message(null, "Person/msg-coach", "RelatedPerson/msg-mother"), null)).Status.ShouldBe(HttpStatusCode.Created);

        // The addressee cannot rewrite the coach's message, nor make it hers; a non-participant does not find it.
        var mother = PolicyRig.As("msg-mother");
        var rewritten = Message("m1", "Practitioner/msg-coach", "RelatedPerson/msg-mother");
        (await Should.ThrowAsync<FhirException>(() => rig.Repository.UpdateAsync(mother, "Communication", "m1", rewritten, null))).Status.ShouldBe(HttpStatusCode.Forbidden);
        var taken = Message("m1", "RelatedPerson/msg-mother", "Practitioner/msg-coach");
        (await Should.ThrowAsync<FhirException>(() => rig.Repository.UpdateAsync(mother, "Communication", "m1", taken, null))).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await Should.ThrowAsync<FhirException>(() => rig.Repository.UpdateAsync(PolicyRig.As("msg-other"), "Communication", "m1", Message("m1", "Practitioner/msg-other"), null)))
            .Status.ShouldBe(HttpStatusCode.NotFound);
        // The sender may correct it.
        (await rig.Repository.UpdateAsync(coach, "Communication", "m1", Message("m1", "Practitioner/msg-coach", "RelatedPerson/msg-mother", "RelatedPerson/msg-father"), null))
            .Status.ShouldBe(HttpStatusCode.OK);
        (await StatusAsync(() => rig.Repository.ReadAsync(PolicyRig.As("msg-father"), "Communication", "m1"))).ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task Every_version_of_a_note_names_who_wrote_it(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await FamilyAsync(db);
        var note = (DocumentReference)PolicyRig.NewResource(Section.Logboek, P);
        // A client cannot choose the writer: the server records the caller.
        note.SetExtension(MessageRules.WrittenBy, new ResourceReference("Person/msg-mother"));
        var created = await rig.Repository.CreateAsync(PolicyRig.As("msg-coach"), "DocumentReference", note, null);
        var first = FhirJson.Parse<DocumentReference>(created.Stored!.Json);
        MessageRules.WriterOf(first).ShouldBe("Person/msg-coach");

        first.Description = "aangevuld";
        await rig.Repository.UpdateAsync(PolicyRig.As("msg-other"), "DocumentReference", first.Id, first, null);

        var history = FhirJson.Parse<Bundle>((await rig.Repository.HistoryAsync(PolicyRig.As("msg-mother"), "DocumentReference", first.Id, [])).Json!);
        history.Entry.Select(e => MessageRules.WriterOf((DocumentReference)e.Resource)).ShouldBe(["Person/msg-other", "Person/msg-coach"]);
    }

    /// <summary>W7: an evaluation or progress note on a plan or goal is written in one's own name (a note without an author
    /// gets the writer's), and only its author changes or removes it; the Portal saves notes by rewriting the whole Goal.</summary>
    [Theory, MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async System.Threading.Tasks.Task A_note_on_a_goal_is_written_in_ones_own_name_and_changed_only_by_its_author(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider);
        await using var rig = await FamilyAsync(db);
        await rig.PutAsync(Grants.Grant(null, P, "Practitioner/msg-coach", GrantRole.Ondersteuner, [Section.Doelen], write: true));
        await rig.PutAsync(Grants.Grant(null, P, "Practitioner/msg-other", GrantRole.Ondersteuner, [Section.Doelen], write: true));
        var goal = new Goal
        {
            Id = "note-goal", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = new ResourceReference($"Patient/{P}"),
            Description = new CodeableConcept { Text = "Naar school" },
        };
        await rig.PutAsync(goal);
        var coach = PolicyRig.As("msg-coach");
        var other = PolicyRig.As("msg-other");
        async Task<Goal> ReadAsync() => FhirJson.Parse<Goal>((await rig.Repository.ReadAsync(coach, "Goal", "note-goal")).Stored!.Json);

        // In someone else's name: refused, in Dutch. Without an author: the writer's own name is put on it.
        var forged = await ReadAsync();
        forged.Note.Add(new Annotation { Author = new ResourceReference("RelatedPerson/msg-mother"), Text = new Markdown("Moeder vindt het goed") });
        var refused = await Should.ThrowAsync<FhirException>(() => rig.Repository.UpdateAsync(coach, "Goal", "note-goal", forged, null));
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.Message.ShouldContain("eigen naam");
        var unsigned = await ReadAsync();
        unsigned.Note.Add(new Annotation { Text = new Markdown("Gaat goed") });
        await rig.Repository.UpdateAsync(coach, "Goal", "note-goal", unsigned, null);
        var stored = await ReadAsync();
        stored.Note.Single().Author.ShouldBeOfType<ResourceReference>().Reference.ShouldBe("Person/msg-coach");

        // Another writer of doelen may add their own note and change the goal, but not rewrite or remove the coach's note.
        var rewritten = await ReadAsync();
        rewritten.Note[0].Text = new Markdown("Gaat slecht");
        (await Should.ThrowAsync<FhirException>(() => rig.Repository.UpdateAsync(other, "Goal", "note-goal", rewritten, null))).Status.ShouldBe(HttpStatusCode.Forbidden);
        var removed = await ReadAsync();
        removed.Note.Clear();
        (await Should.ThrowAsync<FhirException>(() => rig.Repository.UpdateAsync(other, "Goal", "note-goal", removed, null))).Status.ShouldBe(HttpStatusCode.Forbidden);
        var added = await ReadAsync();
        added.LifecycleStatus = Goal.GoalLifecycleStatus.Completed;
        added.Note.Add(new Annotation { Author = new ResourceReference("Practitioner/msg-other"), Text = new Markdown("Bereikt") });
        await rig.Repository.UpdateAsync(other, "Goal", "note-goal", added, null);
        (await ReadAsync()).Note.Select(n => n.Text).ShouldBe(["Gaat goed", "Bereikt"]);

        // The author may correct their own note.
        var corrected = await ReadAsync();
        corrected.Note[0].Text = new Markdown("Gaat heel goed");
        await rig.Repository.UpdateAsync(coach, "Goal", "note-goal", corrected, null);
        (await ReadAsync()).Note[0].Text.ShouldBe("Gaat heel goed");
    }
}
