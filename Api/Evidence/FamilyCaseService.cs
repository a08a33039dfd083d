using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Practice;
using Pgo.Fhir.Profiles;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Evidence;
using Pgo.Shared.Text;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Evidence;

/// <summary>
/// One family's social business case from what was recorded (issue 21, docs/adr/0011-social-business-case.md), read as
/// the caller through a <see cref="DossierReader"/>: the judgements and events (section gebeurtenissen), the intensity
/// history (plan) and the supporter's hours (the practice store, only when tijd is shared with the caller). A caller who
/// cannot read all three sections gets no case (<see cref="Refusal"/>), so the case never shows more than the data it
/// rests on. The rule, per scenario: each item judged avoided yields cost × chance × impact over the model's period,
/// divided by that period for a figure per year; an item that occurred (judged, or an event of a type the model maps to it
/// since the start of support) or does not apply yields nothing; the supporter's cost per year is (the hours recorded for
/// the family + the model's learning-network hours a year × the family's years) × rate, divided by the family's years
/// (days from the first intensity, else the first hour, to today, / 365). A programme view can sum these cases.
/// </summary>
public sealed class FamilyCaseService(TimeStore time)
{
    /// <summary>The sections a case rests on; all must be readable by the caller.</summary>
    public static readonly IReadOnlyList<string> Sections = [Section.Gebeurtenissen, Section.Tijd, Section.Plan];

    /// <summary>The project's model (seed 004, version 1); a programme's copy would be chosen here.</summary>
    public static BusinessCaseModel Model => BusinessCaseModels.Seed004;

    public const decimal DaysPerYear = 365m;

    /// <summary>The refusal for a caller who cannot read a section the case rests on (403), or null.</summary>
    internal static ApiProblem? Refusal(DossierReader reader) =>
        Sections.FirstOrDefault(s => !reader.CanRead(s)) is { } missing ? ApiProblem.NotShared(Section.Display[missing]) : null;

    internal async Task<FamilyCase> ComputeAsync(DossierReader reader, int? familyType, DateOnly today, bool canJudge, CancellationToken ct)
    {
        if (Refusal(reader) is { } refused) throw refused;
        var judgements = await reader.SearchAsync<Basic>(Section.Gebeurtenissen, ("code", BusinessCaseJudgements.System + "|"), ("_count", "1000"));
        var changes = await reader.SearchAsync<Basic>(Section.Plan, ("code", SupportIntensity.System + "|"), ("_count", "500"));
        var events = await reader.SearchAsync<Basic>(Section.Gebeurtenissen, ("code", EventCodes.TypeSystem + "|"), ("_count", "1000"));
        var rows = await time.OfPatientAsync(reader.PatientId, "1900-01-01", Iso(today), ct);
        return Compute(reader.PatientId, [.. judgements, .. changes, .. events], rows, familyType, today, canJudge);
    }

