using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Pgo.Api.Dossier;
using static Pgo.Fhir.Access.PgoCodes;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Pgo.Api.Demo;

/// <summary>
/// The content of the six demo dossiers (issue 5), after the family stories of seed 004: the network (CareTeam), the
/// plan (and a waakvlam-plan where support scales down), goals per life domain, agreements (some overdue, some due
/// soon), logbook notes (one with several versions), messages, appointments, the paspoort and measurements (0- and
/// 1-meting). Dates are relative to the day the demo is first loaded, so that "overdue" and "due soon" mean something.
/// Documents come with the files feature.
/// </summary>
public static partial class DemoDossiers
{
    public static IEnumerable<Resource> Content(DateTimeOffset now)
    {
        var d = new Dates(now);
        return Strikwerda(d).Concat(Bilic(d)).Concat(Sterk(d)).Concat(Frank(d)).Concat(DeWit(d)).Concat(VanAssen(d));
    }

    /// <summary>Later versions of logbook notes: each edit is a version (the loader writes them once, in order).</summary>
    public static IEnumerable<(string Id, string[] LaterTexts)> LogbookEdits() =>
    [
        ("dewit-logboek-logeren", [
            LogeerNoot + "\n\n**Aanvulling Ilona:** de tweede nacht ging beter, Kim heeft vijf uur achter elkaar geslapen.",
            LogeerNoot + "\n\n**Aanvulling Ilona:** de tweede nacht ging beter, Kim heeft vijf uur achter elkaar geslapen.\n\n" +
                "**Ilse:** ik vraag bij het zorgkantoor na of een derde logeernacht binnen de Wlz past.",
        ]),
    ];

    private const string LogeerNoot = "Eerste logeerweekend van Kim bij het KDC. Frank en Ilona hebben voor het eerst in maanden een hele nacht doorgeslapen.";

    // ---------------------------------------------------------------- the families

    private static IEnumerable<Resource> Strikwerda(Dates d)
    {
        const string p = "strikwerda-jesse";
        var tessa = Ref("RelatedPerson/strikwerda-tessa", "Tessa Strikwerda");
        var ricardo = Ref("Practitioner/bondgenoot-ricardo", "Ricardo (bondgenoot)");
        var casemanager = Ref("Practitioner/casemanager-dementie-bos", "Annelies Bos (casemanager dementie)");
        yield return Paspoort(p, "strikwerda-paspoort", d.Day(-200), """
            # Over Jesse
            - **Communicatie:** praat graag, maar verliest de draad bij meer dan één vraag tegelijk. Stel één vraag en wacht.
            - **Wat rust geeft:** vaste volgorde van de dag, koffie om tien uur, fietsen met Danny.
            - **Wat onrust geeft:** drukte in huis, onverwachte bezoekers, brieven van instanties.
            - **Dagritme:** staat om 7 uur op, dagbesteding di en do, middagrust na de lunch.
            - **Houdt van:** voetbal op de radio, zijn oude werkplaats, de hond.
            """);
        yield return Team(p, "strikwerda-netwerk", "Netwerk rond Jesse en het gezin Strikwerda",
            (tessa, "partner", null), (Ref("RelatedPerson/strikwerda-cheryl", "Cheryl Strikwerda"), "kind", null),
            (ricardo, "ondersteuner", "Bondgenoten"), (casemanager, "verpleging-thuiszorg", "Dementiezorg Noord"),
            (Ref(null, "Maria (OCO gemeente)"), "gemeente", "Gemeente Leeuwarden"), (Ref(null, "Psycholoog van Rowena"), "gedragsdeskundige", "GGZ Friesland"),
            (Ref(null, "Bewindvoerder"), "bewindvoerder", "Bewind Noord"));
        yield return Plan(p, "strikwerda-plan", "Gezinsplan Strikwerda", Intensity.Intensief, d.Day(-200),
            "Rust en overzicht in het gezin: dagbesteding voor Jesse, ruimte voor Tessa en steun voor de kinderen.",
            "strikwerda-netwerk", d.Day(-20), d.Day(70));
        var bewind = NewGoal(p, "strikwerda-doel-bewind", "financien-inkomen", "De schulden zijn onder vrijwillig bewind en er komen geen nieuwe bij",
            Goal.GoalLifecycleStatus.Active, "improving", d.Day(-180), d.Day(120),
            ("Ricardo", d.Day(-60), "Bewindvoerder is gestart; alle post van instanties gaat nu naar het bewindkantoor."));
        // Money is kept in the financien section (a label wins over the type), so the dementia case manager never sees it.
        bewind.Meta = new Meta { Security = [new Coding(Section.System, Section.Financien)] };
        yield return bewind;
        yield return NewGoal(p, "strikwerda-doel-cheryl", "mantelzorg-ontlasting", "Cheryl kan haar opleiding afmaken zonder de zorg voor haar vader te dragen",
            Goal.GoalLifecycleStatus.Active, "in-progress", d.Day(-150), null,
            ("Ricardo", d.Day(-30), "Cheryl heeft een gesprek gehad met de jonge-mantelzorgcoach van school."), concerns: Ref("RelatedPerson/strikwerda-cheryl", "Cheryl"));
        yield return Agreement(p, "strikwerda-afspraak-wmo", "Aanvraag dagbesteding (Wmo) indienen", ricardo, tessa, d.Day(-40), d.Day(-5), "strikwerda-doel-rust", "strikwerda-plan");
        yield return Agreement(p, "strikwerda-afspraak-school", "Gesprek met de mentor van Rowena over haar autisme-diagnose", tessa, ricardo, d.Day(-10), d.Day(3), null, "strikwerda-plan");
        var creditors = Agreement(p, "strikwerda-afspraak-bewind", "Overzicht van alle schuldeisers naar de bewindvoerder", tessa, ricardo, d.Day(-90), d.Day(-60), "strikwerda-doel-bewind", "strikwerda-plan",
            FhirTask.TaskStatus.Completed);
        creditors.Meta = new Meta { Security = [new Coding(Section.System, Section.Financien)] };
        yield return creditors;
        yield return Logbook(p, "strikwerda-logboek-dagbesteding", ricardo, d.Day(-12), """
            Bezoek bij de zorgboerderij met Jesse en Tessa. Jesse was **rustig** en wilde meteen bij de dieren kijken.
            Volgende stap: aanvraag Wmo (zie afspraak).
            """);
        yield return Logbook(p, "strikwerda-logboek-tessa", tessa, d.Day(-3), "Jesse sliep slecht na de brief van de belastingdienst. Brief doorgestuurd naar de bewindvoerder.");
        yield return Message(p, "strikwerda-bericht-1", tessa, [ricardo], d.Day(-4), "Brief belastingdienst", "Ricardo, er kwam weer een brief van de belastingdienst. Wat moet ik ermee?", null);
        yield return Message(p, "strikwerda-bericht-2", ricardo, [tessa], d.Day(-4, 2), null, "Stuur hem door naar het bewindkantoor, ik bel ze morgen even na.", "strikwerda-bericht-1");
        yield return Appointment(p, "strikwerda-evaluatie", "Evaluatie gezinsplan met Tessa, Ricardo en de casemanager", d.Day(9, 10), 90, [Ref("Patient/strikwerda-jesse", "Jesse"), tessa, ricardo, casemanager]);
        foreach (var r in Measurements(p, "strikwerda", ricardo, Ref("RelatedPerson/strikwerda-tessa", "Tessa"), d, [4, 5, 3, 3, 4, 4], [6, 5, 6, 5, 5, 6], [5, 5, 4, 3, 5], [4, 3, 3, 3, 4]))
            yield return r;
    }

