using Hl7.Fhir.Model;
using Pgo.Fhir.Profiles;
using Pgo.Shared.Codes;
using Pgo.Shared.Evidence;
using static Pgo.Shared.Codes.BusinessCaseJudgements;

namespace Pgo.Api.Demo;

/// <summary>
/// The demo families' judgements of their business-case items (issue 21, docs/adr/0011-social-business-case.md), made by
/// each family's bondgenoot with the family a week before the demo loads, under model seed-004 v1: Strikwerda, Bilic, Sterk
/// and Frank under their own gezinstype of seed 004 (what their stories there say was avoided, occurred or does not
/// apply); De Wit, whose gezinstype 5 is not in the model yet, under gezinstype 4, whose items its story shares (Ilona's
/// work and stress, the parents' relationship, Lex at school). Items left unjudged: Strikwerda's and De Wit's
/// "doubleren (directe kosten)" (for the family to judge), and Sterk's move of institution, which the events register
/// marks as occurred (De Linde ending Johan's care place). Fixed ids: loading again adds nothing.
/// </summary>
public static class DemoBusinessCase
{
    private sealed record J(string Item, string Judgement, string? Reason);

    public static IEnumerable<Basic> Entries(DateTimeOffset now)
    {
        var judged = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-7);
        var model = BusinessCaseModels.Seed004;
        IEnumerable<Basic> Family(string key, string patient, string supporter, string name, int type, params J[] items) =>
            items.Select(j => BusinessCaseJudgement.New(patient, $"Practitioner/bondgenoot-{supporter}", name, j.Judgement, j.Item, model.Id, model.Version,
                type, j.Reason, judged, $"mbc-{key}-{j.Item}"));

