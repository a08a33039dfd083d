using System.Globalization;
using Pgo.Shared.Codes;

namespace Pgo.Shared.Evidence;

/// <summary>One thing wrong with a business-case model: where (a JSON path, e.g. <c>familyTypes[0].items[2]</c>) and
/// what, in Dutch.</summary>
public sealed record ModelProblem(string Path, string Message);

/// <summary>What makes a business-case model acceptable (issue 21): an id and a positive version, at least one scenario
/// with unique codes, a sensible supporter's cost, per family type a unique number and a period above zero, per item a
/// unique code within its family type, a known stakeholder, at least one occurrence and for every scenario a chance and
/// an impact between 0 and 1 (and none for an unknown scenario). Every problem is returned, in Dutch.</summary>
public static class BusinessCaseValidation
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static IReadOnlyList<ModelProblem> Validate(BusinessCaseModel? model)
    {
        var problems = new List<ModelProblem>();
        if (model is null)
        {
            problems.Add(new("", "Het model is leeg."));
            return problems;
        }
        if (string.IsNullOrWhiteSpace(model.Id)) problems.Add(new("id", "Het model heeft geen id."));
        if (model.Version < 1) problems.Add(new("version", "De versie van het model moet 1 of hoger zijn."));
        if (string.IsNullOrWhiteSpace(model.Title)) problems.Add(new("title", "Het model heeft geen titel."));
        if (model.Sources is null || model.Sources.Count == 0) problems.Add(new("sources", "Het model noemt geen bronnen."));

        if (model.SupporterCost is null) problems.Add(new("supporterCost", "De kosten van de inzet van de ondersteuner ontbreken."));
        else ValidateCost(model.SupporterCost, "supporterCost", problems);

        var scenarioCodes = new HashSet<string>(StringComparer.Ordinal);
        if (model.Scenarios is null || model.Scenarios.Count == 0) problems.Add(new("scenarios", "Het model heeft geen scenario's."));
        else
            for (var i = 0; i < model.Scenarios.Count; i++)
            {
                var s = model.Scenarios[i];
                var path = $"scenarios[{i}]";
                if (s is null || string.IsNullOrWhiteSpace(s.Code)) { problems.Add(new(path, "Een scenario heeft geen code.")); continue; }
                if (!scenarioCodes.Add(s.Code)) problems.Add(new(path, $"Scenario '{s.Code}' komt twee keer voor."));
                if (string.IsNullOrWhiteSpace(s.Name)) problems.Add(new(path, $"Scenario '{s.Code}' heeft geen naam."));
            }

        if (model.FamilyTypes is null || model.FamilyTypes.Count == 0)
        {
            problems.Add(new("familyTypes", "Het model heeft geen gezinstypen."));
            return problems;
        }
        var numbers = new HashSet<int>();
        for (var f = 0; f < model.FamilyTypes.Count; f++)
        {
            var family = model.FamilyTypes[f];
            var path = $"familyTypes[{f}]";
            if (family is null) { problems.Add(new(path, "Een gezinstype is leeg.")); continue; }
            var label = $"Gezinstype {family.Number}";
            if (family.Number < 1) problems.Add(new(path, "Het nummer van een gezinstype moet 1 of hoger zijn."));
            else if (!numbers.Add(family.Number)) problems.Add(new(path, $"{label} komt twee keer voor."));
            if (string.IsNullOrWhiteSpace(family.Name)) problems.Add(new(path, $"{label} heeft geen naam."));
            if (family.PeriodYears <= 0) problems.Add(new(path, $"{label}: de periode moet langer zijn dan 0 jaar."));
            if (family.SupporterCost is not null) ValidateCost(family.SupporterCost, path + ".supporterCost", problems);
            if (family.Items is null || family.Items.Count == 0) { problems.Add(new(path, $"{label} heeft geen opbrengsten.")); continue; }

            var codes = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < family.Items.Count; i++)
                ValidateItem(family.Items[i], $"{path}.items[{i}]", label, codes, scenarioCodes, problems);
        }
        return problems;
    }

    private static void ValidateItem(BusinessCaseItem? item, string path, string family, HashSet<string> codes,
        HashSet<string> scenarioCodes, List<ModelProblem> problems)
    {
        if (item is null) { problems.Add(new(path, $"{family}: een opbrengst is leeg.")); return; }
        if (string.IsNullOrWhiteSpace(item.Code)) problems.Add(new(path, $"{family}: een opbrengst heeft geen code."));
        else if (!codes.Add(item.Code)) problems.Add(new(path, $"{family}: de code '{item.Code}' komt twee keer voor."));
        var label = $"{family}, '{item.Code}'";
        if (string.IsNullOrWhiteSpace(item.Description)) problems.Add(new(path, $"{label}: de omschrijving ontbreekt."));
        if (item.Stakeholder is null || !Stakeholders.All.Contains(item.Stakeholder))
            problems.Add(new(path, $"{label}: '{item.Stakeholder}' is geen bekende belanghebbende (kies uit {string.Join(", ", Stakeholders.All.Select(s => Stakeholders.Display[s]))})."));
        if (item.Occurrences <= 0) problems.Add(new(path, $"{label}: het aantal keren moet groter zijn dan 0."));
        foreach (var type in item.EventTypes ?? [])
            if (type is null || !EventCodes.TypeDisplay.ContainsKey(type))
                problems.Add(new($"{path}.eventTypes", $"{label}: '{type}' is geen soort gebeurtenis van het register (kies uit {string.Join(", ", EventCodes.TypeDisplay.Keys)})."));
        if (item.Scenarios is null) { problems.Add(new(path, $"{label}: de kansen en de impact per scenario ontbreken.")); return; }
        foreach (var code in scenarioCodes)
        {
            if (!item.Scenarios.TryGetValue(code, out var a) || a is null)
            {
                problems.Add(new($"{path}.scenarios", $"{label}: de kans en de impact in scenario '{code}' ontbreken."));
                continue;
            }
            if (a.Chance is < 0 or > 1) problems.Add(new($"{path}.scenarios.{code}", $"{label}: de kans in scenario '{code}' moet tussen 0 en 1 liggen (0% en 100%), niet {a.Chance.ToString(Dutch)}."));
            if (a.Impact is < 0 or > 1) problems.Add(new($"{path}.scenarios.{code}", $"{label}: de impact in scenario '{code}' moet tussen 0 en 1 liggen (0% en 100%), niet {a.Impact.ToString(Dutch)}."));
        }
        foreach (var code in item.Scenarios.Keys.Where(k => !scenarioCodes.Contains(k)))
            problems.Add(new($"{path}.scenarios.{code}", $"{label}: scenario '{code}' bestaat niet in het model."));
    }

    private static void ValidateCost(SupporterCostParameters cost, string path, List<ModelProblem> problems)
    {
        if (cost.HourlyRate < 0) problems.Add(new(path, "Het uurtarief van de ondersteuner mag niet negatief zijn."));
        if (cost.IntensiveYears < 0) problems.Add(new(path, "Het aantal jaren met intensieve inzet mag niet negatief zijn."));
        if (cost.HoursPerWeek < 0) problems.Add(new(path, "Het aantal uren per week mag niet negatief zijn."));
        if (cost.WeeksPerYear is < 0 or > 53) problems.Add(new(path, "Het aantal weken per jaar moet tussen 0 en 53 liggen."));
        if (cost.WaakvlamHoursPerMonth < 0) problems.Add(new(path, "Het aantal uren per maand in de waakvlamfase mag niet negatief zijn."));
        if (cost.LearningNetworkHoursPerYear < 0) problems.Add(new(path, "Het aantal uren lerend netwerk per jaar mag niet negatief zijn."));
    }
}