    private static IEnumerable<Resource> Bilic(Dates d)
    {
        const string p = "bilic-atilla";
        var gulan = Ref("RelatedPerson/bilic-gulan", "Gulan Bilic");
        var ali = Ref("RelatedPerson/bilic-ali", "Ali Bilic");
        var khadija = Ref("Practitioner/bondgenoot-khadija", "Khadija (bondgenoot)");
        yield return Paspoort(p, "bilic-paspoort", d.Day(-150), """
            # Over Atilla
            - **Communicatie:** praat niet; lacht bij bekende stemmen en Koerdische liedjes. Ouders spreken Koerdisch (Kurmancî).
            - **Epilepsie:** aanvallen vooral 's nachts; noodmedicatie ligt in de keukenkast, protocol op de koelkast.
            - **Wat rust geeft:** muziek, schommelen, zijn broer Ibrahim.
            - **Pijnsignalen:** wordt stil en trekt zijn benen op.
            """);
        yield return Team(p, "bilic-netwerk", "Netwerk rond Atilla en het gezin Bilic",
            (gulan, "ouder", null), (ali, "ouder", null), (khadija, "ondersteuner", "Bondgenoten"),
            (Ref(null, "KDC De Regenboog"), "dagbesteding", "KDC De Regenboog"), (Ref(null, "Wmo-consulent gemeente Rotterdam"), "gemeente", "Gemeente Rotterdam"),
            (Ref(null, "PGB-thuiszorgteam"), "verpleging-thuiszorg", null));
        yield return Plan(p, "bilic-plan", "Ondersteuningsplan Atilla en gezin", Intensity.Intensief, d.Day(-150),
            "Een aangepast huis, nachtzorg zodat het gezin kan slapen, en één aanspreekpunt voor alle zorg. Khadija vertaalt en legt uit.",
            "bilic-netwerk", d.Day(-40), d.Day(50));
        yield return NewGoal(p, "bilic-doel-woning", "wonen", "Atilla slaapt op een aangepaste slaapkamer beneden in plaats van in de woonkamer",
            Goal.GoalLifecycleStatus.Active, "in-progress", d.Day(-140), d.Day(90),
            ("Khadija", d.Day(-20), "Ergotherapeut van de gemeente is geweest; aanbouw wordt onderzocht."));
        yield return NewGoal(p, "bilic-doel-nachtrust", "mantelzorg-ontlasting", "Gulan en de kinderen slapen weer door: nachtzorg voor Atilla is geregeld",
            Goal.GoalLifecycleStatus.Active, "worsening", d.Day(-140), d.Day(30),
            ("Khadija", d.Day(-7), "Nachtzorg via het PGB nog niet rond; de kinderen missen weer school door slaaptekort."), concerns: gulan);
        yield return Agreement(p, "bilic-afspraak-pgb", "Zorgplan voor de nachtzorg (PGB) bij het zorgkantoor indienen", khadija, gulan, d.Day(-30), d.Day(-2), "bilic-doel-nachtrust", "bilic-plan");
        yield return Agreement(p, "bilic-afspraak-tolk", "Tolk regelen voor het gesprek met de neuroloog", khadija, ali, d.Day(-5), d.Day(5), null, "bilic-plan");
        yield return Logbook(p, "bilic-logboek-huisbezoek", khadija, d.Day(-7), "Huisbezoek in het Koerdisch. Gulan is erg moe; Ibrahim doet veel nachten. Afgesproken: eerst de nachtzorg, dan de woning.");
        yield return Message(p, "bilic-bericht-1", khadija, [gulan, ali], d.Day(-6), "Nachtzorg", "Het zorgkantoor heeft het zorgplan ontvangen. Ik bel jullie vrijdag met nieuws.", null);
        yield return Appointment(p, "bilic-neuroloog", "Gesprek neuroloog over de nachtelijke aanvallen (met tolk)", d.Day(12, 14), 45, [Ref("Patient/bilic-atilla", "Atilla"), gulan, ali, khadija]);
        foreach (var r in Measurements(p, "bilic", khadija, gulan, d, [3, 4, 2, 2, 3, 3], [4, 4, 4, 3, 3, 4], [5, 5, 5, 4, 4], [5, 4, 5, 4, 3]))
            yield return r;
    }

