using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pgo.Api.Notifications.Rules;
using Pgo.Api.Notifications.Schedule;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Api.Tests.Dossier;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Tests.Measurements;

/// <summary>One Api per provider for the whole class, with a clock the tests move (Pgo:Measurements:FirstFollowUpMonths = 4).</summary>
public abstract class MeasurementPlanHost(string provider) : IAsyncLifetime
{
    // Friday 4 December 2026, 12:00 in Amsterdam.
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 4, 11, 0, 0, TimeSpan.Zero));
    public ApiFactory Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Api = new ApiFactory(provider, clock: Clock, settings: new Dictionary<string, string?>
        {
            ["Notifications:SweepInterval"] = "30.00:00:00",
            ["Pgo:Measurements:FirstFollowUpMonths"] = "4",
            ["Pgo:LoadTerminology"] = "true",
        });
        await MeasurementPlanTests.SeedAsync(Api.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Api.DisposeAsync();
    }
}

public sealed class SqliteMeasurementPlanHost() : MeasurementPlanHost("sqlite");
public sealed class PostgresMeasurementPlanHost() : MeasurementPlanHost("postgres");
public sealed class MeasurementPlanOnSqlite(SqliteMeasurementPlanHost h) : MeasurementPlanTests(h), IClassFixture<SqliteMeasurementPlanHost>;
public sealed class MeasurementPlanOnPostgres(PostgresMeasurementPlanHost h) : MeasurementPlanTests(h), IClassFixture<PostgresMeasurementPlanHost>;

/// <summary>
/// The measurement plan (issue 20) on SQLite and PostgreSQL: the supporter plans the 0-, 1- and 2-meting with the configured
/// months, moves and cancels one; a response of the instrument and moment completes it; who reads metingen reads the plan
/// and nobody else (a stranger, an agency and a therapist without metingen get nothing, a reader cannot write, nothing
/// half-stored); and a planned meting reminds the supporter and the regiehouder seven days before its due day and once
/// when it is overdue.
/// </summary>
public abstract class MeasurementPlanTests(MeasurementPlanHost host)
{
    private const string Child = "mp-child";
    private const string Late = "mp-late";
    private const string Other = "mp-other";
    private const string Parent = "Person/mp-parent";
    private const string Uncle = "Person/mp-oom";
    private const string Supporter = "Person/mp-bondgenoot";
    private const string Therapist = "Person/mp-therapeut";
    private const string Agency = "Person/mp-wmo";
    private const string Stranger = "Person/mp-vreemde";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Outsiders = [Therapist, Agency, Stranger];

    private ApiFactory Api => host.Api;
    private HttpClient As(string person) => Api.ClientAs(person);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    internal static async System.Threading.Tasks.Task SeedAsync(HttpClient system)
    {
        List<Resource> resources =
        [
            new Patient { Id = Other, BirthDate = "2014-02-01", Name = [new HumanName { Family = "Ander" }] },
            new RelatedPerson { Id = "mp-vreemde", Patient = new ResourceReference($"Patient/{Other}") },
            new Practitioner { Id = "mp-bondgenoot", Name = [new HumanName { Text = "Bram (bondgenoot)" }] },
            new Practitioner { Id = "mp-therapeut" },
            new Practitioner { Id = "mp-wmo" },
            Link("mp-bondgenoot", "Practitioner/mp-bondgenoot"), Link("mp-therapeut", "Practitioner/mp-therapeut"), Link("mp-wmo", "Practitioner/mp-wmo"),
            Link("mp-vreemde", "RelatedPerson/mp-vreemde"),
            Grants.Regie("mp-regie-other", Other, ["RelatedPerson/mp-vreemde"]),
        ];
        foreach (var child in new[] { Child, Late })
        {
            resources.Add(new Patient { Id = child, BirthDate = "2016-05-01", Name = [new HumanName { Family = "Meting" }] });
            resources.Add(new RelatedPerson { Id = $"{child}-parent", Patient = new ResourceReference($"Patient/{child}") });
            resources.Add(new RelatedPerson { Id = $"{child}-oom", Patient = new ResourceReference($"Patient/{child}") });
            resources.Add(Grants.Regie($"{child}-regie", child, [$"RelatedPerson/{child}-parent"]));
            resources.Add(Grants.Grant($"{child}-support", child, "Practitioner/mp-bondgenoot", GrantRole.Ondersteuner, [Section.Metingen, Section.Afspraken], write: true));
            resources.Add(Grants.Grant($"{child}-therapy", child, "Practitioner/mp-therapeut", GrantRole.Zorgverlener, [Section.Afspraken, Section.Logboek], write: true));
            resources.Add(Grants.Grant($"{child}-agency", child, "Practitioner/mp-wmo", GrantRole.Instantie, [Section.Documenten]));
            resources.Add(Grants.Grant($"{child}-uncle", child, $"RelatedPerson/{child}-oom", GrantRole.Gezinslid, [Section.Metingen]));
        }
        resources.Add(new Person { Id = "mp-parent", Link = [Target($"RelatedPerson/{Child}-parent"), Target($"RelatedPerson/{Late}-parent")] });
        resources.Add(new Person { Id = "mp-oom", Link = [Target($"RelatedPerson/{Child}-oom"), Target($"RelatedPerson/{Late}-oom")] });
        foreach (var r in resources) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).EnsureSuccessStatusCode();

