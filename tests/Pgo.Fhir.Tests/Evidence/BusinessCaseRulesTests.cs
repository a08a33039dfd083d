using Pgo.Shared.Codes;
using Pgo.Shared.Evidence;
using static Pgo.Shared.Evidence.BusinessCaseCalculator;

namespace Pgo.Fhir.Tests.Evidence;

/// <summary>The computation and the validation of a business-case model as rules (Shared/Evidence, issue 21), on small
/// models built here; the seed's own families are in <see cref="SeedBusinessCaseTests"/>.</summary>
public class BusinessCaseRulesTests
{
    private static readonly SupporterCostParameters NoSupporter = new(HourlyRate: 75, IntensiveYears: 0, HoursPerWeek: 0, WeeksPerYear: 52, WaakvlamHoursPerMonth: 0);
    private static readonly SupporterCostParameters SeedSupporter = new(HourlyRate: 75, IntensiveYears: 2, HoursPerWeek: 3, WeeksPerYear: 52, WaakvlamHoursPerMonth: 1);

    private static IReadOnlyDictionary<string, ScenarioAssumption> Assume(decimal chance, decimal impact, decimal chance2 = 0.5m, decimal impact2 = 0.5m) =>
        new Dictionary<string, ScenarioAssumption> { ["a"] = new(chance, impact), ["b"] = new(chance2, impact2) };

    private static BusinessCaseItem Item(string code, string stakeholder, decimal unitCost, decimal occurrences = 1, IReadOnlyDictionary<string, ScenarioAssumption>? scenarios = null) =>
        new(code, "Omschrijving " + code, stakeholder, unitCost, occurrences, null, null, scenarios ?? Assume(1, 1));

    private static BusinessCaseModel Model(decimal periodYears, SupporterCostParameters? cost, params BusinessCaseItem[] items) =>
        new("test", 1, "Testmodel", [new("Test", null)], cost ?? NoSupporter,
            [new("a", "Scenario A"), new("b", "Scenario B")],
            [new(1, "Familie Test", periodYears, items)]);

    [Fact]
    public void The_benefit_of_an_item_is_its_cost_times_the_chance_times_the_impact_of_the_scenario()
    {
        var result = Compute(Model(1, null, Item("x", Stakeholders.Wmo, 50_000, scenarios: Assume(0.25m, 0.5m, 0.5m, 0.25m))), 1);
        result.Scenario("a").Items.Single().Benefit.ShouldBe(6_250m);
        result.Scenario("b").Items.Single().Benefit.ShouldBe(6_250m);
        // The cost of one occurrence times the occurrences: € 1.890 a month over 24 months.
        Compute(Model(1, null, Item("zw", Stakeholders.Uwv, 1_890, 24)), 1).Scenario("a").Items.Single().Cost.ShouldBe(45_360m);
    }

    [Fact]
    public void Scenarios_differ_only_in_chance_and_impact()
    {
        var items = new[] { Item("x", Stakeholders.Zvw, 10_000, 3, Assume(1, 1, 0.5m, 0.5m)), Item("y", Stakeholders.Wlz, 4_000, 1, Assume(0.5m, 0.5m, 0.5m, 0.5m)) };
        var result = Compute(Model(2, SeedSupporter, items), 1);
        var (a, b) = (result.Scenario("a"), result.Scenario("b"));
        a.Items.Select(i => i.Cost).ShouldBe(b.Items.Select(i => i.Cost));
        a.SupporterCostOverPeriod.ShouldBe(b.SupporterCostOverPeriod);
        // The item with the same assumptions in both scenarios yields the same; the other a quarter.
        a.For(Stakeholders.Wlz).OverPeriod.ShouldBe(b.For(Stakeholders.Wlz).OverPeriod);
        b.For(Stakeholders.Zvw).OverPeriod.ShouldBe(a.For(Stakeholders.Zvw).OverPeriod / 4);

        // With equal assumptions the scenarios are equal in every figure.
        var same = Compute(Model(2, SeedSupporter, Item("x", Stakeholders.Zvw, 10_000, 3, Assume(0.6m, 0.45m, 0.6m, 0.45m))), 1);
        same.Scenario("a").NetOverPeriod.ShouldBe(same.Scenario("b").NetOverPeriod);
        same.Scenario("a").Stakeholders.ShouldBe(same.Scenario("b").Stakeholders);
    }