    private static IEnumerable<Resource> Sterk(Dates d)
    {
        const string p = "sterk-johan";
        var loes = Ref("RelatedPerson/sterk-loes", "Loes Sterk");
        var wim = Ref("RelatedPerson/sterk-wim", "Wim Sterk");
        var sven = Ref("Practitioner/bondgenoot-sven", "Sven (bondgenoot)");
        yield return Paspoort(p, "sterk-paspoort", d.Day(-300), """
            # Over Johan
            - **Communicatie:** korte zinnen, pictogrammen voor de dagplanning. Zegt 'ja' ook als hij 'nee' bedoelt: kijk naar zijn handen.
            - **Wat onrust geeft:** wisselende begeleiders, harde geluiden, wachten zonder uitleg.
            - **Wat rust geeft:** vaste begeleider, wandelen met de hond, treinen kijken.
            - **Signalen voor escalatie:** gaat ijsberen en op zijn hand bijten; dan ruimte geven, niet aanraken.
            """);
        yield return Team(p, "sterk-netwerk", "Netwerk rond Johan",
            (loes, "ouder", null), (wim, "ouder", null), (sven, "ondersteuner", "Bondgenoten"),
            (Ref(null, "Woonbegeleider De Linde"), "woonbegeleiding", "Zorgaanbieder De Linde"), (Ref(null, "AVG-arts"), "arts", null),
            (Ref(null, "Zorgkantoor Midden-IJssel"), "zorgkantoor", "Zorgkantoor"));
        yield return Plan(p, "sterk-plan", "Ondersteuningsplan Johan: het plan dat met hem meegaat", Intensity.Afschalen, d.Day(-300),
            "Eén plan in het gedeelde dossier dat met Johan meegaat naar elke nieuwe aanbieder, zodat zijn ouders het niet opnieuw hoeven te vertellen.",
            "sterk-netwerk", d.Day(-30), d.Day(60));
        yield return new CarePlan
        {
            Id = "sterk-waakvlam",
            Status = RequestStatus.Draft,
            Intent = CarePlan.CarePlanIntent.Plan,
            Category = [new CodeableConcept(Intensity.System, Intensity.Waakvlam, Intensity.Display[Intensity.Waakvlam], null)],
            Title = "Waakvlam-plan Johan",
            Description = "Na het afschalen: Sven belt elke twee maanden met Loes en Wim. Opnieuw opschalen bij een crisis, een verhuizing of als de woonplek dreigt te stoppen.",
            Subject = Ref($"Patient/{p}", "Johan"),
            BasedOn = [Ref("CarePlan/sterk-plan", "Ondersteuningsplan Johan")],
            Period = new Period { Start = d.Date(60) },
        };
        yield return NewGoal(p, "sterk-doel-woonplek", "wonen", "Johan woont op een vaste plek waar hij kan blijven, met vaste begeleiders",
            Goal.GoalLifecycleStatus.Active, "improving", d.Day(-290), null,
            ("Sven", d.Day(-25), "Derde maand op De Linde zonder crisis. Het dossier is dit keer wel gelezen door het team."));
        yield return NewGoal(p, "sterk-doel-mentorschap", "zelfbepaling-regie", "Mentorschap van Loes en Wim is bij de rechter vastgelegd",
            Goal.GoalLifecycleStatus.Completed, "achieved", d.Day(-290), null, ("Sven", d.Day(-200), "Beschikking mentorschap ontvangen."));
        yield return NewGoal(p, "sterk-verwachting-broers", "gezinsleven", "Johan heeft contact met zijn broer en zus in het buitenland", Goal.GoalLifecycleStatus.Proposed, null, d.Day(-100), null, null,
            kind: GoalKind.Verwachting);
        yield return Agreement(p, "sterk-afspraak-overdracht", "Overdracht van het plan aan het nieuwe team van De Linde bespreken", sven, loes, d.Day(-20), d.Day(-1), "sterk-doel-woonplek", "sterk-plan");
        yield return Agreement(p, "sterk-afspraak-videobellen", "Videobellen met de broer van Johan uitproberen", wim, sven, d.Day(-3), d.Day(6), "sterk-verwachting-broers", "sterk-plan");
        yield return Logbook(p, "sterk-logboek-overdracht", sven, d.Day(-25), "Overleg met het team van De Linde. Ze hebben het paspoort en het plan **vooraf** gelezen; eerste keer dat dat gebeurt.");
        yield return Message(p, "sterk-bericht-1", loes, [sven], d.Day(-2), "Weekend", "Johan was dit weekend thuis en heel ontspannen. Dank voor alles!", null);
        yield return Appointment(p, "sterk-evaluatie", "Evaluatie en afschalen naar waakvlam", d.Day(20, 15), 60, [Ref("Patient/sterk-johan", "Johan"), loes, wim, sven]);
        foreach (var r in Measurements(p, "sterk", sven, loes, d, [3, 4, 4, 2, 3, 3], [6, 6, 6, 6, 4, 6], [4, 4, 3, 3, 4], [3, 2, 2, 2, 3]))
            yield return r;
    }

