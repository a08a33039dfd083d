using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Practice;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Rest;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Evidence;
using Pgo.Api.Tests.Fhir;

namespace Pgo.Api.Tests.Evidence;

/// <summary>Ten small families loaded once per provider in one transaction bundle: nine with research consent, the tenth
/// without (its regiehouder gives it in the test). Each: a client, a parent (regiehouder), the family's supporter (a grant that
/// manages access), intensity intensief, one crisis, a measurement answered twice (3 then 5) and two hours of time.</summary>
public abstract class ProgrammeFamilies(string provider) : IAsyncLifetime
{
    public const int Count = 10;
    public ApiFactory Api { get; } = new(provider);
    public static string Patient(int i) => $"prog-kind-{i}";
    public static string Parent(int i) => $"prog-ouder-{i}";
    public const string Supporter = "prog-bondgenoot";
    public const string Professional = "prog-zorgverlener";
    public const string Instrument = "https://fhir.pgo-platform.nl/Questionnaire/test-cijfer";

    public HttpClient AsPerson(string person) => Api.ClientFor(TestTokens.Person($"Person/{person}"));

    /// <summary>An account with an Identity role and no fhirUser (the programme roles have no dossier, no Person).</summary>
    public HttpClient WithRole(string role, string? sub = null) => Api.ClientFor(TestTokens.Create(sub ?? $"account-{role}", null, "openid", "pgo-portal", [role]));

    public async ValueTask InitializeAsync()
    {
        var system = Api.CreateClient();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var resources = new List<Resource>
        {
            new Practitioner { Id = Supporter, Name = [new HumanName { Text = "Bondgenoot Test" }] },
            new Person { Id = Supporter, Link = [new Person.LinkComponent { Target = new ResourceReference($"Practitioner/{Supporter}") }] },
            new Practitioner { Id = Professional, Name = [new HumanName { Text = "Zorgverlener Test" }] },
            new Person { Id = Professional, Link = [new Person.LinkComponent { Target = new ResourceReference($"Practitioner/{Professional}") }] },
            new Questionnaire
            {
                Id = "test-cijfer", Url = Instrument, Title = "Testcijfer", Status = PublicationStatus.Active,
                Item = [new Questionnaire.ItemComponent { LinkId = "q1", Text = "Cijfer", Type = Questionnaire.QuestionnaireItemType.Integer }],
            },
        };
        for (var i = 1; i <= Count; i++)
        {
            var p = Patient(i);
            resources.Add(new Patient { Id = p, BirthDate = "2015-03-01", Name = [new HumanName { Given = ["Kind" + i], Family = "Testgezin" }] });
            resources.Add(new RelatedPerson { Id = Parent(i), Patient = new ResourceReference($"Patient/{p}"), Name = [new HumanName { Text = "Ouder Testgezin " + i }] });
            resources.Add(new Person { Id = Parent(i), Link = [new Person.LinkComponent { Target = new ResourceReference($"RelatedPerson/{Parent(i)}") }] });
            resources.Add(Named(Grants.Regie(null, p, [$"RelatedPerson/{Parent(i)}"]), $"prog-regie-{i}"));
            resources.Add(Named(Grants.Grant(null, p, $"Practitioner/{Supporter}", PgoCodes.GrantRole.Ondersteuner, null, write: true, manage: true), $"prog-steun-{i}"));
            resources.Add(Named(Grants.Grant(null, p, $"Practitioner/{Professional}", PgoCodes.GrantRole.Zorgverlener, [DossierSections.Logboek], write: true), $"prog-zorg-{i}"));
            if (i < Count) resources.Add(Named(Grants.Research(null, p, DateTimeOffset.UtcNow.AddDays(-1)), $"prog-onderzoek-{i}"));
            resources.Add(IntensityChange.New(p, $"Practitioner/{Supporter}", "Bondgenoot Test", SupportIntensity.Intensief, null, today.AddDays(-60),
                "Start van de ondersteuning", agreed: true, rhythmWeeks: null, id: $"prog-intensiteit-{i}"));
            resources.Add(CountableEvent.New(p, $"Practitioner/{Supporter}", "Bondgenoot Test",
                new CountableEvent.Fields(EventCodes.Types.Crisis, today.AddDays(-10), "Crisis thuis"), id: $"prog-crisis-{i}"));
            resources.Add(Answer($"prog-meting-{i}-a", p, Parent(i), today.AddDays(-40), 3));
            resources.Add(Answer($"prog-meting-{i}-b", p, Parent(i), today.AddDays(-5), 5));
        }
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var r in resources)
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
        var response = await system.PostAsync("/fhir", bundle);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());

        var time = Api.Services.GetRequiredService<TimeStore>();
        for (var i = 1; i <= Count; i++)
            await time.InsertAsync(new TimeRow
            {
                AuthorKey = "account-prog-bondgenoot", AuthorName = "Bondgenoot Test", AuthorRef = $"Practitioner/{Supporter}", PatientId = Patient(i),
                FamilyName = "Testgezin " + i, Activity = "zorg-coordineren", EntryDate = today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Minutes = 120, CreatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            }, CancellationToken.None);
    }

    private static Consent Named(Consent c, string id) { c.Id = id; return c; }

    private static QuestionnaireResponse Answer(string id, string patient, string parent, DateOnly day, int score) => new()
    {
        Id = id, Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed, Questionnaire = Instrument,
        Subject = new ResourceReference($"Patient/{patient}"), Source = new ResourceReference($"RelatedPerson/{parent}"),
        Authored = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Item = [new QuestionnaireResponse.ItemComponent { LinkId = "q1", Answer = [new QuestionnaireResponse.AnswerComponent { Value = new Integer(score) }] }],
    };

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Api.DisposeAsync();
    }
}

