using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Api.Dossier;
using Pgo.Api.Practice;
using Pgo.Fhir.Access;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Evidence;
using static Pgo.Api.Evidence.ProgrammeSuppression;

namespace Pgo.Api.Evidence;

/// <summary>
/// The programme view of pseudonymised aggregates (issue 21, docs/adr/0012-programme-aggregates.md). It reads ONLY the
/// dossiers with a research Consent in force at the moment of the request, as the platform
/// (<see cref="PlatformPurpose.ProgrammeAggregates"/>), counts them into tables and suppresses every cell resting on fewer
/// than 10 families (<see cref="ProgrammeSuppression"/>). The request is audited as one aggregate record: who, which
/// aggregates, the period and how many families; never a family's id. Nothing it answers names a family or a person.
/// </summary>
public sealed class ProgrammeService(FhirRepository repo, TimeStore time, TimeProvider clock)
{
    public const string IntensityKey = "intensiteit";
    public const string HoursKey = "uren";
    public const string EventsKey = "gebeurtenissen";
    public const string MeasurementsKey = "metingen";
    public const string BusinessCaseKey = "businesscase";

    private const int Page = 500;

    /// <summary>The repository the view reads through (the caller's scope is compiled there, for the audit record).</summary>
    public FhirRepository Repository => repo;

    /// <summary>The model version the export names (the shipped business-case model, e.g. seed-004-v1).</summary>
    public static string ModelVersion => $"{BusinessCaseModels.Seed004.Id}-v{BusinessCaseModels.Seed004.Version}";

    public async Task<ProgrammeAggregates> ComputeAsync(FhirContext onBehalfOf, AccessScope scope, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var platform = repo.AsPlatform(PlatformPurpose.ProgrammeAggregates, onBehalfOf, scope);
        var now = clock.GetUtcNow();
        var families = await ConsentingFamiliesAsync(platform, now, ct);

        var intensity = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var events = new Dictionary<string, (HashSet<string> Families, int Count)>(StringComparer.Ordinal);
        var changes = new Dictionary<string, (string Title, HashSet<string> Families, List<int> Changes)>(StringComparer.Ordinal);
        var business = new List<FamilyBusinessCaseYear>();
        foreach (var patient in families)
        {
            var basics = (await AllAsync(platform, "Basic", patient, ct)).OfType<Basic>().ToList();
            // The family's business case as its own screen computes it (FamilyCaseService), up to the period's end.
            var rows = await time.OfPatientAsync(patient, "1900-01-01", Iso(to), ct);
            foreach (var scenario in FamilyCaseService.Compute(patient, basics, rows, null, to, canJudge: false).Scenarios)
                business.AddRange(scenario.Stakeholders.Select(st => new FamilyBusinessCaseYear(patient, st.Stakeholder, scenario.Code, st.PerYear)));
            var history = basics.Where(b => IntensityChange.IsChange(b) && IntensityChange.EffectiveOf(b) <= to).ToList();
            var level = IntensityChange.Current(history) is { } current ? IntensityChange.ToOf(current) ?? "onbekend" : "onbekend";
            Add(intensity, level, patient);

            foreach (var e in basics.Where(b => CountableEvent.IsEvent(b) && CountableEvent.DateOf(b) is { } d && d >= from && d <= to))
            {
                var type = CountableEvent.TypeOf(e) ?? "onbekend";
                var (set, count) = events.TryGetValue(type, out var had) ? had : (new HashSet<string>(StringComparer.Ordinal), 0);
                set.Add(patient);
                events[type] = (set, count + 1);
            }

            var responses = (await AllAsync(platform, "QuestionnaireResponse", patient, ct)).OfType<QuestionnaireResponse>()
                .Where(r => r.Questionnaire is not null && Day(r.Authored) is { } d && d >= from && d <= to).ToList();
            foreach (var m in DossierViews.Measurements(responses, new Dictionary<string, Questionnaire>()).Where(m => m.ChangeFromStart is not null))
            {
                if (!changes.TryGetValue(m.Questionnaire, out var acc))
                    changes[m.Questionnaire] = acc = (InstrumentCode(m.Questionnaire), new HashSet<string>(StringComparer.Ordinal), []);
                acc.Families.Add(patient);
                acc.Changes.Add(m.ChangeFromStart!.Value);
            }
        }

        foreach (var (canonical, acc) in changes.ToList())
            changes[canonical] = acc with { Title = await InstrumentTitleAsync(platform, canonical, ct) };
        var minutes = families.Count == 0 ? [] : await time.MinutesOfPatientsAsync(families, Iso(from), Iso(to), ct);

        var tables = new List<ProgrammeTable>
        {
            IntensityTable(intensity, families.Count),
            HoursTable(minutes),
            EventsTable(events),
            MeasurementsTable(changes),
            BusinessCaseTable(business),
        };
        platform.AuditAggregate(string.Create(CultureInfo.InvariantCulture,
            $"aggregates={string.Join(",", tables.Select(t => t.Key))}; from={Iso(from)}; to={Iso(to)}; families={families.Count}"));
        // The number of families is the intensity table's total (each family has one level): suppressed as that total is.
        var familiesRow = tables[0].Total! with { Code = "gezinnen", Label = "Gezinnen met toestemming voor onderzoek" };
        return new ProgrammeAggregates(Iso(from), Iso(to), now, ModelVersion, MinimumFamilies, familiesRow, tables);
    }