    /// <summary>
    /// The case from the family's Basic resources (judgements, intensity changes and events; others are ignored) and the
    /// supporter's rows of time for it, up to <paramref name="today"/>. No reads: the dossier's own screen reads as the
    /// caller (<see cref="ComputeAsync"/>), the programme view through its audited platform read (Api/Evidence/ProgrammeService).
    /// </summary>
    internal static FamilyCase Compute(string patientId, IReadOnlyCollection<Basic> basics, IReadOnlyList<TimeRow> allRows, int? familyType,
        DateOnly today, bool canJudge)
    {
        var model = Model;
        var rows = allRows.Where(r => Parse(r.EntryDate) is not { } d || d <= today).ToList();
        var judgements = BusinessCaseJudgement.Newest(basics.Where(b => b.Code?.Coding.Any(c => c.System == BusinessCaseJudgements.System) == true)
            .Where(j => BusinessCaseJudgement.ModelOf(j) == model.Id));
        var typeNumber = familyType ?? judgements.Select(BusinessCaseJudgement.FamilyTypeOf).FirstOrDefault(n => n is not null) ?? model.FamilyTypes[0].Number;
        var family = model.FamilyTypes.FirstOrDefault(f => f.Number == typeNumber)
            ?? throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.BusinessCaseFamilyTypeUnknown, string.Join(", ", model.FamilyTypes.Select(f => $"{f.Number} ({f.Name})"))));
        var judged = judgements.Where(j => BusinessCaseJudgement.FamilyTypeOf(j) == family.Number).ToList();

        var changes = IntensityChange.History(basics.Where(IntensityChange.IsChange).Where(c => IntensityChange.EffectiveOf(c) is not { } d || d <= today));
        var start = changes.Select(IntensityChange.EffectiveOf).LastOrDefault()
            ?? rows.Select(r => Parse(r.EntryDate)).Where(d => d is not null).Min()
            ?? today;
        if (start > today) start = today;
        var days = Math.Max(1, today.DayNumber - start.DayNumber);
        var years = days / DaysPerYear;

        // The register's events since support started, of the types the model maps to an item.
        var mapped = family.Items.SelectMany(i => i.EventTypes ?? []).ToHashSet(StringComparer.Ordinal);
        var events = basics.Where(CountableEvent.IsEvent)
            .Where(e => CountableEvent.TypeOf(e) is { } t && mapped.Contains(t) && CountableEvent.DateOf(e) is { } d && d >= start && d <= today).ToList();

        var items = family.Items.Select(item =>
        {
            var own = events.Where(e => item.EventTypes?.Contains(CountableEvent.TypeOf(e)!) == true)
                .OrderBy(e => CountableEvent.DateOf(e)).Select(e => new FamilyCaseEvent(e.Id!, CountableEvent.TypeOf(e)!,
                    EventCodes.TypeDisplay.GetValueOrDefault(CountableEvent.TypeOf(e)!, CountableEvent.TypeOf(e)!), Iso(CountableEvent.DateOf(e)!.Value),
                    CountableEvent.DescriptionOf(e))).ToList();
            var judgement = judged.FirstOrDefault(j => BusinessCaseJudgement.ItemOf(j) == item.Code);
            string? status = null, source = null, reason = null, on = null, by = null;
            if (judgement is not null)
            {
                status = BusinessCaseJudgement.JudgementOf(judgement);
                source = "oordeel";
                reason = BusinessCaseJudgement.ReasonOf(judgement);
                on = BusinessCaseJudgement.DateOf(judgement) is { } d ? Iso(d) : null;
                by = judgement.Author?.Display;
            }
            else if (own.Count > 0)
            {
                status = BusinessCaseJudgements.Opgetreden;
                source = "register";
            }
            return new FamilyCaseItem(item.Code, item.Description, item.Stakeholder, Stakeholders.Display.GetValueOrDefault(item.Stakeholder, item.Stakeholder),
                item.Cost, status, status is null ? null : BusinessCaseJudgements.Display.GetValueOrDefault(status), source, reason, on, by, own);
        }).ToList();

        var cost = family.SupporterCost ?? model.SupporterCost;
        var recorded = rows.Sum(r => r.Minutes) / 60m;
        var network = cost.LearningNetworkHoursPerYear * years;
        var costOver = (recorded + network) * cost.HourlyRate;
        var costPerYear = costOver / years;

        var avoided = family.Items.Where(i => items.Single(v => v.Code == i.Code).Status == BusinessCaseJudgements.Voorkomen).ToList();
        var scenarios = model.Scenarios.Select(s =>
        {
            decimal PerYear(BusinessCaseItem i) => i.Cost * i.Scenarios[s.Code].Chance * i.Scenarios[s.Code].Impact / family.PeriodYears;
            var perStakeholder = Stakeholders.All.Select(code =>
                new FamilyCaseStakeholder(code, Stakeholders.Display[code], avoided.Where(i => i.Stakeholder == code).Sum(PerYear))).ToList();
            var benefits = perStakeholder.Sum(p => p.PerYear);
            return new FamilyCaseScenario(s.Code, s.Name, perStakeholder, benefits, costPerYear, benefits - costPerYear, benefits * years, (benefits - costPerYear) * years);
        }).ToList();

        var perActivity = rows.GroupBy(r => r.Activity, StringComparer.Ordinal)
            .Select(g => new FamilyCaseHours(g.Key, SupporterActivity.Display.GetValueOrDefault(g.Key, g.Key), g.Sum(r => r.Minutes) / 60m))
            .Where(h => h.Hours != 0).OrderByDescending(h => h.Hours).ThenBy(h => h.Key, StringComparer.Ordinal).ToList();
        var perMonth = rows.Where(r => r.EntryDate.Length >= 7).GroupBy(r => r.EntryDate[..7], StringComparer.Ordinal)
            .Select(g => new FamilyCaseHours(g.Key, MonthName(g.Key), g.Sum(r => r.Minutes) / 60m))
            .OrderBy(h => h.Key, StringComparer.Ordinal).ToList();
        var oldestFirst = changes.AsEnumerable().Reverse().ToList();
        var intensity = oldestFirst.Select((c, i) => new FamilyCaseIntensity(IntensityChange.ToOf(c) ?? "",
            SupportIntensity.Display.GetValueOrDefault(IntensityChange.ToOf(c) ?? "", IntensityChange.ToOf(c) ?? ""),
            Iso(IntensityChange.EffectiveOf(c)!.Value), i + 1 < oldestFirst.Count ? Iso(IntensityChange.EffectiveOf(oldestFirst[i + 1])!.Value) : null)).ToList();

        return new FamilyCase(patientId, model.Id, model.Version, model.Title, family.Number, family.Name, judged.Count > 0 || familyType is not null,
            model.FamilyTypes.Select(f => new FamilyTypeOption(f.Number, f.Name)).ToList(), Iso(start), Iso(today), days, years, family.PeriodYears,
            new FamilyCaseCost(recorded, network, cost.HourlyRate, costOver, costPerYear), perActivity, perMonth, intensity, items, scenarios, canJudge);
    }

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private static string MonthName(string yyyyMm) =>
        DateOnly.TryParseExact(yyyyMm + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("MMMM yyyy", Dutch) : yyyyMm;

    private static DateOnly? Parse(string s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    internal static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateOnly Today(TimeProvider clock) => DutchTime.Today(clock.GetUtcNow());
}
