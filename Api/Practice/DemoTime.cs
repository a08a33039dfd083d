using Pgo.Shared.Text;

namespace Pgo.Api.Practice;

/// <summary>
/// The demo supporters' time, in the practice (not in the dossiers): a few hand-written entries that the tests and the
/// screens point to (one with a correction and its reason), and twelve weeks of regular work per family from seed 004's
/// stories (<see cref="History"/>): about 3 hours a week while support is intensive (DOMAIN.md §1: 2–4 h per family per
/// week, 3 h on average; seed 000 l.5196–5200), less once it is scaled down, nothing after Van Assen went to waakvlam
/// (DemoIntensity: "contact nodig"), and every supporter's time outside a family: intervisie every six weeks, the learning
/// network every four, travel each week (seed 000 l.5763–5779). Dated back from the day the demo is loaded, with the moment
/// it was recorded on that day, so everything older than Practice:EditDays is past edit. Each has a fixed source
/// ("demo:..."): loading again adds nothing.
/// </summary>
public static class DemoTime
{
    private sealed record Entry(string Id, string? Patient, string? Family, string Supporter, string Name, string Activity, int DaysAgo, int Minutes, string? Note);

    private static readonly Entry[] Entries =
    [
        new("tijd-strikwerda-1", "strikwerda-jesse", "Jesse Strikwerda", "ricardo", "Ricardo (bondgenoot)", "vraagverheldering", 0, 60, "Keukentafelgesprek met Tessa over de dagstructuur."),
        new("tijd-strikwerda-2", "strikwerda-jesse", "Jesse Strikwerda", "ricardo", "Ricardo (bondgenoot)", "administratie-regelwerk", 2, 45, "Wmo-aanvraag samen ingevuld."),
        new("tijd-strikwerda-3", "strikwerda-jesse", "Jesse Strikwerda", "ricardo", "Ricardo (bondgenoot)", "luisterend-oor", 9, 30, null),
        new("tijd-strikwerda-4", "strikwerda-jesse", "Jesse Strikwerda", "ricardo", "Ricardo (bondgenoot)", "meegaan-extern", 20, 120, "Mee naar het gesprek met de gemeente."),
        new("tijd-bilic-1", "bilic-atilla", "Atilla Bilic", "khadija", "Khadija (bondgenoot)", "zorg-zoeken-aanvragen", 1, 90, "Logeeropvang gezocht voor Atilla."),
        new("tijd-bilic-2", "bilic-atilla", "Atilla Bilic", "khadija", "Khadija (bondgenoot)", "dialoog-faciliteren", 6, 75, "Gesprek met school en ouders, met tolk."),
        new("tijd-sterk-1", "sterk-johan", "Johan Sterk", "sven", "Sven (bondgenoot)", "zorg-coordineren", 3, 50, "Overleg met de woonbegeleiding."),
        new("tijd-sterk-2", "sterk-johan", "Johan Sterk", "sven", "Sven (bondgenoot)", "klachten-bezwaar", 12, 40, "Bezwaar tegen het CIZ-besluit voorbereid."),
        // Time outside a family: the learning network, intervisie, travel and training (seed 000 l.5763–5779).
        new("tijd-ricardo-intervisie", null, null, "ricardo", "Ricardo (bondgenoot)", "intervisie", 4, 90, "Intervisie met het bondgenotenteam."),
        new("tijd-ricardo-lerend-netwerk", null, null, "ricardo", "Ricardo (bondgenoot)", "lerend-netwerk", 15, 120, "Bijeenkomst lerend netwerk over de Wlz."),
        new("tijd-ricardo-reistijd", null, null, "ricardo", "Ricardo (bondgenoot)", "reistijd", 20, 40, null),
        new("tijd-sven-scholing", null, null, "sven", "Sven (bondgenoot)", "scholing", 5, 180, "Training Meerzorg aanvragen."),
    ];