        foreach (var b in Family("strikwerda", "strikwerda-jesse", "ricardo", "Ricardo (bondgenoot)", 1,
            new("zw-ww-vader", NietVanToepassing, "Jesse werkt al jaren niet meer na zijn ongeluk."),
            new("bijstand-vader", NietVanToepassing, "Jesse werkt al jaren niet meer na zijn ongeluk."),
            new("huisuitzetting", Voorkomen, "De betalingsregeling loopt en de huur wordt weer op tijd betaald."),
            new("schuldhulpverlening", Opgetreden, "Tessa en de bewindvoerder zitten al in de schuldhulpverlening."),
            new("leerplicht", Voorkomen, "Rowena gaat weer elke dag naar school; de school en Tessa hebben een vast contactmoment."),
            new("samenwerking-professionals", Voorkomen, "Eén plan voor school, bewind, Wmo en huisarts; Ricardo houdt de lijnen bij elkaar."),
            new("sociaal-netwerk", Voorkomen, "Cheryl gaat naar de gespreksgroep en de buren helpen op vaste dagen."),
            new("burn-out", Voorkomen, "Tessa houdt het vol: de post, de schulden en de zorg zijn verdeeld."),
            new("depressie", Voorkomen, "Tessa houdt het vol: de post, de schulden en de zorg zijn verdeeld.")))
            yield return b;
        foreach (var b in Family("bilic", "bilic-atilla", "khadija", "Khadija (bondgenoot)", 2,
            new("huisuitzetting", NietVanToepassing, "Geen schulden of huurachterstand."),
            new("schuldhulpverlening", NietVanToepassing, "Geen schulden of huurachterstand."),
            new("doubleren-direct", Voorkomen, "Ibrahim krijgt bijles en extra ondersteuning op school."),
            new("doubleren-indirect", Voorkomen, "Ibrahim krijgt bijles en extra ondersteuning op school."),
            new("samenwerking-professionals", Voorkomen, "KDC, pgb-team, gemeente en school werken vanuit één plan, getolkt voor Gulan."),
            new("sociaal-netwerk", Voorkomen, "Gulan heeft contact met de taalvrijwilligers en twee buurvrouwen."),
            new("taal-participatie", Voorkomen, "Gulan volgt taalles via de taalvrijwilligers.")))
            yield return b;
        foreach (var b in Family("sterk", "sterk-johan", "sven", "Sven (bondgenoot)", 3,
            new("verhuizing-ouders", Voorkomen, "Wim en Loes blijven wonen waar ze wonen: Johan woont stabiel op De Linde."),
            new("waardeverlies-huis", NietVanToepassing, "De ouders verhuizen niet."),
            new("organisatiekosten", Voorkomen, "Het plan gaat met Johan mee: geen nieuwe intake en geen crisisberaad bij De Linde."),
            new("klachtenprocedures", Voorkomen, "Afspraken met De Linde staan in het plan; er is geen klacht nodig geweest."),
            new("juridische-procedures", Voorkomen, "Alleen het bezwaar tegen het CIZ loopt; eerdere procedures bij overdrachten zijn niet meer nodig."),
            new("burn-out", Voorkomen, "Wim en Loes slapen weer: Johan woont stabiel."),
            new("depressie", Voorkomen, "Wim en Loes slapen weer: Johan woont stabiel."),
            new("uitval-moeder", Voorkomen, "Loes werkt weer haar vaste uren."),
            new("psychische-problemen-brusjes", NietVanToepassing, "Er wonen geen jonge broers of zussen thuis."),
            new("doubleren-direct", NietVanToepassing, "Er wonen geen schoolgaande broers of zussen thuis."),
            new("doubleren-indirect", NietVanToepassing, "Er wonen geen schoolgaande broers of zussen thuis.")))
            yield return b;
        foreach (var b in Family("frank", "frank-leo", "hans", "Hans (bondgenoot)", 4,
            new("behoud-werk-moeder", Voorkomen, "Karin blijft 32 uur werken; haar werkgever kent het plan."),
            new("passende-zorg-wlz", Voorkomen, "Leo woont thuis met de zorgboerderij en het VSO in plaats van in een LVG-groep."),
            new("passende-zorg-zvw", Voorkomen, "Leo woont thuis met de zorgboerderij en het VSO in plaats van in een LVG-groep."),
            new("passende-zorg-onderwijs", Voorkomen, "Leo woont thuis met de zorgboerderij en het VSO in plaats van in een LVG-groep."),
            new("leerplicht", Voorkomen, "Leo gaat elke dag naar het VSO."),
            new("doubleren-direct", NietVanToepassing, "Leo volgt het VSO in zijn eigen tempo."),
            new("doubleren-indirect", NietVanToepassing, "Leo volgt het VSO in zijn eigen tempo."),
            new("echtscheiding", Opgetreden, "Karin en Ruben waren al uit elkaar; de mediation gaat over de zorg voor Leo en Wesley."),
            new("politie-overlast", Voorkomen, "Leo heeft een vaste dagbesteding en zwemt; geen contact met de politie."),
            new("uitval-moeder", Voorkomen, "Karin meldt zich niet meer ziek sinds de weekenden op de zorgboerderij.")))
            yield return b;
        foreach (var b in Family("dewit", "dewit-kim", "ilse", "Ilse (bondgenoot)", 4,
            new("behoud-werk-moeder", Voorkomen, "Ilona houdt haar baan als docent: het logeren bij het KDC geeft rust in de nachten."),
            new("passende-zorg-wlz", NietVanToepassing, "Kim heeft al een Wlz-indicatie en gaat naar het KDC."),
            new("passende-zorg-zvw", NietVanToepassing, "Kim heeft al een Wlz-indicatie en gaat naar het KDC."),
            new("passende-zorg-onderwijs", NietVanToepassing, "Kim heeft al een Wlz-indicatie en gaat naar het KDC."),
            new("leerplicht", NietVanToepassing, "Lex gaat graag naar school."),
            new("doubleren-indirect", Voorkomen, "Lex blijft op de havo op koers: Ilse praat met hem over wat hij thuis doet."),
            new("echtscheiding", Voorkomen, "De zorg voor Kim zet de relatie onder druk; met Ilse plannen Frank en Ilona weer tijd voor elkaar."),
            new("politie-overlast", NietVanToepassing, "Speelt niet in dit gezin."),
            new("uitval-moeder", Voorkomen, "Ilona meldt zich minder vaak ziek sinds het logeren is uitgebreid.")))
            yield return b;
    }
}
