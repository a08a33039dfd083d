using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Realtime;
using Pgo.Api.Tests.Fhir;
using static Pgo.Api.Tests.Realtime.LiveFamily;

namespace Pgo.Api.Tests.Realtime;

/// <summary>/hubs/dossier in process: joining is an access decision, changes arrive per section, revocation stops the
/// feed at once, and a reconnecting client gets what it missed from the outbox.</summary>
public class DossierHubTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_supporter_receives_changes_in_the_sections_it_may_see_and_nothing_else(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        await SeedAsync(system);
        await using var supporter = LiveClient.InProcess(api, TestTokens.Person(Supporter));
        await using var parent = LiveClient.InProcess(api, TestTokens.Person(Parent));
        var joined = await supporter.StartAndJoinAsync(Child);
        joined.Complete.ShouldBeTrue();
        await parent.StartAndJoinAsync(Child);

        await PutAsync(system, Note("rt-note", "Logboek: alleen voor de ouder"));
        await PutAsync(system, Goal("rt-goal", "Zwemmen, twee keer per week"));

        // The supporter (doelen only) gets the goal and not the note before it: events arrive in cursor order.
        var goal = await supporter.NextChangeAsync();
        (goal.ResourceType, goal.Id, goal.Version, goal.Change, goal.Section, goal.PatientId).ShouldBe(("Goal", "rt-goal", 2, "update", "doelen", Child));
        goal.Who.ShouldBe("pgo-test-system");
        goal.Summary.ShouldBe("Goal gewijzigd");
        goal.Cursor.ShouldBeGreaterThan(joined.Cursor);

        var note = await parent.NextChangeAsync();
        (note.ResourceType, note.Section).ShouldBe(("DocumentReference", "logboek"));
        var parentGoal = await parent.NextChangeAsync();
        parentGoal.Cursor.ShouldBe(goal.Cursor);
        parentGoal.Cursor.ShouldBeGreaterThan(note.Cursor);
    }

    [Fact]
    public async Task A_change_names_its_author_by_the_record_their_Person_acts_as_which_the_receiver_could_not_read_itself()
    {
        await using var api = new ApiFactory();
        var system = api.CreateClient();
        await SeedAsync(system);
        // The parent's Person has no name; the RelatedPerson it acts as has.
        await PutAsync(system, new Hl7.Fhir.Model.RelatedPerson
        {
            Id = "rt-parent", Patient = new Hl7.Fhir.Model.ResourceReference($"Patient/{Child}"), Name = [new Hl7.Fhir.Model.HumanName { Text = "Sanne Live" }],
        });
        await using var supporter = LiveClient.InProcess(api, TestTokens.Person(Supporter));
        await supporter.StartAndJoinAsync(Child);
        (await api.ClientAs(Supporter).GetAsync("/fhir/Person/rt-parent", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var goal = Goal("rt-goal-named", "Naar de logeeropvang");
        goal.Category = [new Hl7.Fhir.Model.CodeableConcept("https://fhir.pgo-platform.nl/CodeSystem/leefgebied", "mantelzorg-ontlasting")];
        // A person creates with POST (PUT cannot create for people: issue 13, W5).
        goal.Id = null;
        var created = await (await api.ClientAs(Parent).PostAsync("/fhir/Goal", goal)).EnsureSuccessStatusCode().ReadAs<Hl7.Fhir.Model.Goal>();

        var change = await supporter.NextChangeAsync();
        (change.Id, change.Who, change.WhoName).ShouldBe((created.Id, Parent, "Sanne Live"));
    }

    [Fact]
    public async Task A_stranger_cannot_join_a_dossier()
    {
        await using var api = new ApiFactory();
        await SeedAsync(api.CreateClient());
        await using var stranger = LiveClient.InProcess(api, TestTokens.Person(Stranger));
        var refused = await Should.ThrowAsync<HubException>(() => stranger.StartAndJoinAsync(Child));
        refused.Message.ShouldContain("niet met u gedeeld");
        api.Services.GetRequiredService<LiveConnections>().JoinedTo(Child).ShouldBeEmpty();

        // Without a token there is no connection at all.
        await using var anonymous = LiveClient.InProcess(api, "");
        await Should.ThrowAsync<HttpRequestException>(() => anonymous.Connection.StartAsync());
    }

    [Fact]
    public async Task A_hub_refusal_speaks_the_language_of_the_connection_whatever_the_culture_of_the_invocation()
    {
        await using var api = new ApiFactory();
        await SeedAsync(api.CreateClient());
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            // The test's own culture is the other language each time: the text must follow the connection only.
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("nl");
            await using var english = LiveClient.InProcess(api, TestTokens.Person(Stranger), "en");
            (await Should.ThrowAsync<HubException>(() => english.StartAndJoinAsync(Child))).Message.ShouldContain("has not been shared with you");
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en");
            await using var dutch = LiveClient.InProcess(api, TestTokens.Person(Stranger), "nl");
            (await Should.ThrowAsync<HubException>(() => dutch.StartAndJoinAsync(Child))).Message.ShouldContain("niet met u gedeeld");
            // A later invocation on the same connection (another poll request) keeps the connection's language.
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("nl");
            (await Should.ThrowAsync<HubException>(() => english.Connection.InvokeAsync<JoinResult>("JoinDossier", Child, null))).Message.ShouldContain("has not been shared with you");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Revoking_the_grant_removes_the_connection_from_the_feed_at_once(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        await SeedAsync(system);
        await using var supporter = LiveClient.InProcess(api, TestTokens.Person(Supporter));
        await using var parent = LiveClient.InProcess(api, TestTokens.Person(Parent));
        await supporter.StartAndJoinAsync(Child);
        await parent.StartAndJoinAsync(Child);

        await PutAsync(system, Goal("rt-goal", "Voor het intrekken"));
        (await supporter.NextChangeAsync()).Version.ShouldBe(2);
        (await parent.NextChangeAsync()).Version.ShouldBe(2);

        var parentHttp = api.ClientAs(Parent);
        (await parentHttp.DeleteAsync($"/api/dossiers/{Child}/access/grants/{SupportGrant}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var (name, body) = await supporter.NextAsync();
        name.ShouldBe(LiveEvents.AccessRevoked);
        body.GetProperty("patientId").GetString().ShouldBe(Child);
        api.Services.GetRequiredService<LiveConnections>().JoinedTo(Child).Count().ShouldBe(1); // only the parent

        // The next goal change reaches the parent; the supporter gets nothing more (its own call after that returns
        // after anything sent to it before, on the same connection).
        await PutAsync(system, Goal("rt-goal", "Na het intrekken"));
        (await parent.NextChangeAsync()).ResourceType.ShouldBe("Consent");
        (await parent.NextChangeAsync()).Version.ShouldBe(3);
        await Should.ThrowAsync<HubException>(() => supporter.Connection.InvokeAsync<JoinResult>("JoinDossier", Child, null));
        supporter.Drain().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_grant_that_ends_by_date_stops_the_feed_without_any_write()
    {
        var clock = new MutableClock(DateTimeOffset.UtcNow);
        await using var api = new ApiFactory(clock: clock, settings: new Dictionary<string, string?> { ["Realtime:RecheckInterval"] = "00:00:00.200" });
        var system = api.CreateClient();
        await SeedAsync(system);
        // A temporary helper with a grant on doelen that ends tomorrow.
        await PutAsync(system, new Hl7.Fhir.Model.Practitioner { Id = "rt-temp" });
        await PutAsync(system, new Hl7.Fhir.Model.Person { Id = "rt-temp", Link = [new() { Target = new("Practitioner/rt-temp") }] });
        await PutAsync(system, Pgo.Fhir.Access.Grants.Grant("rt-temp-grant", Child, "Practitioner/rt-temp", Pgo.Fhir.Access.PgoCodes.GrantRole.Ondersteuner,
            [Pgo.Fhir.Access.PgoCodes.Section.Doelen], until: clock.GetUtcNow().AddDays(1)));
        // The token outlives the grant: what ends the feed is the grant's period.
        var token = TestTokens.Create("account-rt-temp", "Person/rt-temp", "openid fhirUser user/*.cruds", "pgo-portal", expires: DateTime.UtcNow.AddDays(30));
        await using var supporter = LiveClient.InProcess(api, token);
        await supporter.StartAndJoinAsync(Child);

        clock.Advance(TimeSpan.FromDays(3));
        var (name, body) = await supporter.NextAsync();
        name.ShouldBe(LiveEvents.AccessRevoked);
        body.GetProperty("patientId").GetString().ShouldBe(Child);
        api.Services.GetRequiredService<LiveConnections>().JoinedTo(Child).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_reconnecting_client_gets_what_it_missed_filtered_by_access_then_live_changes(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        await SeedAsync(system);
        long seen;
        await using (var first = LiveClient.InProcess(api, TestTokens.Person(Supporter)))
        {
            await first.StartAndJoinAsync(Child);
            await PutAsync(system, Goal("rt-goal", "Versie 2"));
            seen = (await first.NextChangeAsync()).Cursor;
        }

        // While the client is away: two goal changes and a note it may not see.
        await PutAsync(system, Goal("rt-goal", "Versie 3"));
        await PutAsync(system, Note("rt-note", "Niet voor de ondersteuner"));
        await PutAsync(system, Goal("rt-goal", "Versie 4"));

        await using var again = LiveClient.InProcess(api, TestTokens.Person(Supporter));
        var joined = await again.StartAndJoinAsync(Child, seen);
        (joined.Replayed, joined.Complete).ShouldBe((2, true));
        var v3 = await again.NextChangeAsync();
        var v4 = await again.NextChangeAsync();
        (v3.Version, v4.Version).ShouldBe((3, 4));
        v3.Cursor.ShouldBeGreaterThan(seen);
        v4.Cursor.ShouldBeGreaterThan(v3.Cursor);
        joined.Cursor.ShouldBeGreaterThanOrEqualTo(v4.Cursor);

        await PutAsync(system, Goal("rt-goal", "Versie 5, live"));
        var live = await again.NextChangeAsync();
        live.Version.ShouldBe(5);
        again.Drain().ShouldBeEmpty(); // nothing twice
    }

    [Theory]
    [InlineData("/hubs/dossier")]
    [InlineData("/hubs/team")]
    public async Task Both_hubs_refuse_an_anonymous_negotiate_at_the_door_with_401(string hub)
    {
        await using var api = new ApiFactory();

        var negotiate = await api.ClientFor(null).PostAsync(hub + "/negotiate?negotiateVersion=1", null);

        negotiate.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
    }
}