    /// <summary>A supporter's family, how its support went (DemoIntensity) and the work of a week in its story.</summary>
    private sealed record Family(string Key, string Patient, string FamilyName, string Supporter, string Name,
        Func<int, int> WeeklyMinutes, (string Activity, string Note)[] Work);

    /// <summary>Minutes a week by the days ago the week began: intensive, scaled down, waakvlam.</summary>
    private const int Intensive = 180, ScaledDown = 60;

    public const int HistoryWeeks = 12;

    private static readonly Family[] Families =
    [
        new("strikwerda", "strikwerda-jesse", "Jesse Strikwerda", "ricardo", "Ricardo (bondgenoot)", _ => Intensive,
        [
            ("administratie-regelwerk", "Post en betalingsregeling doorgenomen met Tessa en de bewindvoerder."),
            ("luisterend-oor", "Gesprek met Tessa over Jesse's achteruitgang."),
            ("ondersteuning-coordineren", "Contact met de school van Rowena."),
            ("eigen-regie-versterken", "Met Cheryl over haar eigen plannen en de gespreksgroep."),
            ("zorg-zoeken-aanvragen", "Dagbesteding voor Jesse gezocht."),
            ("levensreflectie", "Jesse's wensen voor later samen opgeschreven."),
        ]),
        new("bilic", "bilic-atilla", "Atilla Bilic", "khadija", "Khadija (bondgenoot)", _ => Intensive,
        [
            ("zorg-coordineren", "Overleg met het KDC en het pgb-team, getolkt voor Gulan."),
            ("administratie-regelwerk", "Pgb-declaraties met Gulan ingevuld."),
            ("meegaan-extern", "Mee naar de gemeente over de woning."),
            ("informeren-adviseren", "Uitgelegd hoe de decubitusmat wordt aangevraagd."),
            ("ondersteuning-coordineren", "Bijles voor Ibrahim geregeld."),
            ("eigen-regie-versterken", "Gulan aangemeld bij de taalvrijwilligers."),
        ]),
        // Intensief until 60 days ago, then scaled down (DemoIntensity).
        new("sterk", "sterk-johan", "Johan Sterk", "sven", "Sven (bondgenoot)", daysAgo => daysAgo > 60 ? Intensive : ScaledDown,
        [
            ("zorg-coordineren", "Overdracht van het plan aan het team van De Linde."),
            ("klachten-bezwaar", "Stukken voor het bezwaar verzameld."),
            ("luisterend-oor", "Wim en Loes gebeld over Johans weekenden."),
            ("zorg-zoeken-aanvragen", "Logeerplekken in de regio nagegaan."),
        ]),
        new("frank", "frank-leo", "Leo Frank", "hans", "Hans (bondgenoot)", _ => Intensive,
        [
            ("dialoog-faciliteren", "Overleg met Karin en Ruben samen."),
            ("administratie-regelwerk", "Aanvragen voor Leo's 18e voorbereid (Wajong, beschut werk)."),
            ("meegaan-extern", "Mee naar het gesprek op het VSO."),
            ("activerende-coaching", "Met Leo naar de zwemvereniging."),
            ("luisterend-oor", "Gesprek met Wesley."),
            ("expertise-inbrengen", "Uitgelegd wat mentorschap na 18 betekent."),
        ]),
        new("dewit", "dewit-kim", "Kim de Wit", "ilse", "Ilse (bondgenoot)", _ => Intensive,
        [
            ("klachten-bezwaar", "Bezwaar tegen de afwijzing van de plafondlift geschreven."),
            ("zorg-coordineren", "Logeren bij het KDC uitgebreid."),
            ("luisterend-oor", "Gesprek met Ilona over haar werk en haar rust."),
            ("eigen-regie-versterken", "Met Lex over wat hij thuis doet."),
            ("belangenbehartiging", "Gebeld met de Wmo-consulent."),
            ("expertise-inbrengen", "Vooruitgekeken naar Kims 18e."),
        ]),
        // Intensief from 120 days ago, scaled down 80 days ago, waakvlam 45 days ago without contact since (DemoIntensity).
        new("vanassen", "vanassen-luc", "Luc van Assen", "elise", "Elise (bondgenoot)", daysAgo => daysAgo > 80 ? Intensive : daysAgo > 45 ? ScaledDown : 0,
        [
            ("zorg-coordineren", "Thuiszorg, fysiotherapie en Visio op elkaar afgestemd."),
            ("luisterend-oor", "Luc gebeld over hoe het thuis gaat."),
            ("activerende-coaching", "Met Luc de terugkeer naar de kringloopwinkel voorbereid."),
            ("ondersteuning-coordineren", "Rooster van Paula en de bekenden doorgenomen."),
        ]),
    ];