    [Fact]
    public void Every_total_is_normalised_per_year_by_dividing_by_the_period()
    {
        var items = new[] { Item("x", Stakeholders.Zvw, 60_000), Item("y", Stakeholders.Wmo, 12_000) };
        var five = Compute(Model(5, null, items), 1).Scenario("a");
        var ten = Compute(Model(10, null, items), 1).Scenario("a");
        five.BenefitsOverPeriod.ShouldBe(ten.BenefitsOverPeriod);
        five.BenefitsPerYear.ShouldBe(14_400m);
        ten.BenefitsPerYear.ShouldBe(7_200m);
        five.For(Stakeholders.Zvw).PerYear.ShouldBe(12_000m);
        ten.For(Stakeholders.Zvw).PerYear.ShouldBe(6_000m);
        // Per year is exact until shown: 100 / 12 is not rounded in the computation.
        var twelve = Compute(Model(12, null, Item("z", Stakeholders.Wmo, 100)), 1).Scenario("a");
        (twelve.NetPerYear * 12).ShouldBe(100m, tolerance: 0.000_000_001m);
        Euros(twelve.NetPerYear).ShouldBe(8m);
    }

    [Fact]
    public void Items_of_one_stakeholder_are_summed_and_every_stakeholder_is_listed_once_in_the_seeds_order()
    {
        var s = Compute(Model(1, null,
            Item("a", Stakeholders.BvNederland, 100), Item("b", Stakeholders.BvNederland, 250), Item("c", Stakeholders.Uwv, 1_000),
            Item("d", Stakeholders.Wlz, -300)), 1).Scenario("a");
        s.Stakeholders.Select(x => x.Stakeholder).ShouldBe(Stakeholders.All);
        s.Stakeholders.Select(x => x.Name).ShouldBe(["Gemeente (Bijstand)", "UWV (ZW en WW)", "Zorgverzekeringswet", "Gemeente / WMO", "Wlz", "Belasting / BV Nederland"]);
        s.For(Stakeholders.BvNederland).OverPeriod.ShouldBe(350m);
        s.For(Stakeholders.Uwv).OverPeriod.ShouldBe(1_000m);
        s.For(Stakeholders.Wlz).OverPeriod.ShouldBe(-300m); // a cost the better scenario adds counts against its stakeholder
        s.For(Stakeholders.Zvw).OverPeriod.ShouldBe(0m);
        s.Stakeholders.Sum(x => x.OverPeriod).ShouldBe(s.BenefitsOverPeriod);
    }

    [Fact]
    public void The_supporters_cost_is_the_seeds_hours_at_the_rate_and_is_subtracted_once_from_the_sum_of_the_stakeholders()
    {
        // The seed's arithmetic: 2 years of 3 h a week (52 weeks), then 1 h a month, € 75 an hour.
        SeedSupporter.CostOver(12).ShouldBe(32_400m);
        SeedSupporter.CostOver(5).ShouldBe(26_100m);
        SeedSupporter.CostOver(25).ShouldBe(44_100m);
        SeedSupporter.HoursOver(1).ShouldBe(156m); // a period shorter than the intensive years: only that part

        var many = Compute(Model(12, SeedSupporter,
            Item("a", Stakeholders.Zvw, 100_000), Item("b", Stakeholders.Wmo, 50_000), Item("c", Stakeholders.Wmo, 20_000)), 1).Scenario("a");
        many.SupporterCostOverPeriod.ShouldBe(32_400m);
        many.NetOverPeriod.ShouldBe(170_000m - 32_400m);
        many.NetPerYear.ShouldBe(many.Stakeholders.Sum(x => x.PerYear) - many.SupporterCostPerYear, tolerance: 0.000_001m);
        many.SupporterCostPerYear.ShouldBe(2_700m);

        // Recorded hours replace the model's hours; the rate stays.
        var recorded = Compute(Model(12, SeedSupporter, Item("a", Stakeholders.Zvw, 100_000)), 1, supporterHoursOverPeriod: 100);
        recorded.SupporterHoursOverPeriod.ShouldBe(100m);
        recorded.Scenario("b").SupporterCostOverPeriod.ShouldBe(7_500m);
    }

    [Fact]
    public void A_family_type_may_carry_its_own_supporters_cost()
    {
        var model = Model(5, SeedSupporter, Item("a", Stakeholders.Zvw, 10_000)) is var m
            ? m with { FamilyTypes = [m.FamilyTypes[0] with { SupporterCost = SeedSupporter with { HoursPerWeek = 1 } }] } : null!;
        Compute(model, 1).Scenario("a").SupporterCostOverPeriod.ShouldBe((2 * 52 + 3 * 12) * 75m);
    }

    [Fact]
    public void Amounts_are_shown_in_whole_euros_rounded_half_away_from_zero_as_the_seed_does()
    {
        Euros(14_254.5m).ShouldBe(14_255m);
        Euros(2_286.875m).ShouldBe(2_287m);
        Euros(-2_828.6m).ShouldBe(-2_829m);
        Euros(-2.5m).ShouldBe(-3m);
        Euros(19_634.49m).ShouldBe(19_634m);
    }

