using Pgo.Shared.Codes;
using System.Net;
using System.Net.Http.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pgo.Api.Invitations;
using Pgo.Api.Notifications;
using Pgo.Api.Notifications.Rules;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Storage;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Api.Tests.Notifications.RulesFamily;
using Task = System.Threading.Tasks.Task;

namespace Pgo.Api.Tests.Notifications;

/// <summary>
/// Who is told what as changes happen (Api/Notifications/Rules): the dossier's audience, then per candidate the same
/// access decision as a read by them. The refusals: a hidden item, a section one lacks, a revoked person, a message
/// to others; and the delivery: two dispatchers on one database store each notification once, a restart loses nothing.
/// On SQLite and PostgreSQL.
/// </summary>
public class RulesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // ---------------------------------------------------------------- helpers

    private static NotificationDispatcher Dispatcher(ApiFactory api) => api.Services.GetRequiredService<NotificationDispatcher>();

    /// <summary>Handles every committed change now (the hosted dispatcher may have done part: one drain at a time).</summary>
    private static async Task DrainAsync(ApiFactory api)
    {
        while (await Dispatcher(api).DrainOnceAsync(Cancel) > 0) { }
    }

    /// <summary>Every notification stored for the person (read or not, visible in the list or not).</summary>
    private static async Task<List<StoredNotification>> StoredAsync(ApiFactory api, string person) =>
        (await api.Services.GetRequiredService<INotificationStore>().ListNotificationsAsync(person, false, null, 500, Cancel)).ToList();

    private static async Task<List<StoredNotification>> OfKindAsync(ApiFactory api, string person, string kind, string? item = null) =>
        (await StoredAsync(api, person)).Where(n => n.Kind == kind && (item is null || n.Item == item)).ToList();

    private static async Task<ApiFactory> StartAsync(string provider)
    {
        var api = new ApiFactory(provider);
        await api.KeepOnlyNotificationProducersAsync(typeof(Pgo.Api.Notifications.Rules.NotificationDispatcher));
        await SeedAsync(api.CreateClient());
        await DrainAsync(api);
        return api;
    }

    /// <summary>Creates as a person (who may not choose the id); returns the id the server gave.</summary>
    private static async Task<string> CreatedAsync(HttpClient client, Resource r)
    {
        var response = await client.PostAsync($"/fhir/{r.TypeName}", r);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadAs<Resource>()).Id;
    }

    private static Hl7.Fhir.Model.DocumentReference Document(string id, string section) => new()
    {
        Id = id,
        Status = DocumentReferenceStatus.Current,
        Subject = new ResourceReference($"Patient/{Child}"),
        Description = "Geheime documenttitel",
        Category = [new CodeableConcept(PgoCodes.Section.System, section)],
        Content = [new Hl7.Fhir.Model.DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/plain", Data = "x"u8.ToArray() } }],
    };

    // ---------------------------------------------------------------- the audience

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_audience_of_a_dossier_is_everyone_acting_as_an_actor_of_its_grants_and_the_client(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        await SeedAsync(system);
        var platform = api.Services.GetRequiredService<FhirRepository>().AsPlatform(PlatformPurpose.Notifications);

        // The parent (RelatedPerson), the supporters (Practitioner), the Wmo officer (through the municipality's share
        // package and her PractitionerRole) and the client's own Person; never the stranger.
        (await platform.DossierAudienceAsync(Child, Cancel)).ShouldBe([Client, Coach, Parent, Supporter, Wmo], ignoreOrder: true);

        // A deleted grant no longer names its actor; another dossier has its own audience.
        (await system.DeleteAsync($"/fhir/Consent/{CoachGrant}", Cancel)).EnsureSuccessStatusCode();
        (await platform.DossierAudienceAsync(Child, Cancel)).ShouldNotContain(Coach);
        (await platform.DossierAudienceAsync("nt-other", Cancel)).ShouldBeEmpty();

        (await platform.PersonsActingAsAsync(["Organization/nt-gemeente", "RelatedPerson/nt-parent", "Practitioner/nobody"], Cancel))
            .ShouldBe([Parent, Wmo], ignoreOrder: true);
    }

    // ---------------------------------------------------------------- who is told what

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task An_agreement_a_message_a_document_and_a_goal_reach_the_people_they_concern_and_not_their_author(string provider)
    {
        await using var api = await StartAsync(provider);
        var ricardo = api.ClientAs(Supporter);

        // Ricardo gives Tessa an agreement: she is told, by name of the one who gave it; he is not.
        var taskId = await CreatedAsync(ricardo, Agreement("nt-task", "Geheime afspraaktekst", "RelatedPerson/nt-parent"));
        // A message from Ricardo to Tessa; a document filed in documenten.
        await CreatedAsync(ricardo, Message("Practitioner/nt-supporter", "RelatedPerson/nt-parent"));
        await CreatedAsync(ricardo, Document("nt-doc", PgoCodes.Section.Documenten));
        await DrainAsync(api);

        var given = (await OfKindAsync(api, Parent, NotificationKinds.AgreementAssigned)).ShouldHaveSingleItem();
        (given.Item, given.PatientId, given.Actor, given.ActorName).ShouldBe(($"Task/{taskId}", Child, Supporter, "Ricardo Bondgenoot"));
        (await OfKindAsync(api, Parent, NotificationKinds.Message)).ShouldHaveSingleItem();
        (await OfKindAsync(api, Parent, NotificationKinds.DocumentShared)).ShouldHaveSingleItem();
        // The client (14) reads the documents of her dossier; the coach (doelen only) and the Wmo officer (one goal) do not.
        (await OfKindAsync(api, Client, NotificationKinds.DocumentShared)).ShouldHaveSingleItem();
        (await OfKindAsync(api, Coach, NotificationKinds.DocumentShared)).ShouldBeEmpty();
        (await OfKindAsync(api, Wmo, NotificationKinds.DocumentShared)).ShouldBeEmpty();
        (await StoredAsync(api, Supporter)).Where(n => n.Kind is not (NotificationKinds.AccessGranted)).ShouldBeEmpty();

        // A new version with the same owner tells nobody again.
        var task = Agreement(taskId, "Geheime afspraaktekst, bijgewerkt", "RelatedPerson/nt-parent");
        await PutAsync(ricardo, task);
        await DrainAsync(api);
        (await OfKindAsync(api, Parent, NotificationKinds.AgreementAssigned)).Count.ShouldBe(1);

        // The coach changes a goal: the regiehouder (who manages access) is told; Ricardo, who does not follow it, is not.
        var coach = api.ClientAs(Coach);
        await PutAsync(coach, Goal("nt-goal", "Zelf naar school fietsen, twee keer per week"));
        await DrainAsync(api);
        (await OfKindAsync(api, Parent, NotificationKinds.GoalChanged, "Goal/nt-goal")).Where(n => n.Actor == Coach).ShouldHaveSingleItem();
        (await OfKindAsync(api, Supporter, NotificationKinds.GoalChanged)).ShouldBeEmpty();
        (await OfKindAsync(api, Coach, NotificationKinds.GoalChanged)).ShouldBeEmpty();

        // Having written a version, the coach follows it: Ricardo's change reaches her. Ricardo follows it by hand too.
        (await ricardo.PutAsync($"/api/dossiers/{Child}/follow?item=Goal/nt-goal-shared", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PutAsync(ricardo, Goal("nt-goal", "Zelf naar school fietsen, elke dag"));
        await PutAsync(coach, Goal("nt-goal-shared", "Een bijbaan vinden in de buurt"));
        await DrainAsync(api);
        (await OfKindAsync(api, Coach, NotificationKinds.GoalChanged, "Goal/nt-goal")).ShouldHaveSingleItem();
        (await OfKindAsync(api, Supporter, NotificationKinds.GoalChanged, "Goal/nt-goal-shared")).ShouldHaveSingleItem();
        var follows = await ricardo.GetFromJsonAsync<FollowedItems>($"/api/dossiers/{Child}/follows", Cancel);
        follows!.Items.ShouldBe(["Goal/nt-goal", "Goal/nt-goal-shared"]);

        // A notification keeps references and names, never content.
        foreach (var person in new[] { Parent, Client, Coach, Supporter })
        foreach (var n in await StoredAsync(api, person))
            System.Text.Json.JsonSerializer.Serialize(n).ShouldNotContain("Geheime");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_message_reaches_only_its_participants(string provider)
    {
        await using var api = await StartAsync(provider);
        var tessa = api.ClientAs(Parent);

        // Tessa (regiehouder, berichten) writes to her daughter only: Ricardo holds berichten but takes no part.
        await CreatedAsync(tessa, Message("RelatedPerson/nt-parent", $"Patient/{Child}"));
        await DrainAsync(api);
        (await OfKindAsync(api, Client, NotificationKinds.Message)).ShouldHaveSingleItem();
        (await OfKindAsync(api, Supporter, NotificationKinds.Message)).ShouldBeEmpty();
        (await OfKindAsync(api, Parent, NotificationKinds.Message)).ShouldBeEmpty();

        // Then to Ricardo: he is told, the daughter not again.
        await CreatedAsync(tessa, Message("RelatedPerson/nt-parent", "Practitioner/nt-supporter"));
        await DrainAsync(api);
        (await OfKindAsync(api, Supporter, NotificationKinds.Message)).ShouldHaveSingleItem();
        (await OfKindAsync(api, Client, NotificationKinds.Message)).Count.ShouldBe(1);
        // The coach (no berichten) named as a recipient still hears nothing: she may not read it.
        await CreatedAsync(tessa, Message("RelatedPerson/nt-parent", "Practitioner/nt-coach"));
        await DrainAsync(api);
        (await OfKindAsync(api, Coach, NotificationKinds.Message)).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_grant_given_changed_and_ended_tells_its_holder_and_the_end_names_only_the_family(string provider)
    {
        await using var api = await StartAsync(provider);
        var tessa = api.ClientAs(Parent);

        var grantId = await CreatedAsync(tessa, Grants.Grant(null, Child, "Practitioner/nt-stranger", PgoCodes.GrantRole.Ondersteuner, [PgoCodes.Section.Doelen]));
        await DrainAsync(api);
        var given = (await OfKindAsync(api, Stranger, NotificationKinds.AccessGranted)).ShouldHaveSingleItem();
        (given.Item, given.Section, given.Actor).ShouldBe(($"Consent/{grantId}", PgoCodes.Section.Toegang, Parent));

        var wider = Grants.Grant(grantId, Child, "Practitioner/nt-stranger", PgoCodes.GrantRole.Ondersteuner, [PgoCodes.Section.Doelen, PgoCodes.Section.Afspraken]);
        await PutAsync(tessa, wider);
        await DrainAsync(api);
        (await OfKindAsync(api, Stranger, NotificationKinds.AccessChanged)).ShouldHaveSingleItem();

        (await tessa.DeleteAsync($"/api/dossiers/{Child}/access/grants/{grantId}", Cancel)).IsSuccessStatusCode.ShouldBeTrue();
        await DrainAsync(api);
        var ended = (await OfKindAsync(api, Stranger, NotificationKinds.AccessEnded)).ShouldHaveSingleItem();
        (ended.PatientId, ended.Item).ShouldBe((Child, null));
        // The one who gave, changed and ended it is told none of it.
        (await StoredAsync(api, Parent)).Where(n => n.Item == $"Consent/{grantId}" || n.Kind == NotificationKinds.AccessEnded).ShouldBeEmpty();
        // What the bell lists: the ending, naming the family, though the dossier is no longer theirs to see.
        var list = await api.ClientAs(Stranger).GetFromJsonAsync<NotificationList>("/api/notifications", Cancel);
        list!.Items.ShouldHaveSingleItem().Kind.ShouldBe(NotificationKinds.AccessEnded);
        list.Items[0].DossierName.ShouldBe("Jesse Strikwerda");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_plan_change_reaches_who_follow_it_until_they_stop(string provider)
    {
        await using var api = await StartAsync(provider);
        var tessa = api.ClientAs(Parent);
        var ricardo = api.ClientAs(Supporter);
        CarePlan Plan(string? id, string title) => new()
        {
            Id = id,
            Status = RequestStatus.Active,
            Intent = CarePlan.CarePlanIntent.Plan,
            Subject = new ResourceReference($"Patient/{Child}"),
            Title = title,
        };

        var planId = await CreatedAsync(tessa, Plan(null, "Geheim plan"));
        await DrainAsync(api);
        // Tessa wrote it (and follows it now); Ricardo reads plans but does not follow this one; the coach lacks plan.
        (await OfKindAsync(api, Supporter, NotificationKinds.PlanChanged)).ShouldBeEmpty();
        (await api.ClientAs(Coach).PutAsync($"/api/dossiers/{Child}/follow?item=CarePlan/{planId}", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await ricardo.PutAsync($"/api/dossiers/{Child}/follow?item=CarePlan/{planId}", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PutAsync(tessa, Plan(planId, "Geheim plan, versie 2"));
        await DrainAsync(api);
        (await OfKindAsync(api, Supporter, NotificationKinds.PlanChanged, $"CarePlan/{planId}")).ShouldHaveSingleItem();
        (await OfKindAsync(api, Client, NotificationKinds.PlanChanged)).ShouldBeEmpty(); // 14: reads, does not manage

        (await ricardo.DeleteAsync($"/api/dossiers/{Child}/follow?item=CarePlan/{planId}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PutAsync(tessa, Plan(planId, "Geheim plan, versie 3"));
        await DrainAsync(api);
        (await OfKindAsync(api, Supporter, NotificationKinds.PlanChanged)).Count.ShouldBe(1);
        // Ricardo writes a version: then Tessa (who manages access) hears of it.
        await PutAsync(ricardo, Plan(planId, "Geheim plan, versie 4"));
        await DrainAsync(api);
        (await OfKindAsync(api, Parent, NotificationKinds.PlanChanged, $"CarePlan/{planId}")).ShouldHaveSingleItem().Actor.ShouldBe(Supporter);
    }

    // ---------------------------------------------------------------- refusals

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Nobody_is_told_about_a_hidden_item_or_a_section_they_lack(string provider)
    {
        await using var api = await StartAsync(provider);
        var system = api.CreateClient();
        var coach = api.ClientAs(Coach);
        var ricardo = api.ClientAs(Supporter);

        // The coach follows the goal; then Tessa hides it from her.
        (await coach.PutAsync($"/api/dossiers/{Child}/follow?item=Goal/nt-goal", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PutAsync(system, Grants.Hide("nt-hide", Child, "Goal/nt-goal", "Practitioner/nt-coach"));
        await PutAsync(ricardo, Goal("nt-goal", "Verborgen doel, gewijzigd"));
        // An agreement for the coach, who lacks afspraken; a document, a section she lacks.
        await CreatedAsync(ricardo, Agreement("nt-task-coach", "Afspraak voor de coach", "Practitioner/nt-coach"));
        await CreatedAsync(ricardo, Document("nt-doc-2", PgoCodes.Section.Documenten));
        await DrainAsync(api);

        (await OfKindAsync(api, Coach, NotificationKinds.GoalChanged)).ShouldBeEmpty();
        (await OfKindAsync(api, Coach, NotificationKinds.AgreementAssigned)).ShouldBeEmpty();
        (await OfKindAsync(api, Coach, NotificationKinds.DocumentShared)).ShouldBeEmpty();
        // Tessa still hears of the goal (a hide works against the coach only).
        (await OfKindAsync(api, Parent, NotificationKinds.GoalChanged, "Goal/nt-goal")).Where(n => n.Actor == Supporter).ShouldHaveSingleItem();
        // Hiding is not announced to the one it hides from.
        (await StoredAsync(api, Coach)).Where(n => n.Item == "Consent/nt-hide" || n.Kind == NotificationKinds.AccessChanged).ShouldBeEmpty();

        // Following needs read access: a hidden goal and a stranger's request answer the same 404; only goals and plans.
        (await coach.PutAsync($"/api/dossiers/{Child}/follow?item=Goal/nt-goal", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await coach.PutAsync($"/api/dossiers/{Child}/follow?item=Goal/nt-missing", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs(Stranger).PutAsync($"/api/dossiers/{Child}/follow?item=Goal/nt-goal-shared", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ricardo.PutAsync($"/api/dossiers/{Child}/follow?item=Task/nt-task-coach", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await coach.GetFromJsonAsync<FollowedItems>($"/api/dossiers/{Child}/follows", Cancel))!.Items.ShouldBeEmpty();
        (await api.ClientAs(Stranger).GetAsync($"/api/dossiers/{Child}/follows", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_revoked_person_is_told_nothing_after_the_revocation(string provider)
    {
        await using var api = await StartAsync(provider);
        var tessa = api.ClientAs(Parent);
        var ricardo = api.ClientAs(Supporter);
        (await ricardo.PutAsync($"/api/dossiers/{Child}/follow?item=Goal/nt-goal", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = (await StoredAsync(api, Supporter)).Count;

        // Tessa ends Ricardo's grant: he is told it ended (naming the family only, no item he can no longer open).
        (await tessa.DeleteAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}", Cancel)).IsSuccessStatusCode.ShouldBeTrue();
        // After it: a message to him, an agreement for him, a change to the goal he followed, a document.
        await CreatedAsync(tessa, Message("RelatedPerson/nt-parent", "Practitioner/nt-supporter"));
        await CreatedAsync(tessa, Agreement("nt-task-late", "Na het intrekken", "Practitioner/nt-supporter"));
        await PutAsync(tessa, Goal("nt-goal", "Na het intrekken gewijzigd"));
        await CreatedAsync(tessa, Document("nt-doc-late", PgoCodes.Section.Documenten));
        await DrainAsync(api);

        var after = await StoredAsync(api, Supporter);
        var ended = after.Where(n => n.Kind == NotificationKinds.AccessEnded).ShouldHaveSingleItem();
        (ended.PatientId, ended.Item).ShouldBe((Child, null));
        after.Count.ShouldBe(before + 1);
        // Tessa, who ended it, is not told.
        (await OfKindAsync(api, Parent, NotificationKinds.AccessEnded)).ShouldBeEmpty();
    }

    // ---------------------------------------------------------------- delivery

    /// <summary>Two Api instances on one database: SQLite in one data folder, or one PostgreSQL database.</summary>
    private sealed class SharedStorage : IAsyncDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("pgo-rules-").FullName;
        private readonly string? _pgAdmin;
        private readonly string? _pgDatabase;
        private readonly Dictionary<string, string?> _settings = new();

        public SharedStorage(string provider)
        {
            if (provider != "postgres") return;
            _pgAdmin = Needs.Postgres();
            _pgDatabase = "pgo_rules_" + Guid.NewGuid().ToString("N")[..12];
            using (var conn = new NpgsqlConnection(_pgAdmin))
            {
                conn.Open();
                using var cmd = new NpgsqlCommand($"CREATE DATABASE {_pgDatabase}", conn);
                cmd.ExecuteNonQuery();
            }
            _settings["ConnectionStrings:Fhir"] = new NpgsqlConnectionStringBuilder(_pgAdmin) { Database = _pgDatabase }.ToString();
        }

        public ApiFactory Instance() => new(dataDir: _dir, settings: _settings);

        public async ValueTask DisposeAsync()
        {
            if (_pgDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var conn = new NpgsqlConnection(_pgAdmin);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", conn);
                await cmd.ExecuteNonQueryAsync();
            }
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Two_dispatchers_on_one_database_store_each_notification_once(string provider)
    {
        await using var storage = new SharedStorage(provider);
        await using var a = storage.Instance();
        await using var b = storage.Instance();
        await SeedAsync(a.CreateClient());
        _ = b.Server; // the second instance runs too, its dispatcher on the same outbox and cursor
        var ricardo = a.ClientAs(Supporter);
        for (var i = 0; i < 10; i++)
            await CreatedAsync(ricardo, Message("Practitioner/nt-supporter", "RelatedPerson/nt-parent"));

        // Both handle the same changes at the same time (besides their own hosted loops).
        await Task.WhenAll(DrainAsync(a), DrainAsync(b), DrainAsync(a), DrainAsync(b));

        var messages = await OfKindAsync(a, Parent, NotificationKinds.Message);
        messages.Count.ShouldBe(10);
        messages.Select(n => n.Item).Distinct().Count().ShouldBe(10);
        (await OfKindAsync(b, Parent, NotificationKinds.Message)).Count.ShouldBe(10);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_dispatcher_restarted_mid_way_loses_nothing_and_stores_nothing_twice(string provider)
    {
        await using var storage = new SharedStorage(provider);
        long cursor;
        await using (var first = storage.Instance())
        {
            await SeedAsync(first.CreateClient());
            await DrainAsync(first);
            var dispatcher = Dispatcher(first);
            await dispatcher.StopAsync(Cancel); // only this test drives it from here
            var store = first.Services.GetRequiredService<INotificationStore>();
            cursor = (await store.NotificationCursorAsync(NotificationDispatcher.Consumer, Cancel))!.Value;

            var ricardo = first.ClientAs(Supporter);
            for (var i = 0; i < 4; i++)
                await CreatedAsync(ricardo, Message("Practitioner/nt-supporter", "RelatedPerson/nt-parent"));

            // The instance "crashes" after the second change's notifications are stored, before the cursor moves.
            var handled = 0;
            dispatcher.AfterChange = _ => ++handled == 2 ? throw new InvalidOperationException("crash") : Task.CompletedTask;
            await Should.ThrowAsync<InvalidOperationException>(() => dispatcher.DrainOnceAsync(Cancel));
            (await OfKindAsync(first, Parent, NotificationKinds.Message)).Count.ShouldBe(2);
            (await store.NotificationCursorAsync(NotificationDispatcher.Consumer, Cancel)).ShouldBe(cursor);
        }

        // Restarted: it goes on from the persisted cursor (not from the outbox's end), adds the two missing, repeats none.
        await using var second = storage.Instance();
        _ = second.Server;
        await DrainAsync(second);
        var messages = await OfKindAsync(second, Parent, NotificationKinds.Message);
        messages.Count.ShouldBe(4);
        messages.Select(n => n.Item).Distinct().Count().ShouldBe(4);
        (await second.Services.GetRequiredService<INotificationStore>().NotificationCursorAsync(NotificationDispatcher.Consumer, Cancel))!.Value.ShouldBeGreaterThan(cursor);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_timeout_inside_a_round_is_a_failed_round_and_the_host_keeps_serving(string provider)
    {
        // A library's timeout surfaces as a TaskCanceledException that is not the host's own stop. It once escaped a
        // background loop's "not OperationCanceledException" filter, and the host stopped itself mid-test.
        await using var api = await StartAsync(provider);
        var dispatcher = Dispatcher(api);
        var rounds = 0;
        dispatcher.AfterChange = _ => Interlocked.Increment(ref rounds) == 1 ? throw new TaskCanceledException("a library's timeout") : Task.CompletedTask;

        await CreatedAsync(api.ClientAs(Supporter), Message("Practitioner/nt-supporter", "RelatedPerson/nt-parent"));

        // The hosted loop (not this test) logs the failed round and handles the change again at its next round.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref rounds) < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(50, Cancel);
        rounds.ShouldBeGreaterThan(1);
        (await OfKindAsync(api, Parent, NotificationKinds.Message)).Count.ShouldBe(1);
        (await api.CreateClient().GetAsync("/health/live", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // ---------------------------------------------------------------- invitations

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_inviter_is_told_once_when_an_invitation_is_accepted(string provider)
    {
        await using var api = await StartAsync(provider);
        var grants = ActivatorUtilities.CreateInstance<InvitationGrants>(api.Services);
        var item = new AcceptedInvitation("nt-inv", "oma@example.org", "family", $"Patient/{Child}", null, ["doelen"], "read", null, "accepted",
            DateTime.UtcNow, "sub-oma", "Person/nt-oma", new Inviter("sub-tessa", "Tessa", Parent), "pgo-portal", "Oma Strikwerda");

        (await grants.ApplyAsync(item, Cancel)).ShouldBe(InvitationGrants.Result.Granted);
        (await grants.ApplyAsync(item, Cancel)).ShouldBe(InvitationGrants.Result.Granted); // the feed handles it again
        await DrainAsync(api);

        var told = (await OfKindAsync(api, Parent, NotificationKinds.InvitationAccepted)).ShouldHaveSingleItem();
        (told.PatientId, told.Actor, told.ActorName).ShouldBe((Child, "Person/nt-oma", "Oma Strikwerda"));
        // The new family member hears that she got access.
        (await OfKindAsync(api, "Person/nt-oma", NotificationKinds.AccessGranted)).ShouldHaveSingleItem();
    }
}
