using Hl7.Fhir.Model;
using Pgo.Fhir.Profiles;
using Pgo.Shared.Codes;

namespace Pgo.Api.Demo;

/// <summary>
/// Intensity over time for the six demo families (issue 20; DOMAIN.md §5, seed 004): each starts with an intake and becomes
/// intensief; Sterk scaled down once Johan lived steadily at De Linde (and De Linde now ends his weekend stays: a trigger,
/// "Opnieuw opschalen?"); Van Assen went from intensief via afschalen to waakvlam six and a half weeks ago with a rhythm of
/// six weeks and no contact since, so Elise's caseload shows "contact nodig". The current intensity matches each family's
/// plan (DemoDossiers). Dated back from the day the demo is loaded; fixed ids: loading again adds nothing.
/// </summary>
public static class DemoIntensity
{
    private sealed record Step(string Id, int DaysAgo, string? From, string To, string Reason, int? RhythmWeeks = null);

    /// <summary>Elise's note about arranging home care (DemoGrants) was written when Luc's support was intensive, not on the
    /// day the demo loads: dated, so it does not count as a recent contact for the waakvlam rhythm.</summary>
    public static Resource Dated(Resource resource, DateTimeOffset now)
    {
        if (resource is DocumentReference { Id: "vanassen-logboek-1" } note && note.Date is null)
            note.Date = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(-110).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(1));
        return resource;
    }

    public static IEnumerable<Basic> Entries(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        IEnumerable<Basic> Family(string patient, string supporter, string name, params Step[] steps) =>
            steps.Select(s => IntensityChange.New(patient, $"Practitioner/bondgenoot-{supporter}", name, s.To, s.From, today.AddDays(-s.DaysAgo),
                s.Reason, agreed: true, s.RhythmWeeks, s.Id));

        foreach (var b in Family("strikwerda-jesse", "ricardo", "Ricardo (bondgenoot)",
            new("intensiteit-strikwerda-1", 210, null, SupportIntensity.Intake, "Aanmelding via de OCO: Tessa loopt vast met de post, de schulden en de zorg voor Jesse."),
            new("intensiteit-strikwerda-2", 200, SupportIntensity.Intake, SupportIntensity.Intensief, "Bewind, Wmo-dagbesteding en de kinderen tegelijk: elke week een paar uur nodig.")))
            yield return b;
        foreach (var b in Family("bilic-atilla", "khadija", "Khadija (bondgenoot)",
            new("intensiteit-bilic-1", 160, null, SupportIntensity.Intake, "Kennismaking in het Koerdisch; Gulan en Ali willen hulp bij de woning en de nachtzorg."),
            new("intensiteit-bilic-2", 150, SupportIntensity.Intake, SupportIntensity.Intensief, "Aangepaste woning, KDC en het pgb-team moeten samen worden gebracht.")))
            yield return b;
        foreach (var b in Family("sterk-johan", "sven", "Sven (bondgenoot)",
            new("intensiteit-sterk-1", 300, null, SupportIntensity.Intensief, "Vierde overdracht dreigt te mislukken; Johan heeft een plan nodig dat met hem meegaat."),
            new("intensiteit-sterk-2", 60, SupportIntensity.Intensief, SupportIntensity.Afschalen, "Johan woont drie maanden stabiel op De Linde; het team leest het plan zelf.")))
            yield return b;
        foreach (var b in Family("frank-leo", "hans", "Hans (bondgenoot)",
            new("intensiteit-frank-1", 190, null, SupportIntensity.Intake, "Karin vraagt hulp bij Leo's weg naar 18 en het contact met Ruben."),
            new("intensiteit-frank-2", 180, SupportIntensity.Intake, SupportIntensity.Intensief, "Mediation, Wlz en school tegelijk: intensief tot Leo 18 is.")))
            yield return b;
        foreach (var b in Family("dewit-kim", "ilse", "Ilse (bondgenoot)",
            new("intensiteit-dewit-1", 260, null, SupportIntensity.Intake, "Frank en Ilona lopen vast met de zorg voor Kim en de plafondlift."),
            new("intensiteit-dewit-2", 250, SupportIntensity.Intake, SupportIntensity.Intensief, "Logeren opbouwen, bezwaar voorbereiden en Lex niet vergeten.")))
            yield return b;
        foreach (var b in Family("vanassen-luc", "elise", "Elise (bondgenoot)",
            new("intensiteit-vanassen-1", 120, null, SupportIntensity.Intensief, "Na de val: thuiszorg regelen in plaats van een verpleeghuis."),
            new("intensiteit-vanassen-2", 80, SupportIntensity.Intensief, SupportIntensity.Afschalen, "Thuiszorg loopt; Luc werkt weer twee dagen in de winkel."),
            new("intensiteit-vanassen-3", 45, SupportIntensity.Afschalen, SupportIntensity.Waakvlam, "Luc redt het zelf en belt als er iets is. Elise belt om de zes weken.", 6)))
            yield return b;

        // The trigger after Sterk scaled down: De Linde ends Johan's weekend stays.
        yield return CountableEvent.New("sterk-johan", "Practitioner/bondgenoot-sven", "Sven (bondgenoot)",
            new CountableEvent.Fields(EventCodes.Types.ZorgplekWeg, today.AddDays(-12), "De Linde zegt de weekendopvang van Johan op: te weinig vaste begeleiders.",
                Instantie: "zorgaanbieder"), "gebeurtenis-sterk-weekendopvang");
    }
}