    [Fact]
    public void An_invalid_model_is_refused_with_every_problem_in_Dutch()
    {
        var bad = new BusinessCaseModel("", 0, "Fout", [new("Test", null)], SeedSupporter with { HourlyRate = -1 },
            [new("a", "Scenario A"), new("b", "Scenario B"), new("a", "Nog eens A")],
            [
                new(1, "Familie Een", 0, [
                    Item("x", "gemeente-onbekend", 100),
                    Item("x", Stakeholders.Wmo, 100, scenarios: Assume(1.5m, -0.1m)),
                    Item("y", Stakeholders.Wmo, 100, occurrences: 0, scenarios: new Dictionary<string, ScenarioAssumption> { ["a"] = new(1, 1), ["z"] = new(1, 1) }),
                ]),
                new(1, "Familie Twee", 5, []),
            ]);
        var messages = BusinessCaseValidation.Validate(bad).Select(p => p.Message).ToList();
        messages.ShouldContain("Het model heeft geen id.");
        messages.ShouldContain("De versie van het model moet 1 of hoger zijn.");
        messages.ShouldContain("Het uurtarief van de ondersteuner mag niet negatief zijn.");
        messages.ShouldContain("Scenario 'a' komt twee keer voor.");
        messages.ShouldContain("Gezinstype 1: de periode moet langer zijn dan 0 jaar.");
        messages.ShouldContain(m => m.StartsWith("Gezinstype 1, 'x': 'gemeente-onbekend' is geen bekende belanghebbende (kies uit Gemeente (Bijstand), UWV (ZW en WW)", StringComparison.Ordinal));
        messages.ShouldContain("Gezinstype 1: de code 'x' komt twee keer voor.");
        messages.ShouldContain("Gezinstype 1, 'x': de kans in scenario 'a' moet tussen 0 en 1 liggen (0% en 100%), niet 1,5.");
        messages.ShouldContain("Gezinstype 1, 'x': de impact in scenario 'a' moet tussen 0 en 1 liggen (0% en 100%), niet -0,1.");
        messages.ShouldContain("Gezinstype 1, 'y': het aantal keren moet groter zijn dan 0.");
        messages.ShouldContain("Gezinstype 1, 'y': de kans en de impact in scenario 'b' ontbreken.");
        messages.ShouldContain("Gezinstype 1, 'y': scenario 'z' bestaat niet in het model.");
        messages.ShouldContain("Gezinstype 1 komt twee keer voor.");
        messages.ShouldContain("Gezinstype 1 heeft geen opbrengsten.");

        var refused = Should.Throw<ArgumentException>(() => Compute(bad, 1));
        refused.Message.ShouldStartWith("Het model is niet geldig: Het model heeft geen id.");
    }

    [Fact]
    public void A_programmes_adjusted_copy_is_read_from_the_same_JSON_and_the_shipped_model_survives_the_round_trip()
    {
        var json = BusinessCaseModels.Serialize(BusinessCaseModels.Seed004);
        var (copy, problems) = BusinessCaseModels.Parse(json.Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal));
        problems.ShouldBeEmpty();
        copy!.Version.ShouldBe(2);
        Compute(copy, 1).Scenario("optimistisch").NetOverPeriod.ShouldBe(Compute(BusinessCaseModels.Seed004, 1).Scenario("optimistisch").NetOverPeriod);
        json.ShouldContain("\"stakeholder\": \"uwv\"");
        json.ShouldNotContain("\"cost\"");
    }

    [Fact]
    public void A_document_that_is_no_model_yields_Dutch_problems_and_no_model()
    {
        var (none, syntax) = BusinessCaseModels.Parse("{ \"id\": \"x\", ");
        none.ShouldBeNull();
        syntax.Single().Message.ShouldStartWith("Het model is geen geldig JSON-document voor een businesscase");

        var (unknownField, unknown) = BusinessCaseModels.Parse("{ \"id\": \"x\", \"versie\": 1 }");
        unknownField.ShouldBeNull();
        unknown.Single().Message.ShouldStartWith("Het model is geen geldig JSON-document");

        var (empty, missing) = BusinessCaseModels.Parse("{ \"id\": \"x\", \"version\": 1, \"title\": \"Leeg\" }");
        empty.ShouldBeNull();
        missing.Select(p => p.Message).ShouldBe([
            "Het model noemt geen bronnen.", "De kosten van de inzet van de ondersteuner ontbreken.",
            "Het model heeft geen scenario's.", "Het model heeft geen gezinstypen.",
        ]);
    }
}
