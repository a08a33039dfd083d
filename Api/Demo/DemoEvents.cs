using Hl7.Fhir.Model;
using Pgo.Fhir.Profiles;
using Pgo.Shared.Codes;
using static Pgo.Fhir.Profiles.CountableEvent;

namespace Pgo.Api.Demo;

/// <summary>
/// Events that count for the six demo families (issue 20; DOMAIN.md §5, seed 004's family stories), each recorded by the
/// family's bondgenoot: Strikwerda's Wmo application for household help and day activities, Danny's pgb and Rowena's late
/// autism diagnosis; Bilic's adapted house, the move, the pgb home team and the decubitus mattress still waiting; Sterk's
/// failed handovers, the move to De Linde, the CIZ decision and the open objection against it (De Linde ending the weekend
/// stays is the trigger in <see cref="DemoIntensity"/>); Frank's mediation, the move to the VSO, the zorgboerderij, Karin
/// keeping her job and the applications before Leo turns 18 (beschut werk, Wajong, mentorship); De Wit's refused ceiling
/// lift and open objection; Van Assen's fall, hospital stay, home care instead of a nursing home and his return to the shop.
/// Consistent with <see cref="DemoIntensity"/>: no trigger event after Van Assen went to waakvlam, and none after Sterk
/// scaled down except De Linde's news. Open procedures have their deadline at least ten days ahead (no reminder on the day
/// the demo loads). Dated back from the day the demo is loaded; fixed ids: loading again adds nothing.
/// </summary>
public static class DemoEvents
{
    public static IEnumerable<Basic> Entries(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        DateOnly Ago(int days) => today.AddDays(-days);
        DateOnly Ahead(int days) => today.AddDays(days);

        // 1. Strikwerda (seed 004 l.652–1100): bondgenoot Ricardo.
        Basic Strikwerda(string id, Fields f) => New("strikwerda-jesse", "Practitioner/bondgenoot-ricardo", "Ricardo (bondgenoot)", f, id);
        yield return Strikwerda("gebeurtenis-strikwerda-schulden", new Fields(EventCodes.Types.ContactInstantie, Ago(190),
            "Met Tessa en de bewindvoerder bij de schuldhulpverlening: nog niet alle schuldeisers gaan akkoord met de betalingsregeling.",
            Instantie: "gemeente"));
        yield return Strikwerda("gebeurtenis-strikwerda-pgb-danny", new Fields(EventCodes.Types.Aanvraag, Ago(170),
            "Pgb van 6 uur per week voor begeleiding van Danny bij zijn eenvoudige reguliere baan.", Regeling: "jeugdwet", Instantie: "gemeente",
            Status: EventCodes.Status.Afgerond, Outcome: "toegekend"));
        yield return Strikwerda("gebeurtenis-strikwerda-diagnose-rowena", new Fields(EventCodes.Types.Diagnose, Ago(140),
            "Rowena krijgt de diagnose autisme (ASS); Tessa bespreekt met de school wat zij nodig heeft.", Instantie: "zorgaanbieder"));
        yield return Strikwerda("gebeurtenis-strikwerda-school-rowena", new Fields(EventCodes.Types.Schoolwissel, Ago(95),
            "Rowena begint op het vmbo; de school en Tessa spreken een vast contactmoment af.", Instantie: "school"));
        yield return Strikwerda("gebeurtenis-strikwerda-gesprek-wmo", new Fields(EventCodes.Types.ContactInstantie, Ago(20),
            "Met Tessa naar het gesprek met de Wmo-consulent over huishoudelijke hulp en dagbesteding voor Jesse.", Regeling: "wmo", Instantie: "gemeente"));
        yield return Strikwerda("gebeurtenis-strikwerda-aanvraag-wmo", new Fields(EventCodes.Types.Aanvraag, Ago(2),
            "Aanvraag Wmo: 3 uur huishoudelijke hulp per week en twee dagen dagbesteding voor Jesse.", Regeling: "wmo", Instantie: "gemeente",
            Status: EventCodes.Status.Ingediend, Deadline: Ahead(54), DeadlineKind: "beslistermijn"));

        // 2. Bilic (l.1107–1470): bondgenoot Khadija, who speaks the parents' language.
        Basic Bilic(string id, Fields f) => New("bilic-atilla", "Practitioner/bondgenoot-khadija", "Khadija (bondgenoot)", f, id);
        yield return Bilic("gebeurtenis-bilic-aanvraag-woning", new Fields(EventCodes.Types.Aanvraag, Ago(148),
            "Indicatie voor een aangepaste woning: Atilla zit in een rolstoel en heeft beneden een slaapkamer en badkamer nodig.",
            Regeling: "wmo", Instantie: "gemeente", Status: EventCodes.Status.Afgerond, Outcome: "toegekend"));
        yield return Bilic("gebeurtenis-bilic-gesprek-gemeente", new Fields(EventCodes.Types.ContactInstantie, Ago(140),
            "Met Gulan naar de gemeente; Khadija tolkt de vragen en de antwoorden.", Regeling: "wmo", Instantie: "gemeente"));
        yield return Bilic("gebeurtenis-bilic-aanvraag-pgb", new Fields(EventCodes.Types.Aanvraag, Ago(120),
            "Pgb voor een team dat Atilla 's middags thuis verzorgt, en uren voor Gulans nachtzorg.", Regeling: "pgb", Instantie: "zorgkantoor",
            Status: EventCodes.Status.Afgerond, Outcome: "toegekend"));
        yield return Bilic("gebeurtenis-bilic-opname", new Fields(EventCodes.Types.Ziekenhuisopname, Ago(75),
            "Atilla een nacht opgenomen na een reeks epileptische aanvallen.", Instantie: "ziekenhuis"));
        yield return Bilic("gebeurtenis-bilic-aanvraag-decubitusmat", new Fields(EventCodes.Types.Aanvraag, Ago(60),
            "Aanvraag decubitusmat voor Atilla, opnieuw ingediend met de brief van de ergotherapeut.", Regeling: "hulpmiddelen", Instantie: "zorgverzekeraar",
            Status: EventCodes.Status.InBehandeling, Deadline: Ahead(24), DeadlineKind: "beslistermijn"));
        yield return Bilic("gebeurtenis-bilic-verhuizing", new Fields(EventCodes.Types.Verhuizing, Ago(40),
            "Het gezin verhuist naar de aangepaste woning.", Instantie: "gemeente"));
        yield return Bilic("gebeurtenis-bilic-school-ibrahim", new Fields(EventCodes.Types.ContactInstantie, Ago(25),
            "Gesprek met Ibrahim en zijn school over bijles en extra ondersteuning.", Regeling: "onderwijs", Instantie: "school"));

        // 3. Sterk (l.1470–2206): bondgenoot Sven. Afschalen since 60 days (DemoIntensity); De Linde's news is the trigger.
        Basic Sterk(string id, Fields f) => New("sterk-johan", "Practitioner/bondgenoot-sven", "Sven (bondgenoot)", f, id);
        yield return Sterk("gebeurtenis-sterk-overdracht", new Fields(EventCodes.Types.ZorgplekWeg, Ago(295),
            "De vierde zorgaanbieder ziet geen mogelijkheden meer voor Johan en zegt de zorg op.", Instantie: "zorgaanbieder"));
        yield return Sterk("gebeurtenis-sterk-zorgkantoor", new Fields(EventCodes.Types.ContactInstantie, Ago(280),
            "Bemiddeling door het zorgkantoor gevraagd voor een woon- en behandelplek die bij Johan past.", Regeling: "wlz", Instantie: "zorgkantoor"));
        yield return Sterk("gebeurtenis-sterk-verhuizing", new Fields(EventCodes.Types.Verhuizing, Ago(150),
            "Johan verhuist naar De Linde; het plan uit het dossier gaat met hem mee.", Instantie: "zorgaanbieder"));
        yield return Sterk("gebeurtenis-sterk-aanvraag-ciz", new Fields(EventCodes.Types.Aanvraag, Ago(100),
            "Herindicatie Wlz aangevraagd: Johan heeft meer begeleiding nodig dan zijn profiel nu geeft.", Regeling: "wlz", Instantie: "ciz",
            Status: EventCodes.Status.Bezwaar, Outcome: "afgewezen"));
        yield return Sterk("gebeurtenis-sterk-besluit-ciz", new Fields(EventCodes.Types.Besluit, Ago(40),
            "Besluit van het CIZ: het profiel blijft gelijk.", Regeling: "wlz", Instantie: "ciz"));
        yield return Sterk("gebeurtenis-sterk-bezwaar-ciz", new Fields(EventCodes.Types.Bezwaar, Ago(10),
            "Bezwaar tegen het CIZ-besluit, met het gedragsverslag van De Linde.", Regeling: "wlz", Instantie: "ciz",
            Status: EventCodes.Status.InBehandeling, Deadline: Ahead(32), DeadlineKind: "beslistermijn", Contests: "Basic/gebeurtenis-sterk-besluit-ciz"));
        yield return Sterk("gebeurtenis-sterk-logeerplek", new Fields(EventCodes.Types.ContactInstantie, Ago(5),
            "Het zorgkantoor gebeld: een andere plek voor Johans weekenden wordt gezocht.", Regeling: "wlz", Instantie: "zorgkantoor"));

        // 4. Frank (l.2207–2648): bondgenoot Hans works with both parents; Leo is 17, the applications for 18 are running.
        Basic Frank(string id, Fields f) => New("frank-leo", "Practitioner/bondgenoot-hans", "Hans (bondgenoot)", f, id);
        yield return Frank("gebeurtenis-frank-mediation", new Fields(EventCodes.Types.ContactInstantie, Ago(175),
            "Eerste gesprek met de mediator: Karin en Ruben maken afspraken over de zorg voor Leo en Wesley.", Instantie: "overig"));
        yield return Frank("gebeurtenis-frank-vso", new Fields(EventCodes.Types.Schoolwissel, Ago(150),
            "Leo gaat van het SBO naar het voortgezet speciaal onderwijs; kennismaking met zijn mentor.", Regeling: "onderwijs", Instantie: "school"));
        yield return Frank("gebeurtenis-frank-logeren", new Fields(EventCodes.Types.Aanvraag, Ago(125),
            "Logeren op de zorgboerderij, een weekend per maand.", Regeling: "wlz", Instantie: "zorgkantoor",
            Status: EventCodes.Status.Afgerond, Outcome: "toegekend"));
        yield return Frank("gebeurtenis-frank-werk-karin", new Fields(EventCodes.Types.WerkBehouden, Ago(100),
            "Karin bespreekt het plan met haar werkgever en blijft 32 uur werken."));
        yield return Frank("gebeurtenis-frank-beschut-werk", new Fields(EventCodes.Types.Aanvraag, Ago(45),
            "Advies beschut werk voor Leo vanaf zijn 18e, na de stage op een beschutte werkplek.", Regeling: "participatiewet", Instantie: "uwv",
            Status: EventCodes.Status.InBehandeling, Deadline: Ahead(11), DeadlineKind: "beslistermijn"));
        yield return Frank("gebeurtenis-frank-wajong", new Fields(EventCodes.Types.Aanvraag, Ago(20),
            "Wajong aangevraagd voor als beschut werk voor Leo niet haalbaar blijkt.", Regeling: "wajong", Instantie: "uwv",
            Status: EventCodes.Status.Ingediend, Deadline: Ahead(36), DeadlineKind: "beslistermijn"));
        yield return Frank("gebeurtenis-frank-mentorschap", new Fields(EventCodes.Types.Aanvraag, Ago(9),
            "Verzoek mentorschap voor Leo, zodat Karin en Ruben na zijn 18e mee blijven beslissen.", Regeling: "overig", Instantie: "rechtbank",
            Status: EventCodes.Status.Ingediend, Deadline: Ahead(80), DeadlineKind: "beslistermijn"));

        // 5. De Wit (l.2649–3264): bondgenoot Ilse; the ceiling lift procedure.
        Basic DeWit(string id, Fields f) => New("dewit-kim", "Practitioner/bondgenoot-ilse", "Ilse (bondgenoot)", f, id);
        yield return DeWit("gebeurtenis-dewit-aanvraag-lift", new Fields(EventCodes.Types.Aanvraag, Ago(110),
            "Aanvraag plafondlift voor Kim (tillen lukt niet meer veilig).", Regeling: "wmo", Instantie: "gemeente",
            Status: EventCodes.Status.Besluit, Outcome: "afgewezen"));
        yield return DeWit("gebeurtenis-dewit-besluit-lift", new Fields(EventCodes.Types.Besluit, Ago(52),
            "Besluit van de gemeente: plafondlift afgewezen; een tillift op wielen zou volstaan.", Regeling: "wmo", Instantie: "gemeente"));
        yield return DeWit("gebeurtenis-dewit-opname", new Fields(EventCodes.Types.Ziekenhuisopname, Ago(40),
            "Kim drie dagen opgenomen na een lange epileptische aanval.", Instantie: "ziekenhuis"));
        yield return DeWit("gebeurtenis-dewit-bezwaar-lift", new Fields(EventCodes.Types.Bezwaar, Ago(30),
            "Bezwaar tegen de afwijzing van de plafondlift, met de brief van de ergotherapeut.", Regeling: "wmo", Instantie: "gemeente",
            Status: EventCodes.Status.InBehandeling, Deadline: Ahead(12), DeadlineKind: "beslistermijn",
            Contests: "Basic/gebeurtenis-dewit-besluit-lift"));
        yield return DeWit("gebeurtenis-dewit-contact-wmo", new Fields(EventCodes.Types.ContactInstantie, Ago(8),
            "Gebeld met de Wmo-consulent: de hoorzitting over het bezwaar wordt gepland.", Regeling: "wmo", Instantie: "gemeente"));

        // 6. Van Assen (l.3265–3545): bondgenoot Elise; waakvlam since 45 days, so nothing after that suggests scaling up.
        Basic VanAssen(string id, Fields f) => New("vanassen-luc", "Practitioner/bondgenoot-elise", "Elise (bondgenoot)", f, id);
        yield return VanAssen("gebeurtenis-vanassen-opname", new Fields(EventCodes.Types.Ziekenhuisopname, Ago(124),
            "Luc is gevallen en heeft zijn bekken gebroken; opgenomen in het ziekenhuis.", Instantie: "ziekenhuis"));
        yield return VanAssen("gebeurtenis-vanassen-ontslaggesprek", new Fields(EventCodes.Types.ContactInstantie, Ago(121),
            "Ontslaggesprek met Luc, Paula en de verpleegkundige: revalideren thuis in plaats van in een verpleeghuis.", Instantie: "ziekenhuis"));
        yield return VanAssen("gebeurtenis-vanassen-thuiszorg", new Fields(EventCodes.Types.Aanvraag, Ago(119),
            "Thuiszorg dagelijks en hulp bij het huishouden (3 uur persoonlijke verzorging, 2 uur huishouden per week).", Regeling: "wmo", Instantie: "gemeente",
            Status: EventCodes.Status.Afgerond, Outcome: "toegekend"));
        yield return VanAssen("gebeurtenis-vanassen-fysio", new Fields(EventCodes.Types.Aanvraag, Ago(117),
            "Fysiotherapie aan huis tijdens de revalidatie.", Regeling: "zvw", Instantie: "zorgverzekeraar",
            Status: EventCodes.Status.Afgerond, Outcome: "toegekend"));
        yield return VanAssen("gebeurtenis-vanassen-winkel", new Fields(EventCodes.Types.WerkBehouden, Ago(82),
            "Luc werkt weer twee dagen per week in de kringloopwinkel."));
    }
}
