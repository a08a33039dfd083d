using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pgo.Api.Evidence;
using Pgo.Api.Tests.Access;
using Pgo.Api.Tests.Dossier;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Evidence;

namespace Pgo.Api.Tests.Evidence;

public sealed class FamilyCaseOnSqlite(SqliteDemoFamilies demo) : FamilyCaseTests(demo), IClassFixture<SqliteDemoFamilies>;
public sealed class FamilyCaseOnPostgres(PostgresDemoFamilies demo) : FamilyCaseTests(demo), IClassFixture<PostgresDemoFamilies>;

/// <summary>
/// A family's social business case from its recorded data (issue 21, Api/Evidence, ADR 11), on the demo families: the
/// figures equal a hand computation from the hours, the intensity history and the judged items; an avoided item needs a
/// reason (nothing is stored without); a judgement changes the figures; who cannot read every section the case rests on
/// gets no case, and a stranger does not learn the dossier exists. Each test uses its own family, so the order is free.
/// </summary>
public abstract class FamilyCaseTests(DemoFamilies demo)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private HttpClient As(string person) => demo.Api.ClientAs($"Person/{person}");

    private async Task<FamilyCase> CaseAsync(string person, string patient)
    {
        var response = await As(person).GetAsync($"/api/dossiers/{patient}/business-case");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<FamilyCase>(body, Json)!;
    }

    [Fact]
    public async System.Threading.Tasks.Task Sterks_case_equals_the_hand_computation_from_his_hours_intensity_and_judged_items()
    {
        var found = await CaseAsync("bondgenoot-sven", "sterk-johan");
        found.ModelId.ShouldBe("seed-004");
        found.ModelVersion.ShouldBe(1);
        found.FamilyType.ShouldBe(3);

        // The period: from the first intensity (the intake of the history) to today, per year by 365 days.
        var intensity = JsonSerializer.Deserialize<IntensityOverview>(
            (await As("bondgenoot-sven").GetJsonAsync("/api/dossiers/sterk-johan/intensity")).GetRawText(), Json)!;
        var start = intensity.History.Select(h => h.Effective).Min(StringComparer.Ordinal)!;
        found.From.ShouldBe(start);
        var days = DateOnly.Parse(found.To, CultureInfo.InvariantCulture).DayNumber - DateOnly.Parse(start, CultureInfo.InvariantCulture).DayNumber;
        found.PeriodDays.ShouldBe(days);
        var years = days / 365m;

        // The hours: what the family's own time sheet shows for the same period.
        var sheet = JsonSerializer.Deserialize<TimeSheet>(
            (await As("sterk-loes").GetJsonAsync($"/api/dossiers/sterk-johan/time?from={start}&to={found.To}")).GetRawText(), Json)!;
        found.Cost.RecordedHours.ShouldBe(sheet.TotalMinutes / 60m);
        found.Cost.RecordedHours.ShouldBe(19.5m); // DemoTime: 9 weeks of 1 h, 3 weeks of 3 h, and 90 minutes more
        var costPerYear = (19.5m + 40m * years) * 75m / years;

        // Avoided (DemoBusinessCase): the parents' move, organisation costs, complaints, legal procedures, burn-out, depression,
        // the mother's sick leave; the move of institution occurred (the register: De Linde gave up Johan's care place).
        found.Items.Single(i => i.Code == "verhuizing-instelling").ShouldSatisfyAllConditions(
            i => i.Status.ShouldBe(BusinessCaseJudgements.Opgetreden), i => i.Source.ShouldBe("register"),
            i => i.Events.Select(e => e.Type).ShouldAllBe(t => t == EventCodes.Types.ZorgplekWeg), i => i.Events.Count.ShouldBe(2));
        found.Items.Single(i => i.Code == "juridische-procedures").Status.ShouldBe(BusinessCaseJudgements.Voorkomen, "a judgement outweighs the register");

        // Per year, realistic scenario: Wlz 100 × 300 / 25 + 1.250 × 10 / 25; BV Nederland 3.250 / 25 + 4.805,56 × 7 × 0,75 × 0,75 / 25;
        // Zvw 2.000 × 25 × 0,6 × 0,45 / 25 + 6.350 × 25 × 0,27 / 25 + 8.100 × 25 × 0,2 × 0,2 / 25.
        var optimistic = found.Scenarios.Single(s => s.Code == "optimistisch");
        Per(optimistic, Stakeholders.Wlz).ShouldBe(1200m + 500m);
        Per(optimistic, Stakeholders.BvNederland).ShouldBe(130m + 756.8757m);
        Per(optimistic, Stakeholders.Zvw).ShouldBe(540m + 1714.5m + 324m);
        Per(optimistic, Stakeholders.Wmo).ShouldBe(0m);
        optimistic.BenefitsPerYear.ShouldBe(5165.3757m);
        optimistic.SupporterCostPerYear.ShouldBe(costPerYear, 0.000001m);
        optimistic.NetPerYear.ShouldBe(5165.3757m - costPerYear, 0.000001m);
        optimistic.NetOverPeriod.ShouldBe((5165.3757m - costPerYear) * years, 0.0001m);
        BusinessCaseCalculator.Euros(optimistic.NetPerYear).ShouldBeGreaterThan(0m, "Sterk is positive in the realistic scenario, as in the seed");

        // Conservative: the parents' move, organisation costs and complaints at 80% × 80%.
        var conservative = found.Scenarios.Single(s => s.Code == "conservatief");
        Per(conservative, Stakeholders.Wlz).ShouldBe(768m + 320m);
        Per(conservative, Stakeholders.BvNederland).ShouldBe(83.2m + 756.8757m);

        // What it rests on.
        found.HoursPerActivity.Sum(h => h.Hours).ShouldBe(19.5m);
        found.HoursPerMonth.Sum(h => h.Hours).ShouldBe(19.5m);
        found.Intensity.Select(i => i.Intensity).ShouldBe([SupportIntensity.Intensief, SupportIntensity.Afschalen]);
        found.Items.Where(i => i.Status == BusinessCaseJudgements.Voorkomen).ShouldAllBe(i => i.Reason != null && i.Reason.Length > 3);
        found.CanJudge.ShouldBeTrue();
    }

    [Fact]
    public async System.Threading.Tasks.Task An_item_judged_avoided_without_a_reason_is_refused_and_nothing_is_stored()
    {
        var ricardo = As("bondgenoot-ricardo");
        var before = await CaseAsync("bondgenoot-ricardo", "strikwerda-jesse");
        before.Items.Single(i => i.Code == "doubleren-direct").Status.ShouldBeNull();

        foreach (var reason in new string?[] { null, "", "  ", "ja" })
        {
            var response = await ricardo.PostAsJsonAsync("/api/dossiers/strikwerda-jesse/business-case/judgements",
                new JudgementRequest("doubleren-direct", BusinessCaseJudgements.Voorkomen, reason, 1), Json);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
            (await response.Content.ReadAsStringAsync()).ShouldContain("waarom");
        }
        (await ricardo.PostAsJsonAsync("/api/dossiers/strikwerda-jesse/business-case/judgements",
            new JudgementRequest("bestaat-niet", BusinessCaseJudgements.Opgetreden, null, 1), Json)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ricardo.PostAsJsonAsync("/api/dossiers/strikwerda-jesse/business-case/judgements",
            new JudgementRequest("doubleren-direct", "misschien", "Zomaar", 1), Json)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var after = await CaseAsync("bondgenoot-ricardo", "strikwerda-jesse");
        after.Items.Single(i => i.Code == "doubleren-direct").Status.ShouldBeNull();
        after.Scenarios.Select(s => s.BenefitsPerYear).ShouldBe(before.Scenarios.Select(s => s.BenefitsPerYear));
        var stored = await demo.Api.CreateClient().GetJsonAsync($"/fhir/Basic?code={Uri.EscapeDataString(BusinessCaseJudgements.System + "|")}&patient=Patient/strikwerda-jesse&_count=200");
        stored.GetProperty("entry").GetArrayLength().ShouldBe(9, "only the demo's nine judgements");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_regiehouder_judging_an_item_avoided_raises_its_stakeholders_figure_and_the_supporter_sees_it()
    {
        var before = await CaseAsync("bilic-gulan", "bilic-atilla");
        var response = await As("bilic-gulan").PostAsJsonAsync("/api/dossiers/bilic-atilla/business-case/judgements",
            new JudgementRequest("huisuitzetting", BusinessCaseJudgements.Voorkomen, "De huur was drie maanden achter; Khadija regelde een regeling met de verhuurder.", 2), Json);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);

        var after = await CaseAsync("bondgenoot-khadija", "bilic-atilla");
        var item = after.Items.Single(i => i.Code == "huisuitzetting");
        item.Status.ShouldBe(BusinessCaseJudgements.Voorkomen);
        item.Reason.ShouldStartWith("De huur was drie maanden achter");
        // 50.000 × 50% × 50% over 5 years = 2.500 a year more for the Wmo, realistic; 50% × 25% = 1.250 in the middle scenario.
        var gain = new Dictionary<string, decimal> { ["optimistisch"] = 2500m, ["behoudend"] = 1250m, ["conservatief"] = 625m };
        foreach (var s in after.Scenarios)
        {
            var was = before.Scenarios.Single(b => b.Code == s.Code);
            (Per(s, Stakeholders.Wmo) - Per(was, Stakeholders.Wmo)).ShouldBe(gain[s.Code], s.Code);
            (s.BenefitsPerYear - was.BenefitsPerYear).ShouldBe(gain[s.Code], s.Code);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Who_cannot_read_every_section_the_case_rests_on_gets_no_case_and_a_stranger_not_even_the_dossier()
    {
        // The dementia case manager reads the plan, not the events or the time: refused, with nothing of the case.
        foreach (var url in new[] { "/api/dossiers/strikwerda-jesse/business-case", "/api/dossiers/strikwerda-jesse/business-case/export" })
        {
            var refused = await As("casemanager-dementie-bos").GetAsync(url);
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
            var text = await refused.Content.ReadAsStringAsync();
            text.ShouldNotContain("scenarios");
            text.ShouldNotContain("Voorkomen");
        }
        (await As("casemanager-dementie-bos").PostAsJsonAsync("/api/dossiers/strikwerda-jesse/business-case/judgements",
            new JudgementRequest("doubleren-direct", BusinessCaseJudgements.Opgetreden, null, 1), Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Luc's sister reads only his agenda.
        (await As("vanassen-paula").GetAsync("/api/dossiers/vanassen-luc/business-case")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Another family's bondgenoot: the dossier does not exist for him.
        (await As("bondgenoot-ricardo").GetAsync("/api/dossiers/dewit-kim/business-case")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await As("bondgenoot-ricardo").PostAsJsonAsync("/api/dossiers/dewit-kim/business-case/judgements",
            new JudgementRequest("doubleren-direct", BusinessCaseJudgements.Opgetreden, null, 4), Json)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The family itself reads it, and the CSV has its Dutch header.
        var csv = await As("dewit-ilona").GetAsync("/api/dossiers/dewit-kim/business-case/export");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await csv.Content.ReadAsStringAsync()).ShouldContain(FamilyCaseCsv.HeaderLine);
    }

    private static decimal Per(FamilyCaseScenario s, string stakeholder) => s.Stakeholders.Single(p => p.Stakeholder == stakeholder).PerYear;
}
