using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Notifications.Schedule;
using Pgo.Api.Tests.Access;
using Pgo.Fhir.Access;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Regie;

/// <summary>
/// Turning 18 (issue 18, Api/Regie): the checklist at 15, the reminders at 17 and three months before, the 18th birthday
/// with and without a recorded choice or representation (never an orphaned dossier), the 12 and 16 steps told as they
/// happen, and who may see or decide; on SQLite and PostgreSQL, on a clock the test moves.
/// </summary>
public class TransitionTests
{
    private const string Child = "tr-child";
    private const string Mother = "Person/tr-mother";
    private const string Father = "Person/tr-father";
    private const string Supporter = "Person/tr-supporter";
    private const string Agency = "Person/tr-wmo";
    private const string Stranger = "Person/tr-stranger";
    private const string Self = "Person/tr-self";
    private const string Url = $"/api/dossiers/{Child}/regie";

    private static readonly JsonSerializerOptions Json = AccessApiClient.Json;

    /// <summary>A client born on <paramref name="birthDate"/>, both parents regiehouder, a supporter (afspraken, doelen,
    /// logboek), an agency with a share package, a stranger, the court's decision in the dossier, an active plan.</summary>
    private static async Task<(ApiFactory Api, MutableClock Clock)> FamilyAsync(string provider, string birthDate, DateTimeOffset now, bool clientAccount = false)
    {
        var clock = new MutableClock(now);
        // A long sweep interval: the tests sweep themselves.
        var api = new ApiFactory(provider, clock: clock, settings: new Dictionary<string, string?> { ["Notifications:SweepInterval"] = "30.00:00:00" });
        await api.KeepOnlyNotificationProducersAsync();
        var system = api.CreateClient();
        List<Resource> resources =
        [
            new Patient { Id = Child, BirthDate = birthDate, Name = [new HumanName { Given = ["Daan"], Family = "Overgang" }] },
            new RelatedPerson { Id = "tr-mother", Patient = new ResourceReference($"Patient/{Child}"), Name = [new HumanName { Given = ["Mirjam"], Family = "Overgang" }] },
            new RelatedPerson { Id = "tr-father", Patient = new ResourceReference($"Patient/{Child}"), Name = [new HumanName { Given = ["Pieter"], Family = "Overgang" }] },
            new Practitioner { Id = "tr-supporter", Name = [new HumanName { Given = ["Hanna"], Family = "Bondgenoot" }] },
            new Practitioner { Id = "tr-stranger" },
            new Practitioner { Id = "tr-wmo" },
            new Organization { Id = "tr-gemeente", Name = "Gemeente" },
            new PractitionerRole { Id = "tr-wmo-role", Practitioner = new ResourceReference("Practitioner/tr-wmo"), Organization = new ResourceReference("Organization/tr-gemeente") },
            Link("tr-mother", "RelatedPerson/tr-mother"), Link("tr-father", "RelatedPerson/tr-father"), Link("tr-supporter", "Practitioner/tr-supporter"),
            Link("tr-wmo", "Practitioner/tr-wmo"), Link("tr-stranger", "Practitioner/tr-stranger"),
            Grants.Regie("tr-regie", Child, ["RelatedPerson/tr-mother", "RelatedPerson/tr-father"], from: now.AddYears(-10)),
            Grants.Grant("tr-support", Child, "Practitioner/tr-supporter", GrantRole.Ondersteuner, [Section.Afspraken, Section.Doelen, Section.Logboek, Section.Plan], write: true),
            Grants.SharePackage("tr-package", Child, "Organization/tr-gemeente", "Aanvraag Wmo", now.AddYears(5), sections: [Section.Documenten]),
            new Goal { Id = "tr-goal", LifecycleStatus = Goal.GoalLifecycleStatus.Active, Subject = new ResourceReference($"Patient/{Child}"), Description = new CodeableConcept { Text = "Zelfstandig wonen" } },
            new CarePlan { Id = "tr-plan", Status = RequestStatus.Active, Intent = CarePlan.CarePlanIntent.Plan, Subject = new ResourceReference($"Patient/{Child}"), Title = "Op weg naar 18" },
            new DocumentReference { Id = "tr-beschikking", Status = DocumentReferenceStatus.Current, Subject = new ResourceReference($"Patient/{Child}"),
                Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = "Beschikking mentorschap" } }] },
        ];
        if (clientAccount) resources.Add(Link("tr-self", $"Patient/{Child}"));
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();
        return (api, clock);
    }

    private static Person Link(string id, string target) => new() { Id = id, Link = [new Person.LinkComponent { Target = new ResourceReference(target) }] };

    private static async Task<RegieOverview> OverviewAsync(HttpClient client)
    {
        var response = await client.GetAsync(Url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RegieOverview>(Json))!;
    }

    private static Task<HttpResponseMessage> ChooseAsync(HttpClient client, object choice) => client.PostAsJsonAsync($"{Url}/choice", choice, Json);

    /// <summary>The age steps the schedule would tell now: (who, step).</summary>
    private static async Task<List<(string Person, string? Step)>> AgeStepsAsync(ApiFactory api) =>
        (await api.Services.GetRequiredService<NotificationSchedule>().DecideAsync(default))
        .Where(d => d.Notice.Kind == NotificationKinds.AgeStep && d.Notice.PatientId == Child)
        .Select(d => (d.Recipient, d.Notice.Step)).OrderBy(d => d.Recipient, StringComparer.Ordinal).ToList();

    private static HttpClient Client(ApiFactory api) => api.ClientAs(Self, "openid fhirUser patient/*.cruds");

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task At_15_the_checklist_is_offered_to_the_family_and_the_supporter_and_started_once(string provider)
    {
        // The day after the 15th birthday (the start age, Pgo:Transition:StartAge).
        var (api, _) = await FamilyAsync(provider, "2011-06-15", new DateTimeOffset(2026, 6, 16, 10, 0, 0, TimeSpan.Zero));
        await using var _api = api;
        var mother = api.ClientAs(Mother);
        var supporter = api.ClientAs(Supporter);

        var overview = await OverviewAsync(mother);
        overview.Stage.ShouldBe("12-16");
        overview.Age.ShouldBe(15);
        overview.RegieState.ShouldBe("ouders");
        overview.Regiehouders.ShouldBe(["Mirjam Overgang", "Pieter Overgang"], ignoreOrder: true);
        overview.TransitionOpen.ShouldBeTrue();
        overview.ChoiceNeeded.ShouldBeTrue();
        overview.Checklist.ShouldBeEmpty();
        overview.Viewer.ShouldBe("regiehouder");
        overview.CanDecide.ShouldBeTrue();
        overview.Milestones.Select(m => (m.Code, m.Passed)).ShouldBe([("12", true), ("15", true), ("16", false), ("17", false), ("18-3m", false), ("18", false)]);
        overview.Milestones.Single(m => m.Code == "18").Day.ShouldBe("2029-06-15");

        // The reminder (the old endpoint, now by the age steps) and the age step told the regiehouders and the supporter.
        var reminders = await mother.GetFromJsonAsync<JsonElement>("/api/access/reminders", Json);
        reminders.EnumerateArray().Select(r => r.GetProperty("patientId").GetString()).ShouldBe([Child]);
        reminders[0].GetProperty("message").GetString().ShouldBe(RegieCodes.Milestones.Explanation["15"].ForParents);
        (await AgeStepsAsync(api)).ShouldBe([(Father, "15"), (Mother, "15"), (Supporter, "15")]);

        // The supporter starts the checklist: agreements in afspraken, due from the 18th birthday, on the active plan.
        var started = await supporter.PostAsJsonAsync($"{Url}/checklist", new StartChecklistRequest("Practitioner/tr-supporter"), Json);
        started.StatusCode.ShouldBe(HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        var items = (await started.Content.ReadFromJsonAsync<ChecklistItemView[]>(Json))!;
        items.Select(i => i.Code).ShouldBe(RegieCodes.Checklist18.Items.Select(i => i.Code).ToArray());
        items.Single(i => i.Code == "rechtbank").Due.ShouldBe("2029-03-15");
        items.ShouldAllBe(i => i.OwnerName == "Hanna Bondgenoot" && !i.Overdue);
        var task = await (await mother.GetAsync($"/fhir/Task/{items[0].TaskId}")).ReadAs<Hl7.Fhir.Model.Task>();
        task.BasedOn.Single().Reference.ShouldBe("CarePlan/tr-plan");

        // Again: nothing new (idempotent by the item's code).
        var again = await mother.PostAsJsonAsync($"{Url}/checklist", new StartChecklistRequest(), Json);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await mother.CountAsync("Task")).ShouldBe(RegieCodes.Checklist18.Items.Count);

        var seen = await OverviewAsync(supporter);
        seen.Viewer.ShouldBe("ondersteuner");
        seen.CanDecide.ShouldBeFalse();
        seen.ChecklistShared.ShouldBeTrue();
        seen.Checklist.Length.ShouldBe(RegieCodes.Checklist18.Items.Count);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task At_17_and_three_months_before_18_the_regiehouders_and_the_supporter_are_reminded_until_a_choice_is_recorded(string provider)
    {
        var (api, clock) = await FamilyAsync(provider, "2009-06-15", new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero));
        await using var _api = api;
        var mother = api.ClientAs(Mother);
        (await AgeStepsAsync(api)).ShouldBe([(Father, "17"), (Mother, "17"), (Supporter, "17")]);

        clock.Set(new DateTimeOffset(2027, 3, 15, 10, 0, 0, TimeSpan.Zero));
        (await AgeStepsAsync(api)).ShouldBe([(Father, "18-3m"), (Mother, "18-3m"), (Supporter, "18-3m")]);
        var reminders = await mother.GetFromJsonAsync<JsonElement>("/api/access/reminders", Json);
        reminders[0].GetProperty("turnsEighteen").GetString().ShouldBe("2027-06-15");
        reminders[0].GetProperty("message").GetString().ShouldBe(RegieCodes.Milestones.Explanation["18-3m"].ForParents);

        // Once the choice is recorded, the track asks nothing more.
        (await ChooseAsync(mother, new RegieChoiceRequest(RegieCodes.After18.Client))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await mother.GetFromJsonAsync<JsonElement>("/api/access/reminders", Json)).GetArrayLength().ShouldBe(0);
        (await OverviewAsync(mother)).ChoiceNeeded.ShouldBeFalse();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task At_18_the_choice_client_ends_the_parents_regie_once_the_client_has_an_account(string provider)
    {
        var (api, clock) = await FamilyAsync(provider, "2009-06-15", new DateTimeOffset(2027, 1, 10, 10, 0, 0, TimeSpan.Zero));
        await using var _api = api;
        var mother = api.ClientAs(Mother);
        var chosen = await ChooseAsync(mother, new RegieChoiceRequest(RegieCodes.After18.Client));
        chosen.StatusCode.ShouldBe(HttpStatusCode.Created, await chosen.Content.ReadAsStringAsync());
        var choice = (await OverviewAsync(mother)).Choice.ShouldNotBeNull();
        choice.Code.ShouldBe("client");
        choice.RecordedBy.ShouldBe("Mirjam Overgang");

        // The birthday: the client has no account yet, so the parents' regie continues, provisionally.
        clock.Set(new DateTimeOffset(2027, 6, 15, 10, 0, 0, TimeSpan.Zero));
        (await mother.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var provisional = await OverviewAsync(mother);
        provisional.RegieState.ShouldBe("voorlopig");
        provisional.ChoiceNeeded.ShouldBeTrue();
        (await AgeStepsAsync(api)).ShouldBe([(Father, "18"), (Mother, "18"), (Supporter, "18")]);

        // The client's account: from now on the client holds regie and the parents' regie without a legal basis has ended.
        (await api.CreateClient().PutAsync($"/fhir/Person/tr-self", Link("tr-self", $"Patient/{Child}"))).EnsureSuccessStatusCode();
        (await mother.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await mother.GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var own = await OverviewAsync(Client(api));
        own.RegieState.ShouldBe("client");
        own.Viewer.ShouldBe("client");
        own.ChoiceNeeded.ShouldBeFalse();
        (await Client(api).GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task After_18_without_a_choice_or_an_account_the_parents_keep_regie_provisionally_and_hear_of_it_every_month(string provider)
    {
        var (api, clock) = await FamilyAsync(provider, "2009-06-15", new DateTimeOffset(2027, 6, 16, 10, 0, 0, TimeSpan.Zero));
        await using var _api = api;
        var mother = api.ClientAs(Mother);
        (await mother.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var overview = await OverviewAsync(mother);
        overview.Stage.ShouldBe("volwassen");
        overview.RegieState.ShouldBe("voorlopig");
        overview.ChoiceNeeded.ShouldBeTrue();
        overview.CanDecide.ShouldBeTrue();

        clock.Set(new DateTimeOffset(2027, 7, 15, 10, 0, 0, TimeSpan.Zero));
        (await AgeStepsAsync(api)).ShouldBe([(Father, "voorlopig"), (Mother, "voorlopig"), (Supporter, "voorlopig")]);
        var schedule = api.Services.GetRequiredService<NotificationSchedule>();
        (await schedule.SweepAsync(default)).ShouldBeGreaterThanOrEqualTo(3);
        (await schedule.SweepAsync(default)).ShouldBe(0);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_mentor_recorded_with_the_court_decision_keeps_regie_after_18_and_the_client_keeps_reading_without_managing(string provider)
    {
        var (api, clock) = await FamilyAsync(provider, "2009-06-15", new DateTimeOffset(2027, 1, 10, 10, 0, 0, TimeSpan.Zero), clientAccount: true);
        await using var _api = api;
        var mother = api.ClientAs(Mother);

        // Without the court's decision it is refused, and nothing is stored.
        var refused = await ChooseAsync(mother, new RegieChoiceRequest(RegieCodes.After18.Vertegenwoordiger, Basis: "mentor"));
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await refused.Content.ReadAsStringAsync());
        (await OverviewAsync(mother)).Choice.ShouldBeNull();

        var chosen = await ChooseAsync(mother, new RegieChoiceRequest(RegieCodes.After18.Vertegenwoordiger, Basis: "mentor", Document: "tr-beschikking"));
        chosen.StatusCode.ShouldBe(HttpStatusCode.Created, await chosen.Content.ReadAsStringAsync());

        clock.Set(new DateTimeOffset(2027, 6, 16, 10, 0, 0, TimeSpan.Zero));
        (await mother.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var overview = await OverviewAsync(mother);
        overview.RegieState.ShouldBe("vertegenwoordiger");
        overview.ChoiceNeeded.ShouldBeFalse();
        var mentor = overview.Representations.ShouldHaveSingleItem();
        (mentor.Basis, mentor.DocumentTitle, mentor.InForce, mentor.ClientAccess, mentor.From).ShouldBe(("mentor", "Beschikking mentorschap", true, "lezen-schrijven", "2027-06-15"));
        mentor.Representatives.ShouldBe(["Mirjam Overgang", "Pieter Overgang"], ignoreOrder: true);

        // The client keeps reading and writing their own dossier, without managing access; they see who represents them.
        var client = Client(api);
        (await client.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/api/dossiers/{Child}/access")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var own = await OverviewAsync(client);
        own.Viewer.ShouldBe("client");
        own.CanDecide.ShouldBeFalse();
        own.Representations.ShouldHaveSingleItem().Basis.ShouldBe("mentor");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_WGBO_representative_is_recorded_only_with_the_reason_and_then_keeps_regie_after_18(string provider)
    {
        var (api, clock) = await FamilyAsync(provider, "2009-06-15", new DateTimeOffset(2027, 1, 10, 10, 0, 0, TimeSpan.Zero), clientAccount: true);
        await using var _api = api;
        var mother = api.ClientAs(Mother);
        (await ChooseAsync(mother, new RegieChoiceRequest(RegieCodes.After18.Wgbo))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await OverviewAsync(mother)).Choice.ShouldBeNull();
        var chosen = await ChooseAsync(mother, new RegieChoiceRequest(RegieCodes.After18.Wgbo, Reason: "Daan kan door zijn verstandelijke beperking niet zelf over zorg beslissen."));
        chosen.StatusCode.ShouldBe(HttpStatusCode.Created, await chosen.Content.ReadAsStringAsync());

        clock.Set(new DateTimeOffset(2027, 6, 16, 10, 0, 0, TimeSpan.Zero));
        (await mother.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var overview = await OverviewAsync(mother);
        overview.RegieState.ShouldBe("vertegenwoordiger");
        overview.Choice.ShouldNotBeNull().Code.ShouldBe("wgbo");
        overview.Representations.ShouldHaveSingleItem().Reason.ShouldNotBeNull().ShouldContain("niet zelf");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_12_and_16_steps_are_told_to_the_client_and_the_regiehouders_as_they_happen(string provider)
    {
        var (api, clock) = await FamilyAsync(provider, "2014-06-15", new DateTimeOffset(2026, 6, 14, 10, 0, 0, TimeSpan.Zero), clientAccount: true);
        await using var _api = api;
        (await AgeStepsAsync(api)).ShouldBeEmpty();
        // Eleven: the client sees nothing of their dossier yet.
        (await Client(api).GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        clock.Set(new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero));
        (await AgeStepsAsync(api)).ShouldBe([(Father, "12"), (Mother, "12"), (Self, "12")]);
        var own = await OverviewAsync(Client(api));
        own.Viewer.ShouldBe("client");
        own.Milestones.Single(m => m.Code == "12").ShouldSatisfyAllConditions(m => m.Passed.ShouldBeTrue(),
            m => m.ForClient.ShouldBe(RegieCodes.Milestones.Explanation["12"].ForClient));

        clock.Set(new DateTimeOffset(2030, 6, 15, 10, 0, 0, TimeSpan.Zero));
        (await AgeStepsAsync(api)).ShouldBe([(Father, "16"), (Mother, "16"), (Self, "16")]);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_regie_is_refused_to_an_agency_unknown_to_a_stranger_and_decided_only_by_a_regiehouder(string provider)
    {
        var (api, _) = await FamilyAsync(provider, "2009-06-15", new DateTimeOffset(2027, 1, 10, 10, 0, 0, TimeSpan.Zero));
        await using var _api = api;
        (await api.ClientAs(Agency).GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs(Stranger).GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.ClientAs(Stranger).PostAsJsonAsync($"{Url}/checklist", new StartChecklistRequest(), Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ChooseAsync(api.ClientAs(Stranger), new RegieChoiceRequest("client"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var bySupporter = await ChooseAsync(api.ClientAs(Supporter), new RegieChoiceRequest("client"));
        bySupporter.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs(Supporter).PostAsJsonAsync($"{Url}/representations",
            new RepresentationRequest("mentor", ["RelatedPerson/tr-mother"], "tr-beschikking", null, null, null), Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // A wrong choice is a Dutch 400, and nothing is stored.
        var wrong = await ChooseAsync(api.ClientAs(Mother), new RegieChoiceRequest("ouders"));
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("Kies wie na het 18e jaar de regie heeft");
        (await OverviewAsync(api.ClientAs(Mother))).Choice.ShouldBeNull();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_representation_is_recorded_with_its_period_bewind_gives_the_finances_only_and_ending_one_keeps_its_history(string provider)
    {
        var (api, clock) = await FamilyAsync(provider, "2005-03-01", new DateTimeOffset(2027, 1, 10, 10, 0, 0, TimeSpan.Zero), clientAccount: true);
        await using var _api = api;
        var mother = api.ClientAs(Mother);
        // The client (21, with an account) holds regie: the mother has none and cannot record one.
        var client = Client(api);
        var bewind = await client.PostAsJsonAsync($"{Url}/representations",
            new RepresentationRequest("bewind", ["RelatedPerson/tr-father"], "tr-beschikking", null, "2027-01-01", "2032-01-01"), Json);
        bewind.StatusCode.ShouldBe(HttpStatusCode.Created, await bewind.Content.ReadAsStringAsync());
        var view = (await bewind.Content.ReadFromJsonAsync<RepresentationView>(Json))!;
        (view.Basis, view.From, view.Until, view.InForce, view.DocumentTitle).ShouldBe(("bewind", "2027-01-01", "2032-01-01", true, "Beschikking mentorschap"));
        // The bewindvoerder reads the finances, nothing else.
        var father = api.ClientAs(Father);
        (await father.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var mentor = await client.PostAsJsonAsync($"{Url}/representations",
            new RepresentationRequest("mentor", ["RelatedPerson/tr-mother"], "tr-beschikking", null, "2027-01-01", null, "lezen"), Json);
        mentor.StatusCode.ShouldBe(HttpStatusCode.Created, await mentor.Content.ReadAsStringAsync());
        var mentorId = (await mentor.Content.ReadFromJsonAsync<RepresentationView>(Json))!.ConsentId;
        (await mother.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await OverviewAsync(mother)).RegieState.ShouldBe("vertegenwoordiger");

        // Only a representation of this dossier is ended here; the mentor (regiehouder now) ends her own.
        (await mother.DeleteAsync($"{Url}/representations/tr-support")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await mother.DeleteAsync($"{Url}/representations/{mentorId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await mother.GetAsync("/fhir/Goal/tr-goal")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var after = await OverviewAsync(client);
        after.RegieState.ShouldBe("client");
        after.Representations.Single(r => r.ConsentId == mentorId).InForce.ShouldBeFalse();
    }

    [Fact]
    public async System.Threading.Tasks.Task Leo_Franks_demo_dossier_has_the_checklist_under_way_and_asks_for_the_choice()
    {
        await using var api = new ApiFactory(demoData: true);
        var overview = await api.ClientAs("Person/frank-karin").GetFromJsonAsync<RegieOverview>("/api/dossiers/frank-leo/regie", Json);
        overview.ShouldNotBeNull();
        overview.Checklist.Length.ShouldBe(RegieCodes.Checklist18.Items.Count);
        overview.Checklist.Count(i => i.Status == "completed").ShouldBe(3);
        overview.Checklist.Select(i => i.OwnerName).Distinct().ShouldBe(["Hans (bondgenoot)", "Karin Frank", "Ruben Frank"], ignoreOrder: true);
        overview.Checklist.Single(i => i.Code == "rechtbank").TaskId.ShouldBe("frank-afspraak-rechtbank");
        overview.Choice.ShouldBeNull();
        // Both parents, and Leo himself from 16 (the age rules).
        overview.Regiehouders.ShouldBe(["Karin Frank", "Ruben Frank", "Leo Frank"], ignoreOrder: true);
        (overview.RegieState, overview.ChoiceNeeded).ShouldBe(("ouders", true));
        // Hans, the supporter, sees the same checklist; starting it again adds nothing.
        var hans = api.ClientAs("Person/bondgenoot-hans");
        (await hans.PostAsJsonAsync("/api/dossiers/frank-leo/regie/checklist", new StartChecklistRequest(), Json)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await hans.GetFromJsonAsync<RegieOverview>("/api/dossiers/frank-leo/regie", Json))!.Checklist.Length.ShouldBe(RegieCodes.Checklist18.Items.Count);
    }

    [Fact]
    public void A_start_age_outside_12_to_17_is_refused_at_start()
    {
        using var api = new ApiFactory(settings: new Dictionary<string, string?> { ["Pgo:Transition:StartAge"] = "19" });
        // The host refuses to start with the setting named (Api/Hosting/UnsafeSettings.cs turns the validation into one message).
        Should.Throw<InvalidOperationException>(() => api.CreateClient()).Message.ShouldContain("Pgo:Transition:StartAge");
    }
}
