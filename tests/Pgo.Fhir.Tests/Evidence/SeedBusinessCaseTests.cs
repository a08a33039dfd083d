using Pgo.Shared.Codes;
using Pgo.Shared.Evidence;
using static Pgo.Shared.Evidence.BusinessCaseCalculator;

namespace Pgo.Fhir.Tests.Evidence;

/// <summary>
/// Seed 004's own tables, reproduced from the shipped model Shared/Evidence/Models/seed-004-v1.json (issue 21): per
/// family type the net result per year in the three scenarios and, for the first scenario, the table per stakeholder, to
/// the euro. Where the seed's printed inputs do not give the seed's printed figure, the test asserts our figure and its
/// name says which seed number is off and by how much (the lines are quoted in the comments).
/// </summary>
public class SeedBusinessCaseTests
{
    private static readonly BusinessCaseModel Model = BusinessCaseModels.Seed004;

    private static BusinessCaseResult Case(int familyType) => Compute(Model, familyType);

    private static decimal Net(BusinessCaseResult result, string scenario) => Euros(result.Scenario(scenario).NetPerYear);

    private static void StakeholderTableIs(ScenarioCase s, decimal bijstand, decimal uwv, decimal zvw, decimal wmo, decimal wlz, decimal bv, decimal supporter)
    {
        Euros(s.For(Stakeholders.GemeenteBijstand).PerYear).ShouldBe(bijstand);
        Euros(s.For(Stakeholders.Uwv).PerYear).ShouldBe(uwv);
        Euros(s.For(Stakeholders.Zvw).PerYear).ShouldBe(zvw);
        Euros(s.For(Stakeholders.Wmo).PerYear).ShouldBe(wmo);
        Euros(s.For(Stakeholders.Wlz).PerYear).ShouldBe(wlz);
        Euros(s.For(Stakeholders.BvNederland).PerYear).ShouldBe(bv);
        Euros(-s.SupporterCostPerYear).ShouldBe(supporter);
    }

    [Fact]
    public void The_shipped_model_is_seed_004_version_1_with_the_four_family_types_and_three_scenarios()
    {
        BusinessCaseValidation.Validate(Model).ShouldBeEmpty();
        Model.Id.ShouldBe("seed-004");
        Model.Version.ShouldBe(1);
        Model.FamilyTypes.Select(f => (f.Number, f.Name, f.PeriodYears)).ShouldBe(
            [(1, "Familie Strikwerda", 12m), (2, "Familie Bilic", 5m), (3, "Familie Sterk", 25m), (4, "Familie Frank", 5m)]);
        Model.Scenarios.Select(s => s.Name).ShouldBe(["Realistisch / optimistisch", "Meer behoudend", "Conservatief"]);
    }

    [Fact]
    public void Strikwerda_first_scenario_is_the_seeds_31789_a_year_and_its_table_per_stakeholder()
    {
        var s = Case(1).Scenario("optimistisch");
        // l.1036–1042: "Inzet Bondgenoot ... -€ 32.400,00", "Totaal € 381.464,00", "Gemiddeld per jaar € 31.789".
        s.SupporterCostOverPeriod.ShouldBe(32_400m);
        s.NetOverPeriod.ShouldBe(381_464m);
        Euros(s.NetPerYear).ShouldBe(31_789m);
        // l.1058–1066. Zorgverzekeringswet is 171.054 / 12 = 14.254,5: the seed shows € 14.255, half away from zero.
        s.For(Stakeholders.Zvw).PerYear.ShouldBe(14_254.5m);
        StakeholderTableIs(s, bijstand: 12_000, uwv: 3_780, zvw: 14_255, wmo: 2_354, wlz: 0, bv: 2_100, supporter: -2_700);
    }

    [Fact]
    public void Strikwerda_middle_and_conservative_from_the_printed_inputs_are_158_a_year_above_the_seeds_19477_and_14268()
    {
        // l.1052–1053: "De gemiddelde opbrengst per jaar in het midden scenario bedraagt € 19.477 en in het conservatieve
        // scenario € 14.268." Its scenario table (l.1070–1094) lowers only three items (ZW/WW, bijstand, samenwerking:
        // 75%×75% and 75%×50%); every other item keeps its printed 100%/100% or its first-scenario figures. From those
        // printed inputs the net is € 235.619 / 12 = € 19.635 and € 173.114 / 12 = € 14.426: the seed's two figures are
        // € 1.895 over the 12 years (€ 158 a year) lower, the same gap in both scenarios. The model ships the printed
        // inputs. Schuldhulpverlening (€ 10.000) at 90%×90% in both would give the seed's figures exactly (€ 1.900 less),
        // so the seed's spreadsheet probably lowered that item without printing it; it cannot be confirmed.
        var c = Case(1);
        Net(c, "behoudend").ShouldBe(19_635m);
        Net(c, "conservatief").ShouldBe(14_426m);
        (Net(c, "behoudend") - 19_477m).ShouldBe(158m);
        (Net(c, "conservatief") - 14_268m).ShouldBe(158m);

        var family = Model.FamilyType(1);
        var debt = family.Items.Single(i => i.Code == "schuldhulpverlening");
        debt.Scenarios["behoudend"].ShouldBe(new ScenarioAssumption(1m, 1m));
        var unprinted = Model with
        {
            FamilyTypes = [family with { Items = [.. family.Items.Select(i => i == debt ? i with { Scenarios = debt.Scenarios.ToDictionary(kv => kv.Key, kv => kv.Key == "optimistisch" ? kv.Value : new ScenarioAssumption(0.9m, 0.9m)) } : i)] }],
        };
        Net(Compute(unprinted, 1), "behoudend").ShouldBe(19_477m);
        Net(Compute(unprinted, 1), "conservatief").ShouldBe(14_268m);
    }

