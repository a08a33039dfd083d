using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pgo.Api.Notifications.Schedule;
using Pgo.Api.Tests.Dossier;
using Pgo.Fhir.Access;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Events;

/// <summary>
/// Events that count and procedures (issue 20, section gebeurtenissen) on SQLite and PostgreSQL: the supporter and the
/// regiehouder record them, a gezinslid with read only reads them, others are refused; a link to another family's document
/// is refused with nothing stored; bad input is a 400 or 422; and an open objection reminds the regiehouder and the
/// supporter three days before its deadline, once.
/// </summary>
public class EventsTests
{
    private const string Child = "ev-child";
    private const string Other = "ev-other";
    private const string Parent = "Person/ev-parent";
    private const string Uncle = "Person/ev-oom";
    private const string Supporter = "Person/ev-bondgenoot";
    private const string Therapist = "Person/ev-therapeut";
    private const string Stranger = "Person/ev-vreemde";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Friday 4 December 2026, 12:00 in Amsterdam.
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 11, 0, 0, TimeSpan.Zero);

    private static ApiFactory Api(string provider, FakeTimeProvider clock) =>
        new(provider, clock: clock, settings: new Dictionary<string, string?> { ["Notifications:SweepInterval"] = "30.00:00:00" });

    private static async System.Threading.Tasks.Task SeedAsync(HttpClient system)
    {
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = "2016-05-01", Name = [new HumanName { Family = "Gebeurtenis" }] },
            new Patient { Id = Other, BirthDate = "2014-02-01", Name = [new HumanName { Family = "Ander" }] },
            new RelatedPerson { Id = "ev-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "ev-oom", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "ev-vreemde", Patient = new ResourceReference($"Patient/{Other}") },
            new Practitioner { Id = "ev-bondgenoot" },
            new Practitioner { Id = "ev-therapeut" },
            Link("ev-parent", "RelatedPerson/ev-parent"), Link("ev-oom", "RelatedPerson/ev-oom"), Link("ev-vreemde", "RelatedPerson/ev-vreemde"),
            Link("ev-bondgenoot", "Practitioner/ev-bondgenoot"), Link("ev-therapeut", "Practitioner/ev-therapeut"),
            Grants.Regie("ev-regie", Child, ["RelatedPerson/ev-parent"]),
            Grants.Regie("ev-regie-other", Other, ["RelatedPerson/ev-vreemde"]),
            Grants.Grant("ev-support", Child, "Practitioner/ev-bondgenoot", GrantRole.Ondersteuner, [Section.Gebeurtenissen, Section.Documenten, Section.Afspraken], write: true),
            Grants.Grant("ev-therapy", Child, "Practitioner/ev-therapeut", GrantRole.Zorgverlener, [Section.Logboek], write: true),
            Grants.Grant("ev-uncle", Child, "RelatedPerson/ev-oom", GrantRole.Gezinslid, [Section.Gebeurtenissen]),
            Document("ev-besluit", Child), Document("ev-other-doc", Other),
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        static Person Link(string id, string target) => new()
        {
            Id = id, Name = [new HumanName { Text = $"Naam {id}" }], Link = [new Person.LinkComponent { Target = new ResourceReference(target) }],
        };
        static DocumentReference Document(string id, string patient) => new()
        {
            Id = id, Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{patient}"),
            Description = "Beschikking", Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = "besluit.pdf", ContentType = "application/pdf" } }],
        };
    }

    private static Task<HttpResponseMessage> Record(HttpClient client, string patient, object body) =>
        client.PostAsJsonAsync($"/api/dossiers/{patient}/events", body, Json);

    private static async Task<int> StoredEvents(ApiFactory api) =>
        (await api.CreateClient().GetJsonAsync("/fhir/Basic?_count=1000")) is var bundle && bundle.TryGetProperty("entry", out var entries) ? entries.GetArrayLength() : 0;

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_supporter_and_the_regiehouder_record_events_a_reading_gezinslid_cannot_and_others_are_refused(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());

        var objection = await Record(api.ClientAs(Supporter), Child, new
        {
            type = "bezwaar", date = "2026-11-20", description = "Bezwaar tegen de afwijzing van de Wmo-aanvraag.", regeling = "wmo", instantie = "gemeente",
            status = "ingediend", deadline = "2026-12-18", deadlineKind = "beslistermijn", decision = "DocumentReference/ev-besluit",
        });
        objection.StatusCode.ShouldBe(HttpStatusCode.Created, await objection.Content.ReadAsStringAsync());
        var view = JsonDocument.Parse(await objection.Content.ReadAsStringAsync()).RootElement;
        view.GetProperty("author").GetString().ShouldBe("Practitioner/ev-bondgenoot");
        view.GetProperty("procedure").GetProperty("daysLeft").GetInt32().ShouldBe(14);
        view.GetProperty("procedure").GetProperty("statusName").GetString().ShouldBe("Ingediend");

        var crisis = await Record(api.ClientAs(Parent), Child, new { type = "crisis", date = "2026-12-01", description = "Logeeropvang viel weg." });
        crisis.StatusCode.ShouldBe(HttpStatusCode.Created, await crisis.Content.ReadAsStringAsync());

        // Stored as FHIR: a Basic in the client's dossier, in the section gebeurtenissen.
        var basic = await api.CreateClient().GetJsonAsync($"/fhir/Basic/{view.GetProperty("id").GetString()}");
        basic.GetProperty("subject").GetProperty("reference").GetString().ShouldBe($"Patient/{Child}");

        // The gezinslid reads the register with its counts, but may not write.
        var register = await api.ClientAs(Uncle).GetJsonAsync($"/api/dossiers/{Child}/events");
        register.GetProperty("total").GetInt32().ShouldBe(2);
        register.GetProperty("counts").EnumerateArray().Select(c => c.GetProperty("type").GetString()).Order().ShouldBe(["bezwaar", "crisis"]);
        (await api.ClientAs(Uncle).GetJsonAsync($"/api/dossiers/{Child}/events?type=crisis")).GetProperty("total").GetInt32().ShouldBe(1);
        var before = await StoredEvents(api);
        (await Record(api.ClientAs(Uncle), Child, new { type = "verhuizing", date = "2026-12-02", description = "Verhuisd." })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // The therapist has no grant on the section; another family's regiehouder does not learn the dossier exists.
        (await api.ClientAs(Therapist).GetAsync($"/api/dossiers/{Child}/events")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Record(api.ClientAs(Therapist), Child, new { type = "crisis", date = "2026-12-02", description = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs(Stranger).GetAsync($"/api/dossiers/{Child}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Record(api.ClientAs(Stranger), Child, new { type = "crisis", date = "2026-12-02", description = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await StoredEvents(api)).ShouldBe(before);

        // Upcoming procedures across the caller's families: the supporter's objection; nothing for the stranger.
        var upcoming = await api.ClientAs(Supporter).GetJsonAsync("/api/procedures/upcoming");
        upcoming.EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["bezwaar"]);
        (await api.ClientAs(Stranger).GetJsonAsync("/api/procedures/upcoming")).GetArrayLength().ShouldBe(0);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_link_to_another_familys_document_and_bad_input_are_refused_and_nothing_is_stored(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var supporter = api.ClientAs(Supporter);
        var before = await StoredEvents(api);

        // Straight to FHIR: an OperationOutcome, 422.
        var crossing = CountableEvent.New(Child, "Practitioner/ev-bondgenoot", null,
            new CountableEvent.Fields("contact-instantie", new DateOnly(2026, 12, 1), "Gebeld met de gemeente.", Instantie: "gemeente", Links: ["DocumentReference/ev-other-doc"]));
        var fhir = await supporter.PostAsync("/fhir/Basic", crossing);
        fhir.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var outcome = JsonDocument.Parse(await fhir.Content.ReadAsStringAsync()).RootElement;
        outcome.GetProperty("resourceType").GetString().ShouldBe("OperationOutcome");
        outcome.GetRawText().ShouldContain("ander dossier");
        // Through the API, as decision document too: a ProblemDetails, 422.
        (await Record(supporter, Child, new { type = "aanvraag", date = "2026-12-01", description = "Aanvraag", regeling = "wlz", status = "ingediend",
            decision = "DocumentReference/ev-other-doc" })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Record(supporter, Child, new { type = "crisis", date = "2026-12-01", description = "x", links = new[] { "Patient/ev-other" } }))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        async System.Threading.Tasks.Task Refused(object body, HttpStatusCode status, string words)
        {
            var response = await Record(supporter, Child, body);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(status, text);
            text.ShouldContain(words, Case.Insensitive);
        }
        await Refused(new { type = "crisis", date = "gisteren", description = "x" }, HttpStatusCode.BadRequest, "jjjj-mm-dd");
        await Refused(new { type = "bezwaar", date = "2026-12-01", description = "x", status = "ingediend", deadline = "31-12-2026" }, HttpStatusCode.BadRequest, "jjjj-mm-dd");
        await Refused(new { type = "feestje", date = "2026-12-01", description = "x" }, HttpStatusCode.UnprocessableEntity, "geen soort gebeurtenis");
        await Refused(new { type = "crisis", date = "2026-12-10", description = "x" }, HttpStatusCode.UnprocessableEntity, "toekomst");
        await Refused(new { type = "crisis", date = "2026-12-01", description = " " }, HttpStatusCode.UnprocessableEntity, "Beschrijf");
        await Refused(new { type = "aanvraag", date = "2026-12-01", description = "x", status = "ingediend" }, HttpStatusCode.UnprocessableEntity, "regeling");
        await Refused(new { type = "bezwaar", date = "2026-12-01", description = "x" }, HttpStatusCode.UnprocessableEntity, "status");
        await Refused(new { type = "bezwaar", date = "2026-12-01", description = "x", status = "ingediend", deadline = "2026-11-01" }, HttpStatusCode.UnprocessableEntity, "vóór");
        await Refused(new { type = "crisis", date = "2026-12-01", description = "x", status = "ingediend" }, HttpStatusCode.UnprocessableEntity, "geen procedure");
        await Refused(new { type = "crisis", date = "2026-12-01", description = "<script>alert(1)</script>" }, HttpStatusCode.UnprocessableEntity, "HTML");
        (await supporter.GetAsync($"/api/dossiers/{Child}/events?type=feestje")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await supporter.GetAsync("/api/procedures/upcoming?days=9999")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StoredEvents(api)).ShouldBe(before);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task An_open_objection_reminds_the_regiehouder_and_the_supporter_three_days_before_its_deadline_once(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await api.KeepOnlyNotificationProducersAsync(typeof(ScheduleService));
        await SeedAsync(api.CreateClient());
        // Deadline Thursday 10 December: the reminder from Monday 7 December.
        var objection = await Record(api.ClientAs(Supporter), Child, new
        {
            type = "bezwaar", date = "2026-11-20", description = "Bezwaar Wlz-indicatie.", regeling = "wlz", instantie = "ciz",
            status = "ingediend", deadline = "2026-12-10", deadlineKind = "beslistermijn",
        });
        objection.StatusCode.ShouldBe(HttpStatusCode.Created, await objection.Content.ReadAsStringAsync());
        var item = "Basic/" + JsonDocument.Parse(await objection.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        // A closed one with a deadline in the window tells nobody.
        (await Record(api.ClientAs(Supporter), Child, new
        {
            type = "aanvraag", date = "2026-11-01", description = "Aanvraag pgb.", regeling = "pgb", status = "afgerond", outcome = "toegekend", deadline = "2026-12-09",
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var schedule = api.Services.GetRequiredService<NotificationSchedule>();

        (await schedule.SweepAsync(default)).ShouldBe(0); // Friday: six days before
        clock.Advance(TimeSpan.FromDays(2)); // Sunday: four days before
        (await schedule.SweepAsync(default)).ShouldBe(0);
        clock.Advance(TimeSpan.FromDays(1)); // Monday: three days before
        await schedule.SweepAsync(default);

        foreach (var person in new[] { Parent, Supporter })
            (await StoredAsync(api, person)).ShouldBe([(NotificationKinds.ProcedureDeadline, item)]);
        foreach (var person in new[] { Uncle, Therapist, Stranger })
            (await StoredAsync(api, person)).ShouldBeEmpty();
        clock.Advance(TimeSpan.FromDays(1));
        (await schedule.SweepAsync(default)).ShouldBe(0);
    }

    private static async Task<List<(string Kind, string? Item)>> StoredAsync(ApiFactory api, string person) =>
        (await api.Services.GetRequiredService<INotificationStore>().ListNotificationsAsync(person, unreadOnly: false, before: null, count: 100))
        .Select(n => (n.Kind, n.Item)).ToList();
}
