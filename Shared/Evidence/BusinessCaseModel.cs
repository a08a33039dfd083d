using System.Text.Json.Serialization;

namespace Pgo.Shared.Evidence;

// The social business case ("maatschappelijke business case", mBC) of seed 004 as data (issue 21,
// docs/adr/0011-social-business-case.md). These records are what the shipped model (Models/seed-004-v1.json) binds to
// and what a programme's adjusted copy will be accepted as; BusinessCaseValidation says in Dutch what is wrong with one.

/// <summary>A versioned business-case model: where it comes from, what the supporter costs, the scenarios and per
/// family type (gezinstype) the period and the items.</summary>
public sealed record BusinessCaseModel(
    string Id,
    int Version,
    string Title,
    IReadOnlyList<ModelSource> Sources,
    SupporterCostParameters SupporterCost,
    IReadOnlyList<ScenarioDefinition> Scenarios,
    IReadOnlyList<FamilyTypeCase> FamilyTypes)
{
    public FamilyTypeCase FamilyType(int number) =>
        FamilyTypes.FirstOrDefault(f => f.Number == number)
        ?? throw new ArgumentOutOfRangeException(nameof(number), number, "Geen gezinstype met dit nummer in het model.");
}

/// <summary>A source the model (or a programme's copy) cites.</summary>
public sealed record ModelSource(string Title, string? Reference);

/// <summary>What the supporter costs, the seed's arithmetic (<see cref="LearningNetworkHoursPerYear"/>: the seed's 40 hours a
/// year of learning network per supporter, l.3650, counted only in a family's case from recorded hours, not in the seed's
/// family tables): the first <see cref="IntensiveYears"/> years
/// <see cref="HoursPerWeek"/> hours a week over <see cref="WeeksPerYear"/> weeks, the rest of the period a "waakvlam"
/// of <see cref="WaakvlamHoursPerMonth"/> hours a month, all at <see cref="HourlyRate"/> euro an hour.</summary>
public sealed record SupporterCostParameters(
    decimal HourlyRate,
    decimal IntensiveYears,
    decimal HoursPerWeek,
    decimal WeeksPerYear,
    decimal WaakvlamHoursPerMonth,
    decimal LearningNetworkHoursPerYear = 0)
{
    /// <summary>Hours over a period of <paramref name="periodYears"/> years.</summary>
    public decimal HoursOver(decimal periodYears)
    {
        var intensive = Math.Min(IntensiveYears, periodYears);
        return intensive * HoursPerWeek * WeeksPerYear + (periodYears - intensive) * 12m * WaakvlamHoursPerMonth;
    }

    /// <summary>Cost over a period of <paramref name="periodYears"/> years (hours × rate).</summary>
    public decimal CostOver(decimal periodYears) => HoursOver(periodYears) * HourlyRate;
}

/// <summary>A scenario: its code (referenced by each item's assumptions) and its Dutch name.</summary>
public sealed record ScenarioDefinition(string Code, string Name);

/// <summary>One family type (gezinstype) of the seed: the family whose story it tells, the period the items are
/// counted over, optionally its own supporter's cost, and the items.</summary>
public sealed record FamilyTypeCase(
    int Number,
    string Name,
    decimal PeriodYears,
    IReadOnlyList<BusinessCaseItem> Items,
    SupporterCostParameters? SupporterCost = null,
    string? Note = null);

/// <summary>An event the supporter helps avoid (or a gain he helps reach): the stakeholder who bears its cost, the cost
/// of one occurrence (<see cref="UnitCost"/>, negative for a cost the better scenario adds) and how often it falls in the
/// period (<see cref="Occurrences"/>), how that cost is made up (<see cref="Basis"/>) and the seed's source, and per
/// scenario code the chance and the supporter's impact. <see cref="EventTypes"/>: the types of the events register
/// (<c>EventCodes.Types</c>) whose occurrence in a family means this item occurred (the mapping is model data).</summary>
public sealed record BusinessCaseItem(
    string Code,
    string Description,
    string Stakeholder,
    decimal UnitCost,
    decimal Occurrences,
    string? Basis,
    string? Source,
    IReadOnlyDictionary<string, ScenarioAssumption> Scenarios,
    IReadOnlyList<string>? EventTypes = null)
{
    /// <summary>The cost over the period: one occurrence × the occurrences.</summary>
    [JsonIgnore]
    public decimal Cost => UnitCost * Occurrences;
}

/// <summary>In one scenario: the chance (0..1) that the event happens in such a family over the period, and the
/// supporter's impact (0..1) on it.</summary>
public sealed record ScenarioAssumption(decimal Chance, decimal Impact);
