using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Realtime;
using Pgo.Api.Realtime.CoWriting;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Api.Tests.Realtime.LiveFamily;

namespace Pgo.Api.Tests.Realtime;

/// <summary>Decision W6 through the Api: the live feed announces a message only to its participants, a person sends only
/// as themselves, and every version of a logbook note says who wrote it (by name).</summary>
public class MessageAndNoteAuthorTests
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>The live family, with names, and the supporter allowed to read and write berichten and logboek too.</summary>
    private static async System.Threading.Tasks.Task SeedWithBerichtenAsync(HttpClient system)
    {
        await SeedAsync(system);
        await PutAsync(system, new RelatedPerson { Id = "rt-parent", Patient = new ResourceReference($"Patient/{Child}"), Name = [new HumanName { Text = "Sanne Live" }] });
        await PutAsync(system, new Practitioner { Id = "rt-supporter", Name = [new HumanName { Text = "Bram Begeleider" }] });
        await PutAsync(system, Grants.Grant(SupportGrant, Child, "Practitioner/rt-supporter", PgoCodes.GrantRole.Ondersteuner,
            [PgoCodes.Section.Doelen, PgoCodes.Section.Berichten, PgoCodes.Section.Logboek], write: true));
    }

    private static Communication Message(string sender, params string[] recipients) => new()
    {
        Status = EventStatus.Completed,
        Subject = new ResourceReference($"Patient/{Child}"),
        Sender = new ResourceReference(sender),
        Recipient = recipients.Select(r => new ResourceReference(r)).ToList(),
        Payload = [new Communication.PayloadComponent { Content = new FhirString("Tot morgen") }],
    };

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_live_feed_announces_a_message_only_to_its_participants(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        await SeedWithBerichtenAsync(system);
        await using var supporter = LiveClient.InProcess(api, TestTokens.Person(Supporter));
        await using var parent = LiveClient.InProcess(api, TestTokens.Person(Parent));
        await supporter.StartAndJoinAsync(Child);
        await parent.StartAndJoinAsync(Child);

        // A message the parent (a regiehouder) writes to nobody but herself: the supporter holds berichten, but does not take part.
        (await api.ClientAs(Parent).PostAsync("/fhir/Communication", Message("RelatedPerson/rt-parent", $"Patient/{Child}"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        // Then one to the supporter; then a goal, so that the supporter's feed shows what came before it.
        (await api.ClientAs(Parent).PostAsync("/fhir/Communication", Message("RelatedPerson/rt-parent", "Practitioner/rt-supporter"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await PutAsync(system, Goal("rt-goal", "Zwemmen"));

        var first = await supporter.NextChangeAsync();
        (first.ResourceType, first.Section).ShouldBe(("Communication", "berichten"));
        var second = await supporter.NextChangeAsync();
        second.ResourceType.ShouldBe("Goal");
        (await parent.NextChangeAsync()).ResourceType.ShouldBe("Communication");
        var own = await parent.NextChangeAsync();
        own.Id.ShouldBe(first.Id);
        own.Cursor.ShouldBe(first.Cursor);

        // Replaying from the start tells the supporter the same: only the message addressed to him.
        await using var again = LiveClient.InProcess(api, TestTokens.Person(Supporter));
        var replay = await again.StartAndJoinAsync(Child, after: 0);
        var replayed = Enumerable.Range(0, replay.Replayed).Select(_ => again.NextChangeAsync()).ToList();
        var messages = new List<ChangeMessage>();
        foreach (var m in replayed) messages.Add(await m);
        messages.Where(m => m.ResourceType == "Communication").Select(m => m.Id).ShouldBe([first.Id]);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_subscription_on_messages_notifies_only_of_those_its_owner_takes_part_in()
    {
        await using var hook = new SubscriptionTests.HookListener(HttpStatusCode.OK);
        await using var api = new ApiFactory();
        await SeedWithBerichtenAsync(api.CreateClient());
        var subscription = new Subscription
        {
            Status = Subscription.SubscriptionStatus.Requested,
            Reason = "test",
            Criteria = $"Communication?patient={Child}",
            Channel = new Subscription.ChannelComponent { Type = Subscription.SubscriptionChannelType.RestHook, Endpoint = hook.Url + "berichten", Payload = "application/fhir+json" },
        };
        (await api.ClientAs(Supporter).PostAsync("/fhir/Subscription", subscription)).StatusCode.ShouldBe(HttpStatusCode.Created);

        // Handled in commit order: when the second message arrives, the first (not to him) has been handled and did not notify.
        var parent = api.ClientAs(Parent);
        var notForHim = Message("RelatedPerson/rt-parent", $"Patient/{Child}");
        notForHim.Payload = [new Communication.PayloadComponent { Content = new FhirString("Alleen voor ons") }];
        (await parent.PostAsync("/fhir/Communication", notForHim)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await parent.PostAsync("/fhir/Communication", Message("RelatedPerson/rt-parent", "Practitioner/rt-supporter"))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var received = await hook.NextAsync();
        received.Body.ShouldContain("Tot morgen");
        received.Body.ShouldNotContain("Alleen voor ons");
        hook.Drain().ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_person_cannot_send_a_message_as_someone_else(string provider)
    {
        await using var api = new ApiFactory(provider);
        await SeedWithBerichtenAsync(api.CreateClient());
        var forged = await api.ClientAs(Supporter).PostAsync("/fhir/Communication", Message("RelatedPerson/rt-parent", "Practitioner/rt-supporter"));
        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forged.Content.ReadAsStringAsync()).ShouldContain("namens uzelf");
        (await api.ClientAs(Supporter).PostAsync("/fhir/Communication", Message("Practitioner/rt-supporter", "RelatedPerson/rt-parent"))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_note_edited_by_a_second_person_names_both_writers_per_version(string provider)
    {
        await using var api = new ApiFactory(provider);
        await SeedWithBerichtenAsync(api.CreateClient());
        var url = $"/api/dossiers/{Child}/notes";
        var created = await api.ClientAs(Parent).PostAsJsonAsync(url, new { text = "Jesse slaapt slecht.", title = "Overleg" }, Json);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var note = (await created.Content.ReadFromJsonAsync<NoteView>(Json))!;
        (note.WrittenBy, note.WriterName).ShouldBe((Parent, "Sanne Live"));

        var saved = await api.ClientAs(Supporter).PutAsJsonAsync($"{url}/{note.Id}", new { baseVersion = 1, text = "Jesse slaapt slecht. Huisarts gebeld." }, Json);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK);
        var now = (await saved.Content.ReadFromJsonAsync<NoteView>(Json))!;
        (now.Version, now.WrittenBy, now.WriterName).ShouldBe((2, Supporter, "Bram Begeleider"));
        now.WrittenAt.ShouldNotBeNull();

        var versions = (await api.ClientAs(Parent).GetFromJsonAsync<List<NoteVersion>>($"{url}/{note.Id}/versions", Json))!;
        versions.Select(v => (v.Version, v.WriterName, v.Change)).ShouldBe([(2, "Bram Begeleider", "gewijzigd"), (1, "Sanne Live", "aangemaakt")]);
        versions[0].Text.ShouldBe("Jesse slaapt slecht. Huisarts gebeld.");

        // Through /fhir too: the server records the writer, whatever the client claims.
        var doc = await (await api.ClientAs(Supporter).GetAsync($"/fhir/DocumentReference/{note.Id}")).ReadAs<DocumentReference>();
        doc.SetExtension(MessageRules.WrittenBy, new ResourceReference(Parent) { Display = "Sanne Live" });
        (await api.ClientAs(Supporter).PutAsync($"/fhir/DocumentReference/{note.Id}", doc)).StatusCode.ShouldBe(HttpStatusCode.OK);
        versions = (await api.ClientAs(Parent).GetFromJsonAsync<List<NoteVersion>>($"{url}/{note.Id}/versions", Json))!;
        (versions[0].Version, versions[0].WrittenBy, versions[0].WriterName).ShouldBe((3, Supporter, "Bram Begeleider"));

        // Someone who may not read the logbook gets no history.
        (await api.ClientAs(Stranger).GetAsync($"{url}/{note.Id}/versions")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