    /// <summary>Twelve weeks of each family's work, a few entries a week on weekdays, and the time outside a family.</summary>
    private static IEnumerable<Entry> History()
    {
        foreach (var f in Families)
            for (var week = 0; week < HistoryWeeks; week++)
            {
                var start = 7 * week + 3;
                var minutes = f.WeeklyMinutes(start);
                if (minutes == 0) continue;
                // Intensive: three entries (60 + 75 + 45); scaled down: one.
                int[] parts = minutes >= Intensive ? [60, 75, 45] : [minutes];
                for (var k = 0; k < parts.Length; k++)
                {
                    var (activity, note) = f.Work[(3 * week + k) % f.Work.Length];
                    yield return new($"tijd-{f.Key}-w{week + 1}-{k + 1}", f.Patient, f.FamilyName, f.Supporter, f.Name, activity, start + 2 * k, parts[k], note);
                }
            }
        foreach (var f in Families)
            for (var week = 0; week < HistoryWeeks; week++)
            {
                var start = 7 * week + 2;
                yield return new($"tijd-{f.Supporter}-reistijd-w{week + 1}", null, null, f.Supporter, f.Name, "reistijd", start, 60, null);
                if (week % 6 == 1)
                    yield return new($"tijd-{f.Supporter}-intervisie-w{week + 1}", null, null, f.Supporter, f.Name, "intervisie", start + 1, 90, "Intervisie met het bondgenotenteam.");
                if (week % 4 == 2)
                    yield return new($"tijd-{f.Supporter}-lerend-netwerk-w{week + 1}", null, null, f.Supporter, f.Name, "lerend-netwerk", start + 2, 120, "Bijeenkomst van het lerend netwerk.");
            }
    }

    public static async System.Threading.Tasks.Task LoadAsync(TimeStore store, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DutchTime.Today(now);
        TimeRow? gemeente = null;
        foreach (var e in Entries.Concat(History()))
        {
            var row = await store.InsertAsync(new TimeRow
            {
                AuthorKey = $"Person/bondgenoot-{e.Supporter}",
                AuthorName = e.Name,
                AuthorRef = $"Practitioner/bondgenoot-{e.Supporter}",
                PatientId = e.Patient,
                FamilyName = e.Family,
                Activity = e.Activity,
                EntryDate = today.AddDays(-e.DaysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Minutes = e.Minutes,
                Note = e.Note,
                Source = "demo:" + e.Id,
                CreatedMs = now.AddDays(-e.DaysAgo).ToUnixTimeMilliseconds(),
            }, ct);
            if (e.Id == "tijd-strikwerda-4") gemeente = row;
        }
        // The meeting with the gemeente was shorter than registered: corrected after the edit period, with the reason.
        if (gemeente is not null)
            await store.InsertAsync(new TimeRow
            {
                AuthorKey = gemeente.AuthorKey, AuthorName = gemeente.AuthorName, AuthorRef = gemeente.AuthorRef, PatientId = gemeente.PatientId,
                FamilyName = gemeente.FamilyName, Activity = gemeente.Activity, EntryDate = gemeente.EntryDate, Minutes = -30,
                CorrectsId = gemeente.Id, Reason = "Het gesprek duurde een half uur korter dan geregistreerd.", Source = "demo:tijd-strikwerda-4-correctie",
                CreatedMs = now.AddDays(-1).ToUnixTimeMilliseconds(),
            }, ct);
    }
}