    [Fact]
    public void Bilic_reproduces_the_seeds_19530_10405_and_6405_a_year_and_its_table_per_stakeholder()
    {
        var c = Case(2);
        // l.1378–1385: "-€ 5.220 -26.100€", "Totaal € 19.530 € 97.650"; l.1403–1405: "€ 10.405 ... € 6.405".
        c.Scenario("optimistisch").SupporterCostOverPeriod.ShouldBe(26_100m);
        c.Scenario("optimistisch").NetOverPeriod.ShouldBe(97_650m);
        Net(c, "optimistisch").ShouldBe(19_530m);
        Net(c, "behoudend").ShouldBe(10_405m);
        Net(c, "conservatief").ShouldBe(6_405m);
        // l.1454–1469.
        StakeholderTableIs(c.Scenario("optimistisch"), bijstand: 0, uwv: 0, zvw: 18_000, wmo: 3_750, wlz: 0, bv: 3_000, supporter: -5_220);
    }

    [Fact]
    public void Sterk_reproduces_the_seeds_5314_and_4890_a_year_and_its_table_per_stakeholder()
    {
        var c = Case(3);
        // l.2139–2146: "-€ 44.100,00 -€ 1.764", "Totaal € 132.846,88 € 5.314"; l.2161–2162: "€ 4.890".
        c.Scenario("optimistisch").SupporterCostOverPeriod.ShouldBe(44_100m);
        Euros(c.Scenario("optimistisch").NetOverPeriod).ShouldBe(132_847m);
        Net(c, "optimistisch").ShouldBe(5_314m);
        Net(c, "behoudend").ShouldBe(4_890m);
        // l.2165–2176.
        StakeholderTableIs(c.Scenario("optimistisch"), bijstand: 0, uwv: 0, zvw: 2_691, wmo: 0, wlz: 2_100, bv: 2_287, supporter: -1_764);
    }

    [Fact]
    public void Sterk_seed_conservative_4258_is_285_a_year_below_what_its_printed_inputs_give()
    {
        // l.2161–2162: "... en in het conservatieve scenario € 4.258." Its scenario table (l.2180–2206) lowers four items to
        // 80%×90% and 80%×80%; with the others as in the first scenario the net is € 113.576,89 / 25 = € 4.543. The same
        // rule gives the seed's middle scenario (€ 4.890) exactly, so the conservative figure rests on an input the text
        // does not show.
        var c = Case(3);
        Net(c, "conservatief").ShouldBe(4_543m);
        (Net(c, "conservatief") - 4_258m).ShouldBe(285m);
    }

    [Fact]
    public void Frank_reproduces_the_seeds_91660_and_46939_a_year_and_its_table_per_stakeholder()
    {
        var c = Case(4);
        // l.2473: passende zorg "Totaal € 422.132"; l.2564–2571: "-26.100€", "Totaal € 458.298", "Gemiddeld over 5 jaar € 91.660";
        // l.2589–2591: "... in het conservatieve scenario € 46.939".
        c.Scenario("optimistisch").Items.Where(i => i.Code.StartsWith("passende-zorg", StringComparison.Ordinal)).Sum(i => i.Benefit).ShouldBe(422_132m);
        c.Scenario("optimistisch").NetOverPeriod.ShouldBe(458_298m);
        Net(c, "optimistisch").ShouldBe(91_660m);
        Net(c, "conservatief").ShouldBe(46_939m);
        // l.2594–2602. Its "Totaal € 91.659" there is the sum of the rounded rows; the exact total is 91.659,60, € 91.660 (l.2571).
        var s = c.Scenario("optimistisch");
        StakeholderTableIs(s, bijstand: 0, uwv: 0, zvw: -2_829, wmo: 0, wlz: 102_579, bv: -2_871, supporter: -5_220);
        (s.Stakeholders.Sum(x => Euros(x.PerYear)) - Euros(s.SupporterCostPerYear) - Euros(s.NetPerYear)).ShouldBe(-1m);
    }

    [Fact]
    public void Frank_seed_middle_66160_is_6_a_year_below_what_its_printed_inputs_give()
    {
        // l.2589: "De gemiddelde opbrengst per jaar in het midden scenario bedraagt € 66.160". Its scenario table
        // (l.2606–2648) gives € 330.832,06 / 5 = € 66.166; the same table gives the conservative € 46.939 exactly. The gap is
        // € 32 over the 5 years.
        var c = Case(4);
        Net(c, "behoudend").ShouldBe(66_166m);
        (Net(c, "behoudend") - 66_160m).ShouldBe(6m);
    }
}
