using Pgo.Shared.Codes;

namespace Pgo.Shared.Evidence;

/// <summary>One item in one scenario: its cost over the period, the chance and impact used, and the benefit
/// (cost × chance × impact) over the period.</summary>
public sealed record ItemBenefit(string Code, string Description, string Stakeholder, decimal Cost, decimal Chance, decimal Impact, decimal Benefit);

/// <summary>What one stakeholder gains in a scenario, over the period and per year (unrounded).</summary>
public sealed record StakeholderBenefit(string Stakeholder, string Name, decimal OverPeriod, decimal PerYear);

/// <summary>One scenario's case: every item, per stakeholder (all of <see cref="Stakeholders.All"/>, zero included),
/// the benefits, the supporter's cost and the net result, over the period and per year. Amounts are exact decimals;
/// round only to show them (<see cref="BusinessCaseCalculator.Euros"/>).</summary>
public sealed record ScenarioCase(
    string Scenario,
    string Name,
    IReadOnlyList<ItemBenefit> Items,
    IReadOnlyList<StakeholderBenefit> Stakeholders,
    decimal BenefitsOverPeriod,
    decimal SupporterCostOverPeriod,
    decimal NetOverPeriod)
{
    public decimal PeriodYears { get; init; }
    public decimal BenefitsPerYear => BenefitsOverPeriod / PeriodYears;
    public decimal SupporterCostPerYear => SupporterCostOverPeriod / PeriodYears;
    public decimal NetPerYear => NetOverPeriod / PeriodYears;

    public StakeholderBenefit For(string stakeholder) => Stakeholders.Single(s => s.Stakeholder == stakeholder);
}

/// <summary>A family type's case under a model: one <see cref="ScenarioCase"/> per scenario of the model, in its order.</summary>
public sealed record BusinessCaseResult(string ModelId, int ModelVersion, int FamilyType, string FamilyName, decimal PeriodYears,
    decimal SupporterHoursOverPeriod, IReadOnlyList<ScenarioCase> Scenarios)
{
    public ScenarioCase Scenario(string code) => Scenarios.Single(s => s.Scenario == code);
}

/// <summary>
/// Seed 004's method, exactly (l.577–606): per item benefit = cost × chance × impact (over the family type's period);
/// summed per stakeholder; the supporter's cost over the period subtracted once; every total divided by the period for
/// the figure per year; per scenario. Decimal arithmetic throughout. The seed rounds only what it shows, to whole euros,
/// half away from zero as a spreadsheet does (Strikwerda's Zorgverzekeringswet: 171.054 / 12 = 14.254,5, shown as
/// € 14.255); <see cref="Euros"/> does that.
/// </summary>
public static class BusinessCaseCalculator
{
    /// <summary>The case of family type <paramref name="familyType"/> under a model that passed
    /// <see cref="BusinessCaseValidation"/>. <paramref name="supporterHoursOverPeriod"/> replaces the model's hours
    /// (e.g. the hours a supporter recorded); the model's rate still applies.</summary>
    public static BusinessCaseResult Compute(BusinessCaseModel model, int familyType, decimal? supporterHoursOverPeriod = null)
    {
        var problems = BusinessCaseValidation.Validate(model);
        if (problems.Count > 0)
            throw new ArgumentException("Het model is niet geldig: " + string.Join(" ", problems.Select(p => p.Message)), nameof(model));

        var family = model.FamilyType(familyType);
        var cost = family.SupporterCost ?? model.SupporterCost;
        var hours = supporterHoursOverPeriod ?? cost.HoursOver(family.PeriodYears);
        var supporterCost = hours * cost.HourlyRate;

        var scenarios = model.Scenarios.Select(scenario =>
        {
            var items = family.Items.Select(item =>
            {
                var a = item.Scenarios[scenario.Code];
                return new ItemBenefit(item.Code, item.Description, item.Stakeholder, item.Cost, a.Chance, a.Impact, item.Cost * a.Chance * a.Impact);
            }).ToList();
            var perStakeholder = Stakeholders.All.Select(s =>
            {
                var over = items.Where(i => i.Stakeholder == s).Sum(i => i.Benefit);
                return new StakeholderBenefit(s, Stakeholders.Display[s], over, over / family.PeriodYears);
            }).ToList();
            var benefits = items.Sum(i => i.Benefit);
            return new ScenarioCase(scenario.Code, scenario.Name, items, perStakeholder, benefits, supporterCost, benefits - supporterCost)
            {
                PeriodYears = family.PeriodYears,
            };
        }).ToList();

        return new BusinessCaseResult(model.Id, model.Version, family.Number, family.Name, family.PeriodYears, hours, scenarios);
    }

    /// <summary>An amount as the seed shows it: whole euros, half away from zero.</summary>
    public static decimal Euros(decimal amount) => Math.Round(amount, 0, MidpointRounding.AwayFromZero);
}