    private static IEnumerable<Resource> Frank(Dates d)
    {
        const string p = "frank-leo";
        var karin = Ref("RelatedPerson/frank-karin", "Karin Frank");
        var ruben = Ref("RelatedPerson/frank-ruben", "Ruben Frank");
        var hans = Ref("Practitioner/bondgenoot-hans", "Hans (bondgenoot)");
        yield return Paspoort(p, "frank-paspoort", d.Day(-180), """
            # Over Leo
            - **Communicatie:** zegt het liefst zelf wat hij wil; geef hem tijd en schrijf afspraken op.
            - **Wat onrust geeft:** plotselinge veranderingen, ruzie tussen zijn ouders.
            - **Houdt van:** gamen met Wesley, brommers, koken.
            - **Dagritme:** dagbesteding op de boerderij, week om week bij mama en papa.
            """);
        yield return Team(p, "frank-netwerk", "Netwerk rond Leo", (karin, "ouder", null), (ruben, "ouder", null), (hans, "ondersteuner", "Bondgenoten"),
            (Ref("RelatedPerson/frank-wesley", "Wesley Frank"), "broer-zus", null), (Ref(null, "Gedragsdeskundige Wlz-aanbieder"), "gedragsdeskundige", null));
        yield return Plan(p, "frank-plan", "Plan Leo: op weg naar 18", Intensity.Intensief, d.Day(-180),
            "Leo wordt binnenkort 18. Samen met beide ouders: mentorschap, woonwens en de overgang naar volwassenenzorg.", "frank-netwerk", d.Day(-15), d.Day(45));
        yield return NewGoal(p, "frank-doel-18", "zelfbepaling-regie", "De checklist 18 jaar is af: mentorschap aangevraagd, Wlz en zorgverzekering geregeld",
            Goal.GoalLifecycleStatus.Active, "in-progress", d.Day(-120), d.Day(60), ("Hans", d.Day(-10), "Verzoekschrift mentorschap is samen met Karin en Ruben ingevuld."));
        yield return NewGoal(p, "frank-doel-ouders", "gezinsleven", "Karin en Ruben stemmen afspraken over Leo samen af via het dossier",
            Goal.GoalLifecycleStatus.Active, "improving", d.Day(-170), null, ("Hans", d.Day(-40), "Sinds de mediation lezen beide ouders mee in het logboek."));
        yield return DemoTransition.AsChecklistItem(Agreement(p, "frank-afspraak-rechtbank", "Verzoekschrift mentorschap naar de rechtbank sturen", karin, hans, d.Day(-10), d.Day(4), "frank-doel-18", "frank-plan"), "rechtbank");
        yield return DemoTransition.AsChecklistItem(Agreement(p, "frank-afspraak-zorgverzekering", "Zorgverzekering voor Leo vanaf zijn 18e regelen", ruben, hans, d.Day(-10), d.Day(25), "frank-doel-18", "frank-plan"), "zorgverzekering");
        yield return Agreement(p, "frank-afspraak-wonen", "Bezoek aan twee woonvormen plannen", hans, karin, d.Day(-35), d.Day(-8), null, "frank-plan");
        yield return Logbook(p, "frank-logboek-overleg", hans, d.Day(-10), "Gesprek met Karin en Ruben samen. Goede sfeer. Leo wil later *samen met een vriend* wonen.");
        yield return Message(p, "frank-bericht-1", ruben, [karin, hans], d.Day(-1), "Weekend Leo", "Leo is dit weekend bij mij, ik neem hem zaterdag mee naar de brommerbeurs.", null);
        yield return Appointment(p, "frank-woonvorm", "Kennismaking woonvorm De Boomgaard", d.Day(16, 11), 60, [Ref("Patient/frank-leo", "Leo"), karin, hans]);
        foreach (var r in Measurements(p, "frank", hans, karin, d, [5, 6, 4, 5, 4, 5], [6, 6, 6, 6, 5, 6], [4, 3, 3, 4, 4], [3, 3, 3, 3, 3]))
            yield return r;
    }

