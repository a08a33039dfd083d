using Pgo.Shared.Text;

namespace Pgo.Api.Practice;

/// <summary>
/// The demo supporters' time, in the practice (not in the dossiers): entries for their families and a few outside a family,
/// dated back from the day the demo is loaded so that "this week" and "this month" show something, and one correction
/// with its reason. Each has a fixed source ("demo:..."): loading again adds nothing.
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

    public static async System.Threading.Tasks.Task LoadAsync(TimeStore store, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DutchTime.Today(now);
        TimeRow? gemeente = null;
        foreach (var e in Entries)
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
