using Hl7.Fhir.Model;
using Pgo.Api.Dossier;
using Pgo.Fhir.Access;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Pgo.Api.Demo;

/// <summary>
/// The measurement plans of the demo families (issue 20), consistent with their measurements (DemoDossiers: every family
/// filled in its 0-meting about 150 days ago and its 1-meting 25 days ago): per instrument the 0- and 1-meting done (the
/// response as output), the 2-meting planned a year after the 0-meting. De Wit also has the resilience list (veerkracht)
/// planned ten days ago for Ilona and not yet filled in: overdue ("te laat"). Strikwerda has no plan, so Ricardo can make
/// one (the "plan de 0-, 1- en 2-meting" state of the screen). Fixed ids: loading again adds nothing.
/// </summary>
public static class DemoMeasurementPlan
{
    private static readonly MeasurementOptions Rhythm = new();

    public static IEnumerable<Resource> Entries(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var start = today.AddDays(-150);
        var families = new (string Family, string Patient, string Supporter, string Name, bool Naaste)[]
        {
            ("bilic", "bilic-atilla", "khadija", "Khadija (bondgenoot)", true),
            ("sterk", "sterk-johan", "sven", "Sven (bondgenoot)", true),
            ("frank", "frank-leo", "hans", "Hans (bondgenoot)", true),
            ("dewit", "dewit-kim", "ilse", "Ilse (bondgenoot)", true),
            ("vanassen", "vanassen-luc", "elise", "Elise (bondgenoot)", false),
        };
        foreach (var f in families)
        {
            var lists = f.Naaste ? new[] { ("kwaliteit", ProjectQuestionnaires.KwaliteitVanLeven), ("belasting", ProjectQuestionnaires.BelastingNaaste) }
                : [("kwaliteit", ProjectQuestionnaires.KwaliteitVanLeven)];
            foreach (var (key, questionnaire) in lists)
            {
                foreach (var (moment, due) in MeasurementPlan.Moments(start, Rhythm))
                {
                    var n = moment[..1];
                    var task = MeasurementPlan.Planned(f.Patient, questionnaire, moment, due, $"Practitioner/bondgenoot-{f.Supporter}", f.Name, now.AddDays(-150),
                        $"meetplan-{f.Family}-{key}-{n}");
                    task.AuthoredOn = Day(start);
                    if (moment != PgoCodes.MeasurementMoment.Twee)
                    {
                        var done = today.AddDays(moment == PgoCodes.MeasurementMoment.Nul ? -150 : -25);
                        MeasurementPlan.Complete(task, new QuestionnaireResponse { Id = $"{f.Family}-{key}-{n}", Authored = Day(done) }, now);
                        task.LastModified = Day(done);
                    }
                    yield return task;
                }
            }
        }
        // De Wit: the resilience list for Ilona, planned ten days ago, not filled in yet.
        var late = MeasurementPlan.Planned("dewit-kim", ProjectQuestionnaires.Veerkracht, PgoCodes.MeasurementMoment.Nul, today.AddDays(-10),
            "Practitioner/bondgenoot-ilse", "Ilse (bondgenoot)", now.AddDays(-20), "meetplan-dewit-veerkracht-0");
        late.AuthoredOn = Day(today.AddDays(-20));
        yield return late;
    }

    private static string Day(DateOnly day) => MeasurementPlan.Day(day);
}