    private static IEnumerable<Resource> DeWit(Dates d)
    {
        const string p = "dewit-kim";
        var ilona = Ref("RelatedPerson/dewit-ilona", "Ilona de Wit");
        var frank = Ref("RelatedPerson/dewit-frank", "Frank de Wit");
        var ilse = Ref("Practitioner/bondgenoot-ilse", "Ilse (bondgenoot)");
        yield return Paspoort(p, "dewit-paspoort", d.Day(-250), """
            # Over Kim
            - **Communicatie:** reageert op stem en aanraking; lacht als ze haar naam hoort. Huilen zonder tranen betekent pijn.
            - **Sondevoeding:** vijf keer per dag, schema in het dossier; nooit plat neerleggen na het voeden.
            - **Epilepsie:** vooral 's nachts; aanval langer dan 5 minuten: noodmedicatie en 112.
            - **Wat rust geeft:** de schommelstoel, muziek van K3, warm bad.
            """);
        yield return Team(p, "dewit-netwerk", "Netwerk rond Kim", (ilona, "ouder", null), (frank, "ouder", null), (Ref("RelatedPerson/dewit-lex", "Lex de Wit"), "broer-zus", null),
            (ilse, "ondersteuner", "Bondgenoten"), (Ref(null, "KDC De Vlinder"), "dagbesteding", "KDC De Vlinder"),
            (Ref(null, "Kinderarts Isala"), "arts", "Isala"), (Ref(null, "Wmo-consulent Zwolle"), "gemeente", "Gemeente Zwolle"));
        yield return Plan(p, "dewit-plan", "Gezinsplan De Wit", Intensity.Intensief, d.Day(-250),
            "Frank en Ilona houden hun werk vol: logeren uitbreiden, de tillift via bezwaar, en een plan voor Kim na haar 18e.", "dewit-netwerk", d.Day(-45), d.Day(40));
        yield return NewGoal(p, "dewit-doel-logeren", "mantelzorg-ontlasting", "Kim logeert twee nachten per week, zodat Frank en Ilona kunnen slapen",
            Goal.GoalLifecycleStatus.Active, "improving", d.Day(-240), d.Day(60), ("Ilse", d.Day(-14), "Tweede logeernacht is gestart."), concerns: ilona);
        yield return NewGoal(p, "dewit-doel-tillift", "mobiliteit", "Er komt een plafondtillift in Kims slaapkamer",
            Goal.GoalLifecycleStatus.Active, "no-progress", d.Day(-200), d.Day(30), ("Ilse", d.Day(-21), "Bezwaar tegen de afwijzing is ingediend; hoorzitting volgt."));
        yield return NewGoal(p, "dewit-doel-lex", "welzijn", "Lex heeft tijd voor zijn eigen vrienden en sport, en is niet de 'tweede vader'",
            Goal.GoalLifecycleStatus.Active, "in-progress", d.Day(-100), null, ("Ilse", d.Day(-30), "Lex praat nu eens per maand met de brusjes-groep."),
            concerns: Ref("RelatedPerson/dewit-lex", "Lex"));
        yield return Agreement(p, "dewit-afspraak-hoorzitting", "Hoorzitting bezwaar tillift voorbereiden (foto's en advies ergotherapeut)", ilse, ilona, d.Day(-21), d.Day(-3), "dewit-doel-tillift", "dewit-plan");
        yield return Agreement(p, "dewit-afspraak-wlz", "Navragen of een derde logeernacht binnen de Wlz past", ilse, ilona, d.Day(-2), d.Day(2), "dewit-doel-logeren", "dewit-plan");
        yield return Agreement(p, "dewit-afspraak-18", "Informatieavond 'na je 18e' van het KDC bijwonen", frank, ilse, d.Day(-2), d.Day(40), null, "dewit-plan");
        yield return Logbook(p, "dewit-logboek-logeren", ilona, d.Day(-14), LogeerNoot);
        yield return Logbook(p, "dewit-logboek-bezwaar", ilse, d.Day(-21), "Bezwaarschrift tillift verstuurd naar de gemeente. Kopie staat bij Documenten.");
        yield return Message(p, "dewit-bericht-1", ilse, [ilona, frank], d.Day(-3), "Hoorzitting", "De hoorzitting is over twee weken. Zullen we het samen voorbereiden?", null);
        yield return Message(p, "dewit-bericht-2", ilona, [ilse, frank], d.Day(-3, 3), null, "Graag! Donderdagavond na het eten?", "dewit-bericht-1");
        yield return Appointment(p, "dewit-hoorzitting", "Hoorzitting bezwaarcommissie gemeente Zwolle (tillift)", d.Day(14, 9), 60, [ilona, frank, ilse, Ref("Patient/dewit-kim", "Kim")]);
        yield return Appointment(p, "dewit-mdo", "MDO op het KDC", d.Day(6, 13), 90, [Ref("Patient/dewit-kim", "Kim"), ilona, ilse]);
        foreach (var r in Measurements(p, "dewit", ilse, ilona, d, [4, 5, 5, 3, 3, 4], [6, 5, 6, 5, 4, 5], [5, 5, 5, 4, 4], [4, 4, 3, 4, 4]))
            yield return r;
    }

