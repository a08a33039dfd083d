using Hl7.Fhir.Model;
using Pgo.Fhir.Profiles;

namespace Pgo.Api.Demo;

/// <summary>
/// Time registrations of a few bondgenoten (section tijd), dated back from the day the demo is loaded so that "this week"
/// and "this month" show something. Fixed ids: loading again adds nothing.
/// </summary>
public static class DemoTime
{
    public static IEnumerable<Basic> Entries(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        (string Id, string Patient, string Supporter, string Name, string Activity, int DaysAgo, int Minutes, string? Note)[] entries =
        [
            ("tijd-strikwerda-1", "strikwerda-jesse", "ricardo", "Ricardo (bondgenoot)", "vraagverheldering", 0, 60, "Keukentafelgesprek met Tessa over de dagstructuur."),
            ("tijd-strikwerda-2", "strikwerda-jesse", "ricardo", "Ricardo (bondgenoot)", "administratie-regelwerk", 2, 45, "Wmo-aanvraag samen ingevuld."),
            ("tijd-strikwerda-3", "strikwerda-jesse", "ricardo", "Ricardo (bondgenoot)", "luisterend-oor", 9, 30, null),
            ("tijd-strikwerda-4", "strikwerda-jesse", "ricardo", "Ricardo (bondgenoot)", "meegaan-extern", 20, 120, "Mee naar het gesprek met de gemeente."),
            ("tijd-bilic-1", "bilic-atilla", "khadija", "Khadija (bondgenoot)", "zorg-zoeken-aanvragen", 1, 90, "Logeeropvang gezocht voor Atilla."),
            ("tijd-bilic-2", "bilic-atilla", "khadija", "Khadija (bondgenoot)", "dialoog-faciliteren", 6, 75, "Gesprek met school en ouders, met tolk."),
            ("tijd-sterk-1", "sterk-johan", "sven", "Sven (bondgenoot)", "zorg-coordineren", 3, 50, "Overleg met de woonbegeleiding."),
            ("tijd-sterk-2", "sterk-johan", "sven", "Sven (bondgenoot)", "klachten-bezwaar", 12, 40, "Bezwaar tegen het CIZ-besluit voorbereid."),
        ];
        foreach (var e in entries)
            yield return TimeRegistration.New(e.Patient, $"Practitioner/bondgenoot-{e.Supporter}", e.Name, e.Activity, today.AddDays(-e.DaysAgo), e.Minutes, e.Note, e.Id);
    }
}