        static Person Link(string id, string target) => new() { Id = id, Name = [new HumanName { Text = $"Naam {id}" }], Link = [Target(target)] };
        static Person.LinkComponent Target(string target) => new() { Target = new ResourceReference(target) };
    }

    private static async Task<JsonElement> Body(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Day(DateTimeOffset now, int months = 0, int days = 0) =>
        Pgo.Shared.Text.DutchTime.Today(now).AddMonths(months).AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<int> StoredPlannedAsync(string patient) =>
        (await Api.CreateClient().GetJsonAsync($"/fhir/Task?patient=Patient/{patient}&code={MeasurementPlanCodes.System}|{MeasurementPlanCodes.Planned}&_count=100"))
            is var b && b.TryGetProperty("entry", out var e) ? e.GetArrayLength() : 0;

    [Fact]
    public async System.Threading.Tasks.Task The_supporter_plans_the_three_metingen_with_the_configured_months_and_only_who_reads_metingen_sees_the_plan()
    {
        // A reader of metingen cannot plan, an outsider cannot either: nothing stored.
        (await As(Uncle).PostAsJsonAsync($"/api/dossiers/{Child}/measurement-plan", new { }, Json, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(Therapist).PostAsJsonAsync($"/api/dossiers/{Child}/measurement-plan", new { }, Json, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(Stranger).PostAsJsonAsync($"/api/dossiers/{Child}/measurement-plan", new { }, Json, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await As(Supporter).PostAsJsonAsync($"/api/dossiers/{Child}/measurement-plan", new { instruments = new[] { "bestaat-niet" } }, Json, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StoredPlannedAsync(Child)).ShouldBe(0);

        var now = host.Clock.GetUtcNow();
        var plan = await Body(await As(Supporter).PostAsJsonAsync($"/api/dossiers/{Child}/measurement-plan", new { }, Json, Cancel), HttpStatusCode.Created);
        plan.GetProperty("canPlan").GetBoolean().ShouldBeTrue();
        plan.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("moment").GetString(), i.GetProperty("due").GetString(), i.GetProperty("state").GetString()))
            .ShouldBe([("0-meting", Day(now), "gepland"), ("1-meting", Day(now, 4), "gepland"), ("2-meting", Day(now, 12), "gepland")]);
        plan.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("instrumentTitle").GetString() == "Gezinsvragenlijst kwaliteit van leven");
        // A second plan of the same instrument while one is open: refused, nothing added.
        (await As(Supporter).PostAsJsonAsync($"/api/dossiers/{Child}/measurement-plan", new { }, Json, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await StoredPlannedAsync(Child)).ShouldBe(3);

        // The regiehouder and the uncle (read metingen) read it; the uncle cannot change it.
        var read = await Body(await As(Uncle).GetAsync($"/api/dossiers/{Child}/measurement-plan", Cancel), HttpStatusCode.OK);
        read.GetProperty("canPlan").GetBoolean().ShouldBeFalse();
        (await Body(await As(Parent).GetAsync($"/api/dossiers/{Child}/measurement-plan", Cancel), HttpStatusCode.OK)).GetProperty("items").GetArrayLength().ShouldBe(3);
        var first = read.GetProperty("items")[0].GetProperty("id").GetString()!;
        (await As(Uncle).PutAsJsonAsync($"/api/dossiers/{Child}/measurement-plan/{first}", new { due = Day(now, days: 3) }, Json, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // The therapist (afspraken, no metingen), the agency and a stranger: nothing, neither here nor as agreements nor on /fhir.
        (await As(Therapist).GetAsync($"/api/dossiers/{Child}/measurement-plan", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await As(Agency).GetAsync($"/api/dossiers/{Child}/measurement-plan", Cancel)).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        (await As(Stranger).GetAsync($"/api/dossiers/{Child}/measurement-plan", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        foreach (var outsider in Outsiders)
        {
            (await As(outsider).GetAsync($"/fhir/Task/{first}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var tasks = await As(outsider).GetAsync($"/fhir/Task?patient=Patient/{Child}", Cancel);
            if (tasks.IsSuccessStatusCode) (await tasks.ReadAs<Bundle>()).Entry.ShouldBeEmpty(outsider);
        }
        // Not an agreement, even for the supporter who reads both.
        (await Body(await As(Supporter).GetAsync("/api/agreements/mine", Cancel), HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);

        // The supporter moves the 0-meting and cancels the 2-meting with a reason; a bad date or an empty reason is a 400.
        (await As(Supporter).PutAsJsonAsync($"/api/dossiers/{Child}/measurement-plan/{first}", new { due = "morgen" }, Json, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var moved = await Body(await As(Supporter).PutAsJsonAsync($"/api/dossiers/{Child}/measurement-plan/{first}", new { due = Day(now, days: 3) }, Json, Cancel), HttpStatusCode.OK);
        moved.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == first).GetProperty("due").GetString().ShouldBe(Day(now, days: 3));
        var second = moved.GetProperty("items")[2].GetProperty("id").GetString()!;
        (await As(Supporter).PostAsJsonAsync($"/api/dossiers/{Child}/measurement-plan/{second}/cancel", new { reason = " " }, Json, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var cancelled = await Body(await As(Supporter).PostAsJsonAsync($"/api/dossiers/{Child}/measurement-plan/{second}/cancel",
            new { reason = "Het gezin stopt met de ondersteuning." }, Json, Cancel), HttpStatusCode.OK);
        var gone = cancelled.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == second);
        (gone.GetProperty("state").GetString(), gone.GetProperty("reason").GetString()).ShouldBe(("geannuleerd", "Het gezin stopt met de ondersteuning."));
        (await As(Supporter).PutAsJsonAsync($"/api/dossiers/{Child}/measurement-plan/{second}", new { due = Day(now, days: 5) }, Json, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        // The 0-meting answered: the plan shows it done on that day, with the response as its output.
        var response = new QuestionnaireResponse
        {
            Questionnaire = Pgo.Api.Dossier.ProjectQuestionnaires.Canonical("kwaliteit-van-leven"),
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference($"Patient/{Child}"),
            Authored = now.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        };
        response.AddExtension(DossierExtensions.MeasurementMoment, new Coding(MeasurementMoment.System, MeasurementMoment.Nul));
        var stored = await (await As(Supporter).PostAsync("/fhir/QuestionnaireResponse", response)).ReadAs<QuestionnaireResponse>();
        var dispatcher = Api.Services.GetRequiredService<NotificationDispatcher>();
        while (await dispatcher.DrainOnceAsync(Cancel) > 0) { }
        var done = (await Body(await As(Parent).GetAsync($"/api/dossiers/{Child}/measurement-plan", Cancel), HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == first);
        (done.GetProperty("state").GetString(), done.GetProperty("doneOn").GetString()).ShouldBe(("gedaan", Day(now)));
        var task = await (await Api.CreateClient().GetAsync($"/fhir/Task/{first}", Cancel)).ReadAs<Hl7.Fhir.Model.Task>();
        task.Status.ShouldBe(Hl7.Fhir.Model.Task.TaskStatus.Completed);
        ((ResourceReference)task.Output.Single().Value).Reference.ShouldBe($"QuestionnaireResponse/{stored.Id}");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_planned_meting_reminds_the_supporter_and_the_regiehouder_seven_days_before_and_once_when_overdue()
    {
        await Api.KeepOnlyNotificationProducersAsync(typeof(NotificationDispatcher));
        var now = host.Clock.GetUtcNow();
        // The 0-meting ten days from now.
        var plan = await Body(await As(Supporter).PostAsJsonAsync($"/api/dossiers/{Late}/measurement-plan", new { start = Day(now, days: 10) }, Json, Cancel), HttpStatusCode.Created);
        var item = "Task/" + plan.GetProperty("items")[0].GetProperty("id").GetString();
        var schedule = Api.Services.GetRequiredService<NotificationSchedule>();

        await schedule.SweepAsync(Cancel); // ten days before
        (await StoredAsync(Supporter, item)).ShouldBeEmpty();
        host.Clock.Advance(TimeSpan.FromDays(2)); // eight days before
        await schedule.SweepAsync(Cancel);
        (await StoredAsync(Supporter, item)).ShouldBeEmpty();
        host.Clock.Advance(TimeSpan.FromDays(1)); // seven days before
        await schedule.SweepAsync(Cancel);
        foreach (var person in new[] { Supporter, Parent })
            (await StoredAsync(person, item)).ShouldBe([NotificationKinds.MeasurementDue]);
        foreach (var person in (string[])[Uncle, .. Outsiders])
            (await StoredAsync(person, item)).ShouldBeEmpty(person);
        host.Clock.Advance(TimeSpan.FromDays(7)); // the due day: not told again
        await schedule.SweepAsync(Cancel);
        (await StoredAsync(Supporter, item)).Count.ShouldBe(1);

        host.Clock.Advance(TimeSpan.FromDays(1)); // overdue: told once
        await schedule.SweepAsync(Cancel);
        host.Clock.Advance(TimeSpan.FromDays(1));
        await schedule.SweepAsync(Cancel);
        foreach (var person in new[] { Supporter, Parent })
            (await StoredAsync(person, item)).ShouldBe([NotificationKinds.MeasurementDue, NotificationKinds.MeasurementDue]);
        (await StoredAsync(Uncle, item)).ShouldBeEmpty();
    }

    private async Task<List<string>> StoredAsync(string person, string item) =>
        (await Api.Services.GetRequiredService<INotificationStore>().ListNotificationsAsync(person, unreadOnly: false, before: null, count: 200))
        .Where(n => n.Item == item).Select(n => n.Kind).ToList();
}