    // ---------------------------------------------------------------- tables

    private static ProgrammeTable IntensityTable(Dictionary<string, HashSet<string>> byLevel, int families)
    {
        var order = SupportIntensity.Display.Keys.ToList();
        var cells = byLevel.OrderBy(k => order.IndexOf(k.Key) is var i and >= 0 ? i : int.MaxValue).ThenBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => new Cell(k.Key, SupportIntensity.Display.GetValueOrDefault(k.Key, "Onbekend"), k.Value.Count, k.Value.Count));
        var (rows, total) = Table(cells, new Cell("totaal", "Totaal", families, families));
        return new ProgrammeTable(IntensityKey, "Gezinnen per intensiteit", "gezinnen", true, rows, total);
    }

    private static ProgrammeTable HoursTable(IReadOnlyList<(string PatientId, string Activity, long Minutes)> minutes)
    {
        var cells = minutes.GroupBy(m => m.Activity, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Cell(g.Key, PgoCodes.SupporterActivity.Display.GetValueOrDefault(g.Key, g.Key),
                g.Select(m => m.PatientId).Distinct(StringComparer.Ordinal).Count(), Hours(g.Sum(m => m.Minutes))));
        var all = minutes.Select(m => m.PatientId).Distinct(StringComparer.Ordinal).Count();
        var (rows, total) = Table(cells, new Cell("totaal", "Totaal", all, Hours(minutes.Sum(m => m.Minutes))));
        return new ProgrammeTable(HoursKey, "Uren per activiteit", "uren", true, rows, total);
    }

    private static ProgrammeTable EventsTable(Dictionary<string, (HashSet<string> Families, int Count)> events)
    {
        var cells = events.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new Cell(e.Key, EventCodes.TypeDisplay.GetValueOrDefault(e.Key, e.Key), e.Value.Families.Count, e.Value.Count));
        var all = events.Values.SelectMany(v => v.Families).Distinct(StringComparer.Ordinal).Count();
        var (rows, total) = Table(cells, new Cell("totaal", "Totaal", all, events.Values.Sum(v => v.Count)));
        return new ProgrammeTable(EventsKey, "Gebeurtenissen per soort", "gebeurtenissen", true, rows, total);
    }

    /// <summary>Per instrument: the mean change of the respondents' latest score against their first in the period; no total
    /// (instruments do not add up).</summary>
    private static ProgrammeTable MeasurementsTable(Dictionary<string, (string Title, HashSet<string> Families, List<int> Changes)> changes)
    {
        var cells = changes.OrderBy(c => c.Value.Title, StringComparer.Ordinal)
            .Select(c => new Cell(InstrumentCode(c.Key), c.Value.Title, c.Value.Families.Count, Math.Round((decimal)c.Value.Changes.Average(), 1)));
        var (rows, _) = Table(cells, null);
        return new ProgrammeTable(MeasurementsKey, "Verandering per meetinstrument (gemiddeld, laatste tegen eerste meting per invuller)", "gemiddelde verandering",
            true, rows, null);
    }

    private static ProgrammeTable BusinessCaseTable(IReadOnlyList<FamilyBusinessCaseYear> years)
    {
        var scenarios = BusinessCaseModels.Seed004.Scenarios.ToDictionary(s => s.Code, s => s.Name, StringComparer.Ordinal);
        var order = Stakeholders.All.ToList();
        var cells = years.GroupBy(y => (y.Stakeholder, y.Scenario))
            .OrderBy(g => order.IndexOf(g.Key.Stakeholder) is var i and >= 0 ? i : int.MaxValue).ThenBy(g => g.Key.Scenario, StringComparer.Ordinal)
            .Select(g => new Cell($"{g.Key.Stakeholder}|{g.Key.Scenario}",
                $"{Stakeholders.Display.GetValueOrDefault(g.Key.Stakeholder, g.Key.Stakeholder)}, {scenarios.GetValueOrDefault(g.Key.Scenario, g.Key.Scenario)}",
                g.Select(y => y.PatientId).Distinct(StringComparer.Ordinal).Count(), Math.Round(g.Sum(y => y.EurosPerYear), 0)));
        var (rows, _) = Table(cells, null);
        return new ProgrammeTable(BusinessCaseKey, "Businesscase per belanghebbende en scenario", "euro per jaar", true, rows, null);
    }

    // ---------------------------------------------------------------- reads

    /// <summary>The clients whose dossier holds a research Consent in force now (the only dossiers the view reads).</summary>
    private static async Task<List<string>> ConsentingFamiliesAsync(PlatformReader platform, DateTimeOffset now, CancellationToken ct)
    {
        var patients = new SortedSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += Page)
        {
            var page = await platform.SearchForAggregateAsync("Consent", [
                new("category", $"{PgoCodes.ConsentCategory.System}|{PgoCodes.ConsentCategory.Onderzoek}"), new("status", "active"),
                new("_count", Page.ToString(CultureInfo.InvariantCulture)), new("_offset", offset.ToString(CultureInfo.InvariantCulture))], ct);
            foreach (var stored in page)
            {
                var consent = FhirJson.Parse<Consent>(stored.Json);
                var grant = ConsentGrant.Of(consent);
                if (grant.IsResearch && grant.InForce(now) && grant.PatientId is { } p) patients.Add(p);
            }
            if (page.Count < Page) break;
        }
        return patients.ToList();
    }

    private static async Task<List<Resource>> AllAsync(PlatformReader platform, string type, string patient, CancellationToken ct)
    {
        var all = new List<Resource>();
        for (var offset = 0; ; offset += Page)
        {
            var page = await platform.SearchForAggregateAsync(type, [new("patient", $"Patient/{patient}"),
                new("_count", Page.ToString(CultureInfo.InvariantCulture)), new("_offset", offset.ToString(CultureInfo.InvariantCulture))], ct);
            all.AddRange(page.Select(s => FhirJson.Parse(s.Json)));
            if (page.Count < Page) break;
        }
        return all;
    }

    private static void Add(Dictionary<string, HashSet<string>> map, string key, string patient)
    {
        if (!map.TryGetValue(key, out var set)) map[key] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(patient);
    }

    /// <summary>The instrument's title from its Questionnaire (directory data, no family's), else the last part of its canonical.</summary>
    private static async Task<string> InstrumentTitleAsync(PlatformReader platform, string canonical, CancellationToken ct)
    {
        var found = await platform.SearchForAggregateAsync("Questionnaire", [new("url", canonical.Split('|')[0]), new("_count", "1")], ct);
        return found.Count > 0 && FhirJson.Parse<Questionnaire>(found[0].Json).Title is { Length: > 0 } title ? title : InstrumentCode(canonical);
    }

    private static string InstrumentCode(string canonical) => canonical.Split('|')[0].TrimEnd('/').Split('/')[^1];

    private static decimal Hours(long minutes) => Math.Round(minutes / 60m, 1);

    private static DateOnly? Day(string? value) =>
        value is { Length: >= 10 } && DateOnly.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