    private static IEnumerable<Resource> VanAssen(Dates d)
    {
        const string p = "vanassen-luc";
        var luc = Ref("Patient/vanassen-luc", "Luc van Assen");
        var paula = Ref("RelatedPerson/vanassen-paula", "Paula van Assen");
        var elise = Ref("Practitioner/bondgenoot-elise", "Elise (bondgenoot)");
        yield return Paspoort(p, "vanassen-paspoort", d.Day(-120), """
            # Over mij (Luc)
            - Ik ben blind. Zeg wie je bent als je binnenkomt en verplaats niets in huis zonder het te zeggen.
            - Ik werk drie dagen in de kringloopwinkel; mijn collega's zijn mijn belangrijkste netwerk.
            - Ik beslis zelf. Paula helpt met afspraken, niet met mijn geld.
            """);
        yield return Team(p, "vanassen-netwerk", "Netwerk van Luc", (luc, "client", null), (paula, "broer-zus", null), (elise, "ondersteuner", "Bondgenoten"),
            (Ref(null, "Collega's kringloopwinkel"), "collega", "Kringloop Groningen"), (Ref(null, "Thuiszorg Stad"), "verpleging-thuiszorg", "Thuiszorg Stad"));
        yield return Plan(p, "vanassen-plan", "Mijn plan: thuis blijven wonen", Intensity.Afschalen, d.Day(-120),
            "Na de val: thuiszorg in plaats van een verpleeghuis, en weer terug naar het werk in de winkel.", "vanassen-netwerk", d.Day(-10), d.Day(80));
        yield return new CarePlan
        {
            Id = "vanassen-waakvlam",
            // Support scaled down to waakvlam 45 days ago (DemoIntensity): the waakvlam-plan runs since.
            Status = RequestStatus.Active,
            Intent = CarePlan.CarePlanIntent.Plan,
            Category = [new CodeableConcept(Intensity.System, Intensity.Waakvlam, Intensity.Display[Intensity.Waakvlam], null)],
            Title = "Waakvlam-plan Luc",
            Description = "Elise belt om de zes weken. Opnieuw opschalen na een val, bij ziekte of als het werk stopt.",
            Subject = Ref($"Patient/{p}", "Luc"),
            BasedOn = [Ref("CarePlan/vanassen-plan", "Mijn plan")],
            Period = new Period { Start = d.Date(-45) },
        };
        yield return NewGoal(p, "vanassen-doel-werk", "dagbesteding-werk", "Luc werkt weer drie dagen in de kringloopwinkel",
            Goal.GoalLifecycleStatus.Active, "improving", d.Day(-90), d.Day(30), ("Elise", d.Day(-9), "Twee dagen lukt weer; vervoer met de taxi is geregeld."));
        yield return Agreement(p, "vanassen-afspraak-taxi", "Wmo-taxi voor de derde werkdag aanvragen", elise, luc, d.Day(-9), d.Day(1), "vanassen-doel-werk", "vanassen-plan");
        yield return Agreement(p, "vanassen-afspraak-alarm", "Valalarm laten installeren", luc, elise, d.Day(-40), d.Day(-12), "vanassen-doel-thuis", "vanassen-plan");
        yield return Message(p, "vanassen-bericht-1", elise, [luc], d.Day(-2), "Taxi", "De aanvraag voor de taxi staat klaar. Zal ik hem voorlezen als ik donderdag kom?", null);
        yield return Appointment(p, "vanassen-winkel", "Gesprek met de leidinggevende van de kringloopwinkel", d.Day(8, 10), 30, [luc, elise]);
        foreach (var r in Measurements(p, "vanassen", elise, null, d, [4, 4, 6, 3, 5, 4], [6, 5, 7, 6, 6, 6], null, null))
            yield return r;
    }

    // ---------------------------------------------------------------- builders

