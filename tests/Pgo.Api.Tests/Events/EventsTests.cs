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

    private static Task<HttpResponseMessage> Change(HttpClient client, string patient, string id, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/dossiers/{patient}/events/{id}") { Content = JsonContent.Create(body, options: Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> StoredEvent(ApiFactory api, string id) => await api.CreateClient().GetJsonAsync($"/fhir/Basic/{id}");

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_regiehouder_and_the_supporter_change_a_procedure_on_the_version_they_saw_and_a_reader_cannot(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var application = await CreatedAsync(await Record(api.ClientAs(Supporter), Child, new
        {
            type = "aanvraag", date = "2026-10-01", description = "Aanvraag plafondlift.", regeling = "wmo", instantie = "gemeente", status = "ingediend",
        }));
        var objection = await CreatedAsync(await Record(api.ClientAs(Supporter), Child, new
        {
            type = "bezwaar", date = "2026-11-20", description = "Bezwaar tegen de afwijzing.", regeling = "wmo", instantie = "gemeente",
            status = "ingediend", deadline = "2026-12-18", deadlineKind = "beslistermijn", contests = $"Basic/{application.GetProperty("id").GetString()}",
        }));
        var id = objection.GetProperty("id").GetString()!;
        objection.GetProperty("version").GetInt32().ShouldBe(1);
        objection.GetProperty("contests").GetString().ShouldBe($"Basic/{application.GetProperty("id").GetString()}");

        // The regiehouder records the decision on version 1 (the body's version): status, decision document, outcome.
        var decided = await Change(api.ClientAs(Parent), Child, id, new
        {
            version = 1, date = "2026-11-20", description = "Bezwaar tegen de afwijzing, gegrond verklaard.", regeling = "wmo", instantie = "gemeente",
            status = "afgerond", deadline = "2026-12-18", deadlineKind = "beslistermijn", decision = "DocumentReference/ev-besluit", outcome = "gegrond",
            contests = objection.GetProperty("contests").GetString(), links = new[] { "DocumentReference/ev-besluit" },
        });
        var decidedText = await decided.Content.ReadAsStringAsync();
        decided.StatusCode.ShouldBe(HttpStatusCode.OK, decidedText);
        var view = JsonDocument.Parse(decidedText).RootElement;
        view.GetProperty("version").GetInt32().ShouldBe(2);
        view.GetProperty("procedure").GetProperty("statusName").GetString().ShouldBe("Afgerond");
        view.GetProperty("procedure").GetProperty("outcomeName").GetString().ShouldBe("Gegrond");
        view.GetProperty("procedure").GetProperty("decision").GetString().ShouldBe("DocumentReference/ev-besluit");
        view.GetProperty("procedure").GetProperty("daysLeft").ValueKind.ShouldBe(JsonValueKind.Null); // closed: the deadline no longer counts
        view.GetProperty("author").GetString().ShouldBe("Practitioner/ev-bondgenoot"); // who recorded it stays

        // The supporter reopens it on version 2 (If-Match) with a new deadline (the fields left out are cleared).
        var reopened = await Change(api.ClientAs(Supporter), Child, id, new
        {
            date = "2026-11-20", description = "Bezwaar: hoorzitting gepland.", regeling = "wmo", instantie = "gemeente",
            status = "in-behandeling", deadline = "2026-12-22", deadlineKind = "beslistermijn",
        }, ifMatch: "W/\"2\"");
        reopened.StatusCode.ShouldBe(HttpStatusCode.OK, await reopened.Content.ReadAsStringAsync());
        var reopenedView = JsonDocument.Parse(await reopened.Content.ReadAsStringAsync()).RootElement;
        reopenedView.GetProperty("procedure").GetProperty("daysLeft").GetInt32().ShouldBe(18);
        reopenedView.GetProperty("contests").ValueKind.ShouldBe(JsonValueKind.Null); // left out: cleared
        reopenedView.GetProperty("links").GetArrayLength().ShouldBe(0);
        (await StoredEvent(api, id)).GetProperty("meta").GetProperty("versionId").GetString().ShouldBe("3");

        // A stale version: 409 in Dutch, the current version named, nothing written.
        var stale = await Change(api.ClientAs(Parent), Child, id, new
        {
            version = 2, date = "2026-11-20", description = "Oude versie.", status = "afgerond", regeling = "wmo",
        });
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("title").GetString().ShouldBe("Intussen gewijzigd");
        problem.GetProperty("detail").GetString()!.ShouldContain("niets overschreven");
        problem.GetProperty("currentVersion").GetInt32().ShouldBe(3);

        // The gezinslid who may only read: 403, the event unchanged. The therapist without the section: 403; the stranger: 404.
        var readerChange = new { version = 3, date = "2026-11-20", description = "Ingetrokken.", regeling = "wmo", status = "ingetrokken" };
        (await Change(api.ClientAs(Uncle), Child, id, readerChange)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Change(api.ClientAs(Therapist), Child, id, readerChange)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Change(api.ClientAs(Stranger), Child, id, readerChange)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Change(api.ClientAs(Supporter), Child, "bestaat-niet", readerChange)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var after = await StoredEvent(api, id);
        after.GetProperty("meta").GetProperty("versionId").GetString().ShouldBe("3");
        after.GetRawText().ShouldContain("hoorzitting gepland");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_change_with_bad_input_or_a_contested_event_outside_the_dossier_is_refused_and_nothing_changes(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var supporter = api.ClientAs(Supporter);
        var refusal = await CreatedAsync(await Record(supporter, Child, new { type = "besluit", date = "2026-11-10", description = "Afwijzing.", instantie = "gemeente" }));
        var objection = await CreatedAsync(await Record(supporter, Child, new
        {
            type = "bezwaar", date = "2026-11-20", description = "Bezwaar.", regeling = "wmo", status = "ingediend", deadline = "2026-12-18",
        }));
        var crisis = await CreatedAsync(await Record(supporter, Child, new { type = "crisis", date = "2026-12-01", description = "Crisis." }));
        var elsewhere = await CreatedAsync(await Record(api.ClientAs(Stranger), Other, new { type = "besluit", date = "2026-11-10", description = "Ander gezin." }));
        var id = objection.GetProperty("id").GetString()!;

        // Contesting another family's event, itself, a document, or from a crisis: 422 (through /api and straight to /fhir).
        var outside = await Change(supporter, Child, id, new
        {
            version = 1, date = "2026-11-20", description = "Bezwaar.", regeling = "wmo", status = "ingediend", contests = $"Basic/{elsewhere.GetProperty("id").GetString()}",
        });
        outside.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await outside.Content.ReadAsStringAsync()).ShouldContain("niet gevonden in dit dossier");
        (await Change(supporter, Child, id, new { version = 1, date = "2026-11-20", description = "Bezwaar.", regeling = "wmo", status = "ingediend", contests = $"Basic/{id}" }))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Change(supporter, Child, id, new { version = 1, date = "2026-11-20", description = "Bezwaar.", regeling = "wmo", status = "ingediend", contests = "DocumentReference/ev-besluit" }))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var fromCrisis = await Change(supporter, Child, crisis.GetProperty("id").GetString()!, new
        {
            version = 1, date = "2026-12-01", description = "Crisis.", contests = $"Basic/{refusal.GetProperty("id").GetString()}",
        });
        fromCrisis.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await fromCrisis.Content.ReadAsStringAsync()).ShouldContain("bezwaar, beroep of klacht");
        var fhir = CountableEvent.New(Child, "Practitioner/ev-bondgenoot", null, new CountableEvent.Fields("klacht", new DateOnly(2026, 12, 1), "Klacht.",
            Status: "ingediend", Contests: $"Basic/{elsewhere.GetProperty("id").GetString()}"));
        var straight = await supporter.PostAsync("/fhir/Basic", fhir);
        straight.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        JsonDocument.Parse(await straight.Content.ReadAsStringAsync()).RootElement.GetProperty("resourceType").GetString().ShouldBe("OperationOutcome");

        // Bad input: 400 (dates, no version) or 422 (the profile: unknown status, deadline before the date, the type cannot become another).
        async System.Threading.Tasks.Task Refused(object body, HttpStatusCode status, string words, string? ifMatch = null)
        {
            var response = await Change(supporter, Child, id, body, ifMatch);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(status, text);
            text.ShouldContain(words, Case.Insensitive);
        }
        await Refused(new { date = "2026-11-20", description = "Bezwaar.", regeling = "wmo", status = "ingediend" }, HttpStatusCode.BadRequest, "versie");
        await Refused(new { date = "2026-11-20", description = "Bezwaar.", regeling = "wmo", status = "ingediend" }, HttpStatusCode.BadRequest, "versie", ifMatch: "W/\"nul\"");
        await Refused(new { version = 1, date = "20-11-2026", description = "Bezwaar.", status = "ingediend" }, HttpStatusCode.BadRequest, "jjjj-mm-dd");
        await Refused(new { version = 1, date = "2026-11-20", description = "Bezwaar.", status = "ingediend", deadline = "morgen" }, HttpStatusCode.BadRequest, "jjjj-mm-dd");
        await Refused(new { version = 1, date = "2026-11-20", description = "Bezwaar.", status = "gewonnen" }, HttpStatusCode.UnprocessableEntity, "status");
        await Refused(new { version = 1, date = "2026-11-20", description = "Bezwaar.", status = "ingediend", deadline = "2026-11-01" }, HttpStatusCode.UnprocessableEntity, "vóór");
        await Refused(new { version = 1, date = "2026-11-20", description = "Bezwaar.", status = "ingediend", outcome = "gewonnen" }, HttpStatusCode.UnprocessableEntity, "gewonnen");
        await Refused(new { version = 1, date = "2026-11-20", description = " ", status = "ingediend" }, HttpStatusCode.UnprocessableEntity, "Beschrijf");
        await Refused(new { version = 1, date = "2026-11-20", description = "Bezwaar.", status = "ingediend", decision = "DocumentReference/ev-other-doc" },
            HttpStatusCode.UnprocessableEntity, "niet gevonden");
        var stored = await StoredEvent(api, id);
        stored.GetProperty("meta").GetProperty("versionId").GetString().ShouldBe("1");
        stored.GetRawText().ShouldNotContain("event-contests");

        // And the same change, well formed, contesting the refusal of this dossier: stored, shown in the register.
        var good = await Change(supporter, Child, id, new
        {
            version = 1, date = "2026-11-20", description = "Bezwaar.", regeling = "wmo", status = "ingediend", contests = $"Basic/{refusal.GetProperty("id").GetString()}",
        });
        good.StatusCode.ShouldBe(HttpStatusCode.OK, await good.Content.ReadAsStringAsync());
        var register = await supporter.GetJsonAsync($"/api/dossiers/{Child}/events?type=bezwaar");
        register.GetProperty("events")[0].GetProperty("contests").GetString().ShouldBe($"Basic/{refusal.GetProperty("id").GetString()}");
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
        // One a day later (Friday 11 December): four days ahead on that Monday, so not yet.
        (await Record(api.ClientAs(Supporter), Child, new
        {
            type = "klacht", date = "2026-11-25", description = "Klacht over de zorgaanbieder.", instantie = "zorgaanbieder",
            status = "ingediend", deadline = "2026-12-11", deadlineKind = "reactietermijn",
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
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
        clock.Advance(TimeSpan.FromDays(1)); // Tuesday: the objection is not told again; the complaint is now three days ahead
        await schedule.SweepAsync(default);
        (await StoredAsync(api, Supporter)).Count(n => n.Item == item).ShouldBe(1);
        (await StoredAsync(api, Supporter)).Count.ShouldBe(2);
    }

    private static async Task<List<(string Kind, string? Item)>> StoredAsync(ApiFactory api, string person) =>
        (await api.Services.GetRequiredService<INotificationStore>().ListNotificationsAsync(person, unreadOnly: false, before: null, count: 100))
        .Select(n => (n.Kind, n.Item)).ToList();
}