public sealed class SqliteProgrammeFamilies() : ProgrammeFamilies("sqlite");
public sealed class PostgresProgrammeFamilies() : ProgrammeFamilies("postgres");
public sealed class ProgrammeAggregatesOnSqlite(SqliteProgrammeFamilies f) : ProgrammeAggregatesTests(f), IClassFixture<SqliteProgrammeFamilies>;
public sealed class ProgrammeAggregatesOnPostgres(PostgresProgrammeFamilies f) : ProgrammeAggregatesTests(f), IClassFixture<PostgresProgrammeFamilies>;

/// <summary>The programme view (issue 21, docs/adr/0012): only families with research consent count, nothing rests on fewer
/// than 10 families, no identifier or name leaves, research consent is the regiehouder's, and every aggregate read is audited.</summary>
public abstract class ProgrammeAggregatesTests(ProgrammeFamilies families)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(ProgrammeAggregates View, string Body)> AggregatesAsync(string role)
    {
        var response = await families.WithRole(role).GetAsync("/api/programme/aggregates", Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return (JsonSerializer.Deserialize<ProgrammeAggregates>(body, Json)!, body);
    }

    private static void ShouldNameNoFamily(string body)
    {
        body.ShouldNotContain("prog-");
        body.ShouldNotContain("Patient/");
        body.ShouldNotContain("Testgezin");
        body.ShouldNotContain("Kind1");
        body.ShouldNotContain("Ouder");
    }

    private static ProgrammeTable Table(ProgrammeAggregates view, string key) => view.Tables.Single(t => t.Key == key);

    [Fact]
    public async System.Threading.Tasks.Task Nine_consenting_families_show_nothing_ten_show_totals_without_a_family_and_a_revocation_counts_at_once()
    {
        // Nine families with research consent: every cell and every total suppressed.
        var (nine, nineBody) = await AggregatesAsync(AccountRoles.Coordinator);
        nine.Families.Suppressed.ShouldBeTrue();
        nine.Families.Families.ShouldBeNull();
        foreach (var table in nine.Tables.Where(t => t.Available))
        {
            table.Rows.ShouldNotBeEmpty();
            table.Rows.ShouldAllBe(r => r.Suppressed && r.Families == null && r.Value == null);
            if (table.Total is { } total) total.Suppressed.ShouldBeTrue();
        }
        ShouldNameNoFamily(nineBody);

        // The tenth family's regiehouder gives research consent in Toegang.
        var given = await families.AsPerson(ProgrammeFamilies.Parent(10)).PutAsync($"/api/dossiers/{ProgrammeFamilies.Patient(10)}/research-consent", null, Cancel);
        given.StatusCode.ShouldBe(HttpStatusCode.OK, await given.Content.ReadAsStringAsync(Cancel));
        (await given.Content.ReadFromJsonAsync<ResearchConsentView>(Json, Cancel))!.Given.ShouldBeTrue();

        var (ten, tenBody) = await AggregatesAsync(AccountRoles.Funder);
        ten.Families.Families.ShouldBe(10);
        ten.ModelVersion.ShouldBe("seed-004-v1");
        Table(ten, "intensiteit").Rows.Single().ShouldBe(new ProgrammeRow(SupportIntensity.Intensief, "Intensief", 10, 10, false));
        Table(ten, "intensiteit").Total!.Value.ShouldBe(10);
        Table(ten, "gebeurtenissen").Rows.Single().ShouldBe(new ProgrammeRow(EventCodes.Types.Crisis, "Crisis", 10, 10, false));
        Table(ten, "uren").Rows.Single().ShouldBe(new ProgrammeRow("zorg-coordineren", "Zorg coördineren", 10, 20, false));
        Table(ten, "metingen").Rows.Single().ShouldBe(new ProgrammeRow("test-cijfer", "Testcijfer", 10, 2, false));
        // The business case per stakeholder and scenario, summed over the ten families' own cases (FamilyCaseService): none
        // of these families judged an item avoided, so every row rests on ten families and counts nothing yet.
        var business = Table(ten, "businesscase");
        business.Available.ShouldBeTrue();
        business.Rows.Count.ShouldBe(Stakeholders.All.Count * BusinessCaseModels.Seed004.Scenarios.Count);
        business.Rows.ShouldAllBe(r => !r.Suppressed && r.Families == 10 && r.Value == 0);
        ShouldNameNoFamily(tenBody);

        // One family revokes: the very next aggregate rests on nine again, so everything is suppressed.
        var revoked = await families.AsPerson(ProgrammeFamilies.Parent(3)).DeleteAsync($"/api/dossiers/{ProgrammeFamilies.Patient(3)}/research-consent", Cancel);
        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await revoked.Content.ReadFromJsonAsync<ResearchConsentView>(Json, Cancel))!.Given.ShouldBeFalse();
        var (after, _) = await AggregatesAsync(AccountRoles.Researcher);
        after.Families.Suppressed.ShouldBeTrue();
        after.Tables.Where(t => t.Available).SelectMany(t => t.Rows).ShouldAllBe(r => r.Suppressed);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_regiehouder_a_supporter_and_a_professional_get_403_from_the_programme_view_and_only_the_regiehouder_gives_research_consent()
    {
        foreach (var (client, who) in new[]
                 {
                     (families.AsPerson(ProgrammeFamilies.Parent(1)), "regiehouder"), (families.AsPerson(ProgrammeFamilies.Supporter), "bondgenoot"),
                     (families.AsPerson(ProgrammeFamilies.Professional), "zorgverlener"), (families.WithRole(AccountRoles.Supporter), "rol supporter"),
                     (families.WithRole(AccountRoles.Professional), "rol professional"), (families.WithRole(AccountRoles.Regiehouder), "rol regiehouder"),
                 })
        {
            (await client.GetAsync("/api/programme/aggregates", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, who);
            (await client.GetAsync("/api/programme/aggregates.csv", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, who);
        }
        (await families.Api.ClientFor(null).GetAsync("/api/programme/aggregates", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Research consent: the supporter who manages access and the professional are refused (403: they see the dossier).
        foreach (var person in new[] { ProgrammeFamilies.Supporter, ProgrammeFamilies.Professional })
        {
            var client = families.AsPerson(person);
            (await client.PutAsync($"/api/dossiers/{ProgrammeFamilies.Patient(1)}/research-consent", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, person);
            (await client.DeleteAsync($"/api/dossiers/{ProgrammeFamilies.Patient(1)}/research-consent", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, person);
        }
        // Nor does research consent open anything: the programme roles see no dossier.
        (await families.WithRole(AccountRoles.Coordinator).GetAsync($"/api/dossiers/{ProgrammeFamilies.Patient(1)}/research-consent", Cancel)).StatusCode
            .ShouldBe(HttpStatusCode.NotFound);
        var state = await families.AsPerson(ProgrammeFamilies.Parent(1)).GetFromJsonAsync<ResearchConsentView>($"/api/dossiers/{ProgrammeFamilies.Patient(1)}/research-consent", Json, Cancel);
        state!.Given.ShouldBeTrue();
        state.MayChange.ShouldBeTrue();
    }

    [Fact]
    public async System.Threading.Tasks.Task Each_aggregate_read_is_one_audit_record_naming_who_what_and_the_period_but_no_family_and_the_csv_names_the_model()
    {
        var csv = await families.WithRole(AccountRoles.Researcher, "account-audit-researcher").GetAsync("/api/programme/aggregates.csv?from=2026-01-01&to=2026-12-31", Cancel);
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await csv.Content.ReadAsStringAsync(Cancel);
        text.ShouldContain("model;seed-004-v1");
        text.ShouldContain("periode van;2026-01-01");
        text.ShouldContain("periode tot en met;2026-12-31");
        text.ShouldContain("gemaakt op;");
        text.ShouldNotContain("prog-kind");

        var audit = await families.Api.Services.GetRequiredService<FhirRepository>().Audit.ReadAsync(new AuditQuery(Limit: 5000), Cancel);
        var record = audit.Select(a => a.Record).Where(r => r.Action == FhirRepository.AggregateReadAction && r.Subject == "account-audit-researcher")
            .ShouldHaveSingleItem();
        record.Detail.ShouldNotBeNull();
        record.Detail.ShouldContain("programme-aggregates");
        record.Detail.ShouldContain("from=2026-01-01; to=2026-12-31");
        record.Detail.ShouldContain("intensiteit,uren,gebeurtenissen,metingen,businesscase");
        record.Detail.ShouldContain("families=");
        record.PatientId.ShouldBeNull();
        record.ResourceId.ShouldBeNull();
        record.Roles.ShouldBe(AccountRoles.Researcher);
        // The families' own logs hold no per-family record of the aggregate.
        audit.Select(a => a.Record).ShouldNotContain(r => r.Subject == "account-audit-researcher" && r.PatientId != null);

        (await families.WithRole(AccountRoles.Funder).GetAsync("/api/programme/aggregates?from=2026-13-01", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await families.WithRole(AccountRoles.Funder).GetAsync("/api/programme/aggregates?from=2026-05-01&to=2026-01-01", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