    private sealed class Dates(DateTimeOffset now)
    {
        private readonly DateOnly _today = DateOnly.FromDateTime(now.UtcDateTime);

        /// <summary>A moment <paramref name="days"/> from today at <paramref name="hour"/> (Dutch time, winter).</summary>
        public DateTimeOffset Day(int days, int hour = 10) =>
            new DateTimeOffset(_today.AddDays(days).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(1));

        public string Date(int days) => _today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static ResourceReference Ref(string? reference, string display) => new() { Reference = reference, Display = display };

    private static string Instant(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string DateOf(DateTimeOffset t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DocumentReference Paspoort(string patient, string id, DateTimeOffset date, string markdown) =>
        Note(patient, id, Section.Profiel, Ref($"Patient/{patient}", "gezin"), date, markdown, "Paspoort: over mij");

    private static DocumentReference Logbook(string patient, string id, ResourceReference author, DateTimeOffset date, string markdown) =>
        Note(patient, id, Section.Logboek, author, date, markdown, null);

    private static DocumentReference Note(string patient, string id, string section, ResourceReference author, DateTimeOffset date, string markdown, string? title) => new()
    {
        Id = id,
        Status = DocumentReferenceStatus.Current,
        Subject = new ResourceReference($"Patient/{patient}"),
        Category = [new CodeableConcept(Section.System, section, Section.Display[section], null)],
        Date = date,
        Author = [author],
        Description = title ?? Excerpt(markdown),
        Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown; charset=utf-8", Data = Encoding.UTF8.GetBytes(markdown.Trim()) } }],
    };

    internal static DocumentReference WithText(DocumentReference note, string markdown)
    {
        note.Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown; charset=utf-8", Data = Encoding.UTF8.GetBytes(markdown.Trim()) } }];
        note.Description = Excerpt(markdown);
        return note;
    }

    private static string Excerpt(string text)
    {
        var t = text.Trim().ReplaceLineEndings(" ");
        return t.Length <= 80 ? t : t[..80] + "…";
    }

    private static CareTeam Team(string patient, string id, string name, params (ResourceReference Member, string Role, string? Organization)[] members) => new()
    {
        Id = id,
        Status = CareTeam.CareTeamStatus.Active,
        Name = name,
        Subject = new ResourceReference($"Patient/{patient}"),
        Participant = members.Select(m => new CareTeam.ParticipantComponent
        {
            Member = m.Member.Reference is null ? null : m.Member,
            Role = [new CodeableConcept(NetworkRole.System, m.Role, NetworkRole.Display[m.Role], m.Member.Reference is null ? m.Member.Display : null)],
            OnBehalfOf = m.Organization is null ? null : new ResourceReference { Display = m.Organization },
        }).ToList(),
    };

    private static CarePlan Plan(string patient, string id, string title, string intensity, DateTimeOffset start, string description, string careTeam,
        DateTimeOffset lastEvaluation, DateTimeOffset nextEvaluation)
    {
        var plan = new CarePlan
        {
            Id = id,
            Status = RequestStatus.Active,
            Intent = CarePlan.CarePlanIntent.Plan,
            Category = [new CodeableConcept(Intensity.System, intensity, Intensity.Display[intensity], null)],
            Title = title,
            Description = description,
            Subject = new ResourceReference($"Patient/{patient}"),
            Period = new Period { Start = DateOf(start) },
            Created = DateOf(start),
            CareTeam = [new ResourceReference($"CareTeam/{careTeam}")],
        };
        plan.AddExtension(DossierExtensions.EvaluationDate, new FhirDateTime(DateOf(lastEvaluation)));
        plan.AddExtension(DossierExtensions.EvaluationDate, new FhirDateTime(DateOf(nextEvaluation)));
        return plan;
    }

    private static Goal NewGoal(string patient, string id, string domain, string text, Goal.GoalLifecycleStatus status, string? achievement,
        DateTimeOffset start, DateTimeOffset? due, (string Author, DateTimeOffset When, string Text)? progress, ResourceReference? concerns = null, string kind = GoalKind.Doel)
    {
        var goal = new Goal
        {
            Id = id,
            LifecycleStatus = status,
            Category = [new CodeableConcept(LifeDomain.System, domain, LifeDomain.Display[domain], null), new CodeableConcept(GoalKind.System, kind)],
            Subject = new ResourceReference($"Patient/{patient}"),
            Description = new CodeableConcept { Text = text },
            Start = new Date(DateOf(start)),
            AchievementStatus = achievement is null ? null : new CodeableConcept("http://terminology.hl7.org/CodeSystem/goal-achievement", achievement),
            Target = due is { } t ? [new Goal.TargetComponent { Due = new Date(DateOf(t)) }] : [],
        };
        if (progress is { } pr) goal.Note.Add(new Annotation { Author = new FhirString(pr.Author), Time = Instant(pr.When), Text = new Markdown(pr.Text) });
        if (concerns is not null) goal.AddExtension(DossierExtensions.GoalConcerns, concerns);
        return goal;
    }

    private static FhirTask Agreement(string patient, string id, string text, ResourceReference owner, ResourceReference requester, DateTimeOffset start, DateTimeOffset due,
        string? goal, string plan, FhirTask.TaskStatus status = FhirTask.TaskStatus.Accepted) => new()
    {
        Id = id,
        Status = status,
        Intent = FhirTask.TaskIntent.Plan,
        Description = text,
        For = new ResourceReference($"Patient/{patient}"),
        Owner = owner,
        Requester = requester,
        AuthoredOn = Instant(start),
        BasedOn = [new ResourceReference($"CarePlan/{plan}")],
        Focus = goal is null ? null : new ResourceReference($"Goal/{goal}"),
        Restriction = new FhirTask.RestrictionComponent { Period = new Period { Start = DateOf(start), End = DateOf(due) } },
    };

    private static Communication Message(string patient, string id, ResourceReference sender, ResourceReference[] recipients, DateTimeOffset sent, string? topic, string text, string? inResponseTo) => new()
    {
        Id = id,
        Status = EventStatus.Completed,
        Subject = new ResourceReference($"Patient/{patient}"),
        Sender = sender,
        Recipient = recipients.ToList(),
        Sent = Instant(sent),
        Topic = topic is null ? null : new CodeableConcept { Text = topic },
        InResponseTo = inResponseTo is null ? [] : [new ResourceReference($"Communication/{inResponseTo}")],
        Payload = [new Communication.PayloadComponent { Content = new FhirString(text) }],
    };

    private static Appointment Appointment(string patient, string id, string description, DateTimeOffset start, int minutes, ResourceReference[] participants) => new()
    {
        Id = id,
        Status = Hl7.Fhir.Model.Appointment.AppointmentStatus.Booked,
        Description = description,
        Start = start,
        End = start.AddMinutes(minutes),
        Participant = participants.Select(p => new Hl7.Fhir.Model.Appointment.ParticipantComponent { Actor = p, Status = ParticipationStatus.Accepted }).ToList(),
    };

    /// <summary>The 0-meting (about five months ago) and 1-meting (last month) of the quality-of-life list, filled in by the
    /// family with the supporter as proxy at the 0-meting, and the naaste-burden list by <paramref name="naaste"/>.</summary>
    private static IEnumerable<QuestionnaireResponse> Measurements(string patient, string family, ResourceReference supporter, ResourceReference? naaste, Dates d,
        int[] qualityZero, int[] qualityOne, int[]? burdenZero, int[]? burdenOne)
    {
        var source = naaste ?? Ref($"Patient/{patient}", "cliënt");
        yield return Response(patient, $"{family}-kwaliteit-0", ProjectQuestionnaires.KwaliteitVanLeven, MeasurementMoment.Nul, d.Day(-150), source, supporter, proxy: true,
            ["rust", "gezondheid", "regie", "zorg-geregeld", "netwerk", "toekomst"], qualityZero.Select(v => (DataType)new Integer(v)));
        yield return Response(patient, $"{family}-kwaliteit-1", ProjectQuestionnaires.KwaliteitVanLeven, MeasurementMoment.Een, d.Day(-25), source, source, proxy: false,
            ["rust", "gezondheid", "regie", "zorg-geregeld", "netwerk", "toekomst"], qualityOne.Select(v => (DataType)new Integer(v)));
        if (naaste is null || burdenZero is null || burdenOne is null) yield break;
        string[] burden = ["overbelast", "geen-tijd", "slaap", "werk", "alleen"];
        yield return Response(patient, $"{family}-belasting-0", ProjectQuestionnaires.BelastingNaaste, MeasurementMoment.Nul, d.Day(-150), naaste, naaste, false, burden, burdenZero.Select(Likert));
        yield return Response(patient, $"{family}-belasting-1", ProjectQuestionnaires.BelastingNaaste, MeasurementMoment.Een, d.Day(-25), naaste, naaste, false, burden, burdenOne.Select(Likert));
    }

    private static DataType Likert(int v) => new Coding(Likert5.System, v.ToString(CultureInfo.InvariantCulture));

    private static QuestionnaireResponse Response(string patient, string id, string questionnaire, string moment, DateTimeOffset authored, ResourceReference source,
        ResourceReference author, bool proxy, string[] linkIds, IEnumerable<DataType> answers)
    {
        var response = new QuestionnaireResponse
        {
            Id = id,
            Questionnaire = ProjectQuestionnaires.Canonical(questionnaire),
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference($"Patient/{patient}"),
            Authored = Instant(authored),
            Author = author,
            Source = source,
            Item = linkIds.Zip(answers).Select(x => new QuestionnaireResponse.ItemComponent
            {
                LinkId = x.First,
                Answer = [new QuestionnaireResponse.AnswerComponent { Value = x.Second }],
            }).ToList(),
        };
        response.AddExtension(DossierExtensions.MeasurementMoment, new Coding(MeasurementMoment.System, moment, MeasurementMoment.Display[moment]));
        if (proxy) response.AddExtension(DossierExtensions.Proxy, new FhirBoolean(true));
        return response;
    }
}
