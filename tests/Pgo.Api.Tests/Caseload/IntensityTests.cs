using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pgo.Api.Caseload;
using Pgo.Api.Notifications.Schedule;
using Pgo.Api.Tests.Dossier;
using Pgo.Fhir.Access;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Caseload;

/// <summary>
/// Intensity over time (issue 20) on SQLite and PostgreSQL: the supporter sets it with a past effective date, the plan's
/// category follows, the family reads the history and cannot change it; refusals store nothing; with a fake clock a
/// waakvlam family needs contact exactly after its rhythm (caseload and one notification per due period, to the supporter
/// only); a trigger event after waakvlam suggests scaling up again, one before does not.
/// </summary>
public class IntensityTests
{
    private const string Child = "int-child";
    private const string Other = "int-other";
    private const string Parent = "Person/int-parent";
    private const string Uncle = "Person/int-oom";
    private const string Supporter = "Person/int-bondgenoot";
    private const string Therapist = "Person/int-therapeut";
    private const string Stranger = "Person/int-vreemde";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Friday 4 December 2026, 12:00 in Amsterdam.
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 11, 0, 0, TimeSpan.Zero);

    private static ApiFactory Api(string provider, FakeTimeProvider clock) =>
        new(provider, clock: clock, settings: new Dictionary<string, string?> { ["Notifications:SweepInterval"] = "30.00:00:00" });

    private static async System.Threading.Tasks.Task SeedAsync(HttpClient system)
    {
        var plan = new CarePlan
        {
            Id = "int-plan", Status = RequestStatus.Active, Intent = CarePlan.CarePlanIntent.Plan, Title = "Gezinsplan",
            Subject = new ResourceReference($"Patient/{Child}"), Period = new Period { Start = "2026-01-10" },
            Category = [new CodeableConcept(SupportIntensity.System, SupportIntensity.Intensief)],
        };
        Resource[] resources =
        [
            new Patient { Id = Child, BirthDate = "2016-05-01", Name = [new HumanName { Family = "Intensiteit" }] },
            new Patient { Id = Other, BirthDate = "2014-02-01", Name = [new HumanName { Family = "Ander" }] },
            new RelatedPerson { Id = "int-parent", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "int-oom", Patient = new ResourceReference($"Patient/{Child}") },
            new RelatedPerson { Id = "int-vreemde", Patient = new ResourceReference($"Patient/{Other}") },
            new Practitioner { Id = "int-bondgenoot" },
            new Practitioner { Id = "int-therapeut" },
            Link("int-parent", "RelatedPerson/int-parent"), Link("int-oom", "RelatedPerson/int-oom"), Link("int-vreemde", "RelatedPerson/int-vreemde"),
            Link("int-bondgenoot", "Practitioner/int-bondgenoot"), Link("int-therapeut", "Practitioner/int-therapeut"),
            Grants.Regie("int-regie", Child, ["RelatedPerson/int-parent"]),
            Grants.Regie("int-regie-other", Other, ["RelatedPerson/int-vreemde"]),
            Grants.Grant("int-support", Child, "Practitioner/int-bondgenoot", GrantRole.Ondersteuner, [Section.Plan, Section.Logboek, Section.Gebeurtenissen], write: true),
            // A professional who writes the plan is still not the family's supporter.
            Grants.Grant("int-therapy", Child, "Practitioner/int-therapeut", GrantRole.Zorgverlener, [Section.Plan], write: true),
            Grants.Grant("int-uncle", Child, "RelatedPerson/int-oom", GrantRole.Gezinslid, [Section.Plan]),
            plan,
        ];
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        static Person Link(string id, string target) => new()
        {
            Id = id, Name = [new HumanName { Text = $"Naam {id}" }], Link = [new Person.LinkComponent { Target = new ResourceReference(target) }],
        };
    }

    private static Task<HttpResponseMessage> Set(HttpClient client, string patient, object body) =>
        client.PostAsJsonAsync($"/api/dossiers/{patient}/intensity", body, Json);

    private static async Task<IntensityOverview> OverviewAsync(HttpClient client)
    {
        var response = await client.GetAsync($"/api/dossiers/{Child}/intensity");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<IntensityOverview>(body, Json)!;
    }

    private static async Task<IntensityStatus> CaseloadStatusAsync(HttpClient client)
    {
        var body = await (await client.GetAsync("/api/caseload")).Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<CaseloadFamily[]>(body, Json)!.Single(r => r.PatientId == Child).IntensityStatus!;
    }

    private static async Task<(int Changes, string? PlanIntensity)> StoredAsync(ApiFactory api)
    {
        var system = api.CreateClient();
        var bundle = await system.GetJsonAsync($"/fhir/Basic?code={Uri.EscapeDataString(SupportIntensity.System + "|")}&_count=1000");
        var changes = bundle.TryGetProperty("entry", out var entries) ? entries.GetArrayLength() : 0;
        var plan = await system.GetJsonAsync("/fhir/CarePlan/int-plan");
        return (changes, plan.GetProperty("category")[0].GetProperty("coding")[0].GetProperty("code").GetString());
    }

    private static async System.Threading.Tasks.Task LogbookNoteAsync(HttpClient client, string date)
    {
        var note = new DocumentReference
        {
            Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{Child}"),
            Category = [new CodeableConcept(Section.System, Section.Logboek)], Date = new DateTimeOffset(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture).AddHours(10), TimeSpan.FromHours(1)),
            Author = [new ResourceReference("Practitioner/int-bondgenoot")],
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown", Data = Encoding.UTF8.GetBytes("Gebeld met moeder.") } }],
        };
        var response = await client.PostAsync("/fhir/DocumentReference", note);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_supporter_sets_waakvlam_from_a_past_day_the_plan_follows_and_the_family_reads_the_history(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var supporter = api.ClientAs(Supporter);
        // The waakvlam-plan waits as a draft until support scales down (ADR 5).
        var flame = new CarePlan
        {
            Id = "int-flame", Status = RequestStatus.Draft, Intent = CarePlan.CarePlanIntent.Plan, Title = "Waakvlam-plan",
            Subject = new ResourceReference($"Patient/{Child}"), BasedOn = [new ResourceReference("CarePlan/int-plan")],
            Category = [new CodeableConcept(SupportIntensity.System, SupportIntensity.Waakvlam)],
        };
        (await api.CreateClient().PutAsync("/fhir/CarePlan/int-flame", flame)).EnsureSuccessStatusCode();

        // Before any change the plan's category and start stand in.
        var before = await OverviewAsync(supporter);
        before.Status.Intensity.ShouldBe(SupportIntensity.Intensief);
        before.Status.Since.ShouldBe("2026-01-10");
        before.MayChange.ShouldBeTrue();

        var afschalen = await Set(supporter, Child, new { intensity = "afschalen", effective = "2026-09-01", reason = "Dagbesteding loopt.", agreedWithFamily = true });
        afschalen.StatusCode.ShouldBe(HttpStatusCode.Created, await afschalen.Content.ReadAsStringAsync());
        var waakvlam = await Set(supporter, Child, new { intensity = "waakvlam", effective = "2026-11-01", reason = "Het gaat goed; Ricardo belt om de zes weken.", agreedWithFamily = true, rhythmWeeks = 6 });
        waakvlam.StatusCode.ShouldBe(HttpStatusCode.Created, await waakvlam.Content.ReadAsStringAsync());

        // The main plan says afschalen; the waakvlam-plan started on the effective day.
        (await StoredAsync(api)).ShouldBe((2, SupportIntensity.Afschalen));
        var started = await api.CreateClient().GetJsonAsync("/fhir/CarePlan/int-flame");
        (started.GetProperty("status").GetString(), started.GetProperty("period").GetProperty("start").GetString()).ShouldBe(("active", "2026-11-01"));
        // The regiehouder reads the history, newest first, with who set it; the family may not change it.
        var family = await OverviewAsync(api.ClientAs(Parent));
        family.MayChange.ShouldBeFalse();
        family.Status.Intensity.ShouldBe(SupportIntensity.Waakvlam);
        family.Status.IntensityName.ShouldBe("Waakvlam");
        family.Status.Since.ShouldBe("2026-11-01");
        family.Status.RhythmWeeks.ShouldBe(6);
        family.Status.ContactDue.ShouldBe("2026-12-13");
        family.Status.ContactNeeded.ShouldBeFalse();
        family.History.Select(h => (h.From, h.To, h.Effective)).ShouldBe([("afschalen", "waakvlam", "2026-11-01"), ("intensief", "afschalen", "2026-09-01")]);
        family.History[0].SetBy.ShouldBe("Naam int-bondgenoot");
        family.History[0].AgreedWithFamily.ShouldBeTrue();
        family.History[0].Reason.ShouldBe("Het gaat goed; Ricardo belt om de zes weken.");
        (await OverviewAsync(api.ClientAs(Uncle))).History.Length.ShouldBe(2);
        // The caseload row says the same.
        var row = await CaseloadStatusAsync(supporter);
        (row.Intensity, row.Since, row.ContactDue).ShouldBe((SupportIntensity.Waakvlam, "2026-11-01", "2026-12-13"));
        // Without a rhythm, waakvlam gets the setting's default (6 weeks).
        (await Set(supporter, Child, new { intensity = "intensief", effective = "2026-12-01", reason = "Crisis thuis.", agreedWithFamily = true })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var back = await Set(supporter, Child, new { intensity = "waakvlam", effective = "2026-12-04", reason = "Weer rustig.", agreedWithFamily = true });
        back.StatusCode.ShouldBe(HttpStatusCode.Created, await back.Content.ReadAsStringAsync());
        (await OverviewAsync(supporter)).Status.RhythmWeeks.ShouldBe(IntensityChanges.DefaultRhythmWeeks);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_family_another_professional_and_strangers_are_refused_bad_input_is_refused_and_nothing_is_stored(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var supporter = api.ClientAs(Supporter);
        var good = new { intensity = "waakvlam", effective = "2026-11-01", reason = "Rustig.", agreedWithFamily = true, rhythmWeeks = 6 };
        var nothing = (0, SupportIntensity.Intensief);

        // The regiehouder writes the plan, yet the intensity is the supporter's call with the family: 403 with the reason.
        var parent = await Set(api.ClientAs(Parent), Child, good);
        parent.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await parent.Content.ReadAsStringAsync()).ShouldContain("ondersteuner");
        (await Set(api.ClientAs(Therapist), Child, good)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Set(api.ClientAs(Uncle), Child, good)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Set(api.ClientAs(Stranger), Child, good)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs(Stranger).GetAsync($"/api/dossiers/{Child}/intensity")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Straight to FHIR, the gezinslid who only reads the plan writes no change either.
        var change = IntensityChange.New(Child, "RelatedPerson/int-oom", null, "waakvlam", "intensief", new DateOnly(2026, 11, 1), "x", true, 6);
        (await api.ClientAs(Uncle).PostAsync("/fhir/Basic", change)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StoredAsync(api)).ShouldBe(nothing);

        async System.Threading.Tasks.Task Refused(object body, HttpStatusCode status, string words)
        {
            var response = await Set(supporter, Child, body);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(status, text);
            text.ShouldContain(words, Case.Insensitive);
        }
        await Refused(new { intensity = "waakvlam", effective = "1 november", reason = "x", agreedWithFamily = true }, HttpStatusCode.BadRequest, "jjjj-mm-dd");
        await Refused(new { intensity = "waakvlam", effective = "2026-11-01", reason = "x", agreedWithFamily = false }, HttpStatusCode.UnprocessableEntity, "besproken met het gezin");
        await Refused(new { intensity = "waakvlam", effective = "2026-12-05", reason = "x", agreedWithFamily = true }, HttpStatusCode.UnprocessableEntity, "toekomst");
        await Refused(new { intensity = "slapend", effective = "2026-11-01", reason = "x", agreedWithFamily = true }, HttpStatusCode.UnprocessableEntity, "geen intensiteit");
        await Refused(new { intensity = "waakvlam", effective = "2026-11-01", reason = " ", agreedWithFamily = true }, HttpStatusCode.UnprocessableEntity, "waarom");
        await Refused(new { intensity = "waakvlam", effective = "2026-11-01", reason = "<script>alert(1)</script>", agreedWithFamily = true }, HttpStatusCode.UnprocessableEntity, "HTML");
        await Refused(new { intensity = "afschalen", effective = "2026-11-01", reason = "x", agreedWithFamily = true, rhythmWeeks = 6 }, HttpStatusCode.UnprocessableEntity, "waakvlam");
        await Refused(new { intensity = "waakvlam", effective = "2026-11-01", reason = "x", agreedWithFamily = true, rhythmWeeks = 60 }, HttpStatusCode.UnprocessableEntity, "weken");
        await Refused(new { intensity = "intensief", effective = "2026-11-01", reason = "x", agreedWithFamily = true }, HttpStatusCode.UnprocessableEntity, "al");
        (await StoredAsync(api)).ShouldBe(nothing);

        // The history is a line: nothing before the current intensity's day.
        (await Set(supporter, Child, good)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Refused(new { intensity = "afschalen", effective = "2026-10-01", reason = "x", agreedWithFamily = true }, HttpStatusCode.UnprocessableEntity, "sinds");
        (await StoredAsync(api)).ShouldBe((1, SupportIntensity.Waakvlam));
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task Through_fhir_only_the_supporter_records_a_change_in_their_own_name_and_nobody_rewrites_the_history(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var nothing = (0, SupportIntensity.Intensief);
        Basic Change(string author) => IntensityChange.New(Child, author, null, "waakvlam", "intensief", new DateOnly(2026, 11, 1), "Rustig.", true, 6);

        // The parent and the therapist write the plan, yet neither records a change, not even in the supporter's name.
        foreach (var (who, author) in new[] { (Parent, "Practitioner/int-bondgenoot"), (Parent, "RelatedPerson/int-parent"), (Therapist, "Practitioner/int-therapeut") })
        {
            var refused = await api.ClientAs(who).PostAsync("/fhir/Basic", Change(author));
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{who} as {author}");
            (await refused.Content.ReadAsStringAsync()).ShouldContain("ondersteuner");
        }
        // The supporter records one only in their own name.
        var forged = await api.ClientAs(Supporter).PostAsync("/fhir/Basic", Change("Practitioner/int-therapeut"));
        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forged.Content.ReadAsStringAsync()).ShouldContain("eigen naam");
        (await StoredAsync(api)).ShouldBe(nothing);

        var created = await api.ClientAs(Supporter).PostAsync("/fhir/Basic", Change("Practitioner/int-bondgenoot"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var stored = await created.ReadAs<Basic>();

        // Once recorded, nobody rewrites or removes it, the supporter included: a correction is a new change.
        foreach (var who in new[] { Supporter, Parent })
        {
            var edited = Change("Practitioner/int-bondgenoot");
            edited.Id = stored.Id;
            (await api.ClientAs(who).PutAsync($"/fhir/Basic/{stored.Id}", edited)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, who);
            (await api.ClientAs(who).DeleteAsync($"/fhir/Basic/{stored.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, who);
        }
        (await OverviewAsync(api.ClientAs(Parent))).History.ShouldHaveSingleItem().Reason.ShouldBe("Rustig.");
    }

    [Fact]
    public void Contact_is_due_exactly_after_the_rhythm_counted_from_the_last_contact_or_else_from_waakvlam()
    {
        var since = new DateOnly(2026, 11, 1);
        IntensityRules.ContactDue(since, null, 6).ShouldBe(new DateOnly(2026, 12, 13));
        IntensityRules.ContactDue(since, new DateOnly(2026, 11, 20), 6).ShouldBe(new DateOnly(2027, 1, 1));
        // A contact from before waakvlam does not count against it.
        IntensityRules.ContactDue(since, new DateOnly(2026, 10, 1), 6).ShouldBe(new DateOnly(2026, 12, 13));
        IntensityRules.ContactNeeded(new DateOnly(2026, 12, 13), new DateOnly(2026, 12, 12)).ShouldBeFalse();
        IntensityRules.ContactNeeded(new DateOnly(2026, 12, 13), new DateOnly(2026, 12, 13)).ShouldBeTrue();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_waakvlam_family_needs_contact_exactly_after_its_rhythm_and_the_supporter_is_told_once_per_due_period(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await api.KeepOnlyNotificationProducersAsync(typeof(ScheduleService));
        await SeedAsync(api.CreateClient());
        var supporter = api.ClientAs(Supporter);
        // Waakvlam from today (Friday 4 December), contact every two weeks: due Friday 18 December.
        var set = await Set(supporter, Child, new { intensity = "waakvlam", effective = "2026-12-04", reason = "Rustig.", agreedWithFamily = true, rhythmWeeks = 2 });
        set.StatusCode.ShouldBe(HttpStatusCode.Created, await set.Content.ReadAsStringAsync());
        var item = "Basic/" + (await OverviewAsync(supporter)).History[0].Id;
        var schedule = api.Services.GetRequiredService<NotificationSchedule>();

        clock.Advance(TimeSpan.FromDays(13)); // Thursday 17 December: not yet
        var status = await CaseloadStatusAsync(supporter);
        (status.ContactDue, status.ContactNeeded).ShouldBe(("2026-12-18", false));
        (await schedule.SweepAsync(default)).ShouldBe(0);

        clock.Advance(TimeSpan.FromDays(1)); // Friday 18 December: due
        (await CaseloadStatusAsync(supporter)).ContactNeeded.ShouldBeTrue();
        await schedule.SweepAsync(default);
        (await NotifiedAsync(api, Supporter)).ShouldBe([(NotificationKinds.ContactDue, item)]);
        // Keeping contact is the supporter's work: the family and others are not told.
        foreach (var person in new[] { Parent, Uncle, Therapist, Stranger })
            (await NotifiedAsync(api, person)).ShouldBeEmpty();
        // Not every tick: the same due period tells once.
        (await schedule.SweepAsync(default)).ShouldBe(0);
        clock.Advance(TimeSpan.FromDays(1));
        (await schedule.SweepAsync(default)).ShouldBe(0);

        // A contact on Saturday 19 December: the next is due two weeks later, and tells again then.
        await LogbookNoteAsync(supporter, "2026-12-19");
        status = await CaseloadStatusAsync(supporter);
        (status.LastContact, status.ContactDue, status.ContactNeeded).ShouldBe(("2026-12-19", "2027-01-02", false));
        (await schedule.SweepAsync(default)).ShouldBe(0);
        clock.Advance(TimeSpan.FromDays(14)); // Saturday 2 January
        await schedule.SweepAsync(default);
        (await NotifiedAsync(api, Supporter)).Count.ShouldBe(2);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_trigger_after_waakvlam_suggests_scaling_up_and_one_before_does_not(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var api = Api(provider, clock);
        await SeedAsync(api.CreateClient());
        var supporter = api.ClientAs(Supporter);
        (await Set(supporter, Child, new { intensity = "waakvlam", effective = "2026-11-15", reason = "Rustig.", agreedWithFamily = true })).StatusCode.ShouldBe(HttpStatusCode.Created);

        async System.Threading.Tasks.Task Event(string type, string date)
        {
            var response = await supporter.PostAsJsonAsync($"/api/dossiers/{Child}/events", new { type, date, description = "Gebeurd." }, Json);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        // A crisis before waakvlam, and an ordinary contact after it: no suggestion.
        await Event("crisis", "2026-11-10");
        await Event("contact-instantie", "2026-11-20");
        (await CaseloadStatusAsync(supporter)).Trigger.ShouldBeNull();

        // A new diagnosis after waakvlam: "Opnieuw opschalen?" with the trigger.
        await Event("diagnose", "2026-11-25");
        var trigger = (await CaseloadStatusAsync(supporter)).Trigger.ShouldNotBeNull();
        (trigger.Type, trigger.TypeName, trigger.Date).ShouldBe(("diagnose", "Nieuwe diagnose", "2026-11-25"));
        (await OverviewAsync(supporter)).Status.Trigger!.Type.ShouldBe("diagnose");

        // Scaled up again: the suggestion is gone.
        (await Set(supporter, Child, new { intensity = "opschalen", effective = "2026-12-01", reason = "Diagnose.", agreedWithFamily = true })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CaseloadStatusAsync(supporter)).Trigger.ShouldBeNull();
    }

    private static async Task<List<(string Kind, string? Item)>> NotifiedAsync(ApiFactory api, string person) =>
        (await api.Services.GetRequiredService<INotificationStore>().ListNotificationsAsync(person, unreadOnly: false, before: null, count: 100))
        .Select(n => (n.Kind, n.Item)).ToList();
}
