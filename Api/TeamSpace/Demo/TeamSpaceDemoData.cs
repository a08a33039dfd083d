using Pgo.Api.TeamSpace.Articles;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Signalling;
using Pgo.Api.TeamSpace.Teams;

namespace Pgo.Api.TeamSpace.Demo;

/// <summary>
/// The demo teams "Copiloten Noord" and (issue 19) "Copiloten Zuid": the demo bondgenoten and their coach (member keys are the fhirUser values of
/// Identity/Demo/DemoAccounts.cs), six channels, threads with Dutch content, bottlenecks and three kennisbank
/// articles. Loaded once: when the team exists nothing happens. Everything goes through the same services as
/// the API, de-identification guard included: demo text that names a caseload client fails the load.
/// </summary>
public sealed class TeamSpaceDemoData(TeamDirectory directory, TeamSpaceAuthorization authorization, PostService posts, ArticleService articles, SignalService signals, ILogger<TeamSpaceDemoData> logger)
{
    public const string TeamSlug = "copiloten-noord";

    /// <summary>(handle, member key = fhirUser, display name as in DemoAccounts, team role)</summary>
    public static readonly IReadOnlyList<(string Handle, string Key, string Name, string Role)> Members =
    [
        ("marieke", "Person/coach-smit", "Marieke Smit (coach)", TeamRoles.Coach),
        ("ricardo", "Person/bondgenoot-ricardo", "Ricardo (bondgenoot)", TeamRoles.Supporter),
        ("khadija", "Person/bondgenoot-khadija", "Khadija (bondgenoot)", TeamRoles.Supporter),
        ("sven", "Person/bondgenoot-sven", "Sven (bondgenoot)", TeamRoles.Supporter),
        ("hans", "Person/bondgenoot-hans", "Hans (bondgenoot)", TeamRoles.Supporter),
        ("ilse", "Person/bondgenoot-ilse", "Ilse (bondgenoot)", TeamRoles.Supporter),
        ("elise", "Person/bondgenoot-elise", "Elise (bondgenoot)", TeamRoles.Supporter),
    ];

    private static readonly (string Slug, string Name, string Description)[] Channels =
    [
        ("aanvragen-wlz", "Aanvragen Wlz", "Wlz-indicatie bij het CIZ, meerzorg en het zorgkantoor."),
        ("pgb-en-svb", "PGB en SVB", "Persoonsgebonden budget, zorgcontracten en uitbetaling door de SVB."),
        ("hulpmiddelen", "Hulpmiddelen", "Tilliften, rolstoelen, aanpassingen: wie betaalt wat en hoe vraag je het aan."),
        ("juridisch", "Juridisch", "Bezwaar, beroep, mentorschap, curatele en bewind."),
        ("intervisie", "Intervisie", "Casussen bespreken met elkaar, altijd zonder herleidbare gegevens."),
        ("wonen", "Wonen", "Woonplekken, logeren, aanpassingen in huis."),
    ];

    /// <summary>The second demo team (issue 19): a knelpunt about the same theme and instantie as Noord's, so the programme
    /// shows one bundle from two teams.</summary>
    public const string ZuidSlug = "copiloten-zuid";

    public static readonly IReadOnlyList<(string Handle, string Key, string Name, string Role)> ZuidMembers =
    [
        ("joost", "Person/coach-verbeek", "Joost Verbeek (coach)", TeamRoles.Coach),
        ("noor", "Person/copiloot-noor", "Noor (copiloot)", TeamRoles.Supporter),
    ];

    /// <summary>The landelijk coördinator of the demo (Identity's coordinator@programma.example has no FHIR Person, so no fhirUser key).</summary>
    private static readonly TeamCaller Coordinator = new("sub:demo-coordinator", "demo-coordinator", "Femke Jansen (landelijk coördinator)", ["coordinator"]);

    public async Task LoadAsync(CancellationToken ct)
    {
        await LoadNoordAsync(ct);
        // Each team on its own: an installation that has Noord from before gets Zuid once.
        await LoadZuidAsync(ct);
    }

    private async Task LoadNoordAsync(CancellationToken ct)
    {
        if (await directory.TeamBySlugAsync(TeamSlug, ct) is not null) return;

        var coach = Caller("marieke");
        var team = await directory.CreateTeamAsync(TeamSlug, "Copiloten Noord",
            "Het leernetwerk van de bondgenoten en copiloten in Noord-Nederland: vragen, tips en kennis, zonder herleidbare gegevens.",
            coach, "marieke", ct);
        foreach (var m in Members.Skip(1)) await directory.AddMemberAsync(team.Id, m.Key, m.Handle, m.Name, m.Role, ct);
        var channel = new Dictionary<string, long>();
        foreach (var (slug, name, description) in Channels)
            channel[slug] = (await directory.CreateChannelAsync(team.Id, slug, name, description, ct)).Id;

        // Kennisbank first: the posts below point to it.
        await Article(team.Id, "elise", new WriteArticleRequest("Bezwaar maken tegen een Wmo-besluit", BezwaarWmo, "Wmo",
            ["bezwaar", "wmo", "gemeente", "juridisch"], "bezwaar-wmo-besluit"), ct);
        await Article(team.Id, "ilse", new WriteArticleRequest("Meerzorg aanvragen", Meerzorg, "Wlz",
            ["meerzorg", "wlz", "zorgkantoor"], "meerzorg-aanvragen"), ct);
        await Article(team.Id, "sven", new WriteArticleRequest("Checklist: je kind wordt 18", Checklist18, "Levensloop",
            ["18-jaar", "mentorschap", "curatele", "bewind", "wlz"], "checklist-18-jaar"), ct);
        await Article(team.Id, "ricardo", new WriteArticleRequest("Meerzorg aanvragen", Meerzorg.Replace(
            "- Ouders onderschatten de uren die ze zelf 's nachts maken: tel ze mee.",
            "- Ouders onderschatten de uren die ze zelf 's nachts maken: tel ze mee.\n- Een week met een ziekenhuisopname is geen gewone week: noteer die apart."),
            "Wlz", ["meerzorg", "wlz", "zorgkantoor"], Note: "Tip over weken met een opname toegevoegd", BaseVersion: 1), ct, slug: "meerzorg-aanvragen");
        await articles.ReviewAsync(await Access(team.Id, "marieke", ct), "bezwaar-wmo-besluit", ct);
        await articles.ReviewAsync(await Access(team.Id, "marieke", ct), "checklist-18-jaar", ct);

        var welcome = await Post(team.Id, channel["aanvragen-wlz"], "marieke",
            "Welkom in **Aanvragen Wlz**. Bespreek casussen zonder namen, BSN, adressen of andere herleidbare gegevens: de teamruimte waarschuwt je als er iets in staat. "
            + "Wat blijvend nuttig is, zetten we in de kennisbank (zie *Meerzorg aanvragen* en *Checklist: je kind wordt 18*).", ct);
        await posts.PinAsync(await Access(team.Id, "marieke", ct), welcome, pin: true, ct);

        var meerzorg = await Post(team.Id, channel["aanvragen-wlz"], "ilse",
            "Wie heeft recent **meerzorg** aangevraagd? Bij een meisje van 11 met ZEVMB (sondevoeding, ernstige epilepsie) is de zorg 's nachts zo intensief "
            + "dat het budget van het zorgprofiel niet meer toereikend is. Het zorgkantoor vraagt om een zorgplan met de extra uren per dag. Hoe hebben jullie die uren onderbouwd? #meerzorg #wlz", ct);
        await Reply(team.Id, meerzorg, "ricardo",
            "Wij hebben twee weken een zorgdagboek laten bijhouden, per dagdeel, ook 's nachts. Daarmee kon de arts de aanvraag onderbouwen. "
            + "Het zorgkantoor vroeg daarnaast om een verklaring van de behandelaar. Zie het kennisbankartikel *Meerzorg aanvragen*.", ct);
        await Reply(team.Id, meerzorg, "marieke",
            "@ilse let op: bij zorg in natura loopt de aanvraag via de zorgaanbieder, bij een pgb dient de budgethouder hem zelf in. "
            + "Vraag het zorgkantoor om een gesprek thuis; dat scheelt vaak een ronde.", ct);
        await React(team.Id, meerzorg, "ilse", "👍", ct);
        await React(team.Id, meerzorg, "hans", "🙏", ct);

        var ciz = await Post(team.Id, channel["aanvragen-wlz"], "elise",
            "Wij wachten al tien weken op een besluit van het CIZ over een Wlz-indicatie voor een volwassene met NAH. Herkennen jullie zulke doorlooptijden? #ciz", ct);
        await Signal(team.Id, ciz, "elise", "ciz", "wlz-indicatie", 1, "Lange doorlooptijd wlz-indicatie: tien weken zonder besluit van het CIZ.", ct);
        var cizReply = await Reply(team.Id, ciz, "khadija",
            "Ook bij ons bijna drie maanden. Het CIZ mag de beslistermijn verlengen, maar moet dat wel laten weten. Vraag schriftelijk naar de reden en de nieuwe datum.", ct);
        await Signal(team.Id, cizReply, "khadija", "ciz", "wlz-indicatie", 1, "Bijna drie maanden wachten op een besluit over een Wlz-indicatie, zonder bericht over verlenging.", ct);

        var svb = await Post(team.Id, channel["pgb-en-svb"], "khadija",
            "De SVB betaalt de zorgverleners van een gezin al twee maanden te laat uit. Het zorgcontract was goedgekeurd, maar de wijziging van het aantal uren is blijven hangen. Herkent iemand dit? #svb #pgb", ct);
        await Signal(team.Id, svb, "khadija", "svb", "pgb", 1, "Late uitbetaling pgb: een goedgekeurde wijziging van het aantal uren blijft bij de SVB hangen.", ct);
        var svbReply = await Reply(team.Id, svb, "hans",
            "Ja, precies hetzelfde bij een gezin dat ik begeleid. De SVB noemde het wijzigingsformulier 'in behandeling'. Een terugbelverzoek van een behandelaar hielp uiteindelijk.", ct);
        await Signal(team.Id, svbReply, "hans", "svb", "pgb", 2, "Late uitbetaling pgb na een wijzigingsformulier dat maanden in behandeling blijft.", ct);
        await Reply(team.Id, svb, "marieke",
            "Dank jullie. Ik bundel dit voor het overleg met de SVB. Markeer zulke berichten als knelpunt, dan zie ik ze terug in het overzicht.", ct);

        var lift = await Post(team.Id, channel["hulpmiddelen"], "ilse",
            "Een plafondlift werd door de gemeente afgewezen met verwijzing naar de Wlz. Het zorgkantoor verwijst weer naar de gemeente. Wie heeft dit eerder opgelost? #hulpmiddelen #wmo", ct);
        await Signal(team.Id, lift, "ilse", "gemeente", "hulpmiddelen", 1, "Gemeente en zorgkantoor verwijzen voor een plafondlift naar elkaar (Wmo of Wlz).", ct);
        await Reply(team.Id, lift, "ricardo",
            "Dit zien we vaker. Bij wonen thuis met een Wlz-indicatie horen woningaanpassingen bij de Wmo; roerende hulpmiddelen soms bij het zorgkantoor. "
            + "Vraag beide om een schriftelijk besluit, dan kun je bezwaar maken.", ct);

        var bezwaar = await Post(team.Id, channel["juridisch"], "elise",
            "Een gemeente wees een traplift af omdat de cliënt 'ook beneden kan slapen'. Binnen welke termijn moet het bezwaarschrift binnen zijn, en kan ik eerst pro forma bezwaar maken? #bezwaar #wmo", ct);
        await Signal(team.Id, bezwaar, "elise", "gemeente", "wmo", 1, "Afwijzing van een woningaanpassing (traplift) door de gemeente.", ct);
        await Reply(team.Id, bezwaar, "sven",
            "Zes weken na de verzenddatum van het besluit. Pro forma mag: stuur binnen de termijn een kort bezwaar en vraag om tijd om de gronden aan te vullen. Vraag meteen om een hoorzitting.", ct);

        var wonen = await Post(team.Id, channel["wonen"], "sven",
            "Na vier afgewezen plaatsingen is er nu een woonplek in beeld voor een jongeman met ernstige gedragsproblemen. Tip: we deelden het plan uit het dossier vooraf met de nieuwe aanbieder, "
            + "met toestemming van de ouders. Het kennismakingsgesprek ging daardoor over de toekomst in plaats van over het verleden.", ct);
        await React(team.Id, wonen, "elise", "💡", ct);
        await React(team.Id, wonen, "marieke", "❤️", ct);

        var intervisie = await Post(team.Id, channel["intervisie"], "hans",
            "Intervisie volgende week: twee ouders in twee huishoudens die allebei regiehouder zijn. Hoe blijf je onafhankelijk als ze het oneens zijn? "
            + "Neem een eigen voorbeeld mee, zonder herleidbare gegevens. @marieke wil jij de gespreksleiding doen?", ct);
        await Reply(team.Id, intervisie, "marieke", "@hans ja, graag. We gebruiken de incidentmethode.", ct);

        logger.LogInformation("Team space demo data: team {Team} loaded", TeamSlug);
    }

    private async Task LoadZuidAsync(CancellationToken ct)
    {
        if (await directory.TeamBySlugAsync(ZuidSlug, ct) is not null) return;

        var team = await directory.CreateTeamAsync(ZuidSlug, "Copiloten Zuid",
            "De copiloten in Zuid-Nederland en hun coach: vragen, tips en knelpunten, zonder herleidbare gegevens.",
            Caller("joost"), "joost", ct);
        foreach (var m in ZuidMembers.Skip(1)) await directory.AddMemberAsync(team.Id, m.Key, m.Handle, m.Name, m.Role, ct);
        var channel = new Dictionary<string, long>();
        foreach (var (slug, name, description) in new[]
        {
            ("algemeen", "Algemeen", "Alles wat niet in een ander kanaal past."),
            ("pgb-en-svb", "PGB en SVB", "Persoonsgebonden budget, zorgcontracten en uitbetaling door de SVB."),
            ("onderwijs", "Onderwijs", "Leerplicht, passend onderwijs, thuiszitters en het samenwerkingsverband."),
        })
            channel[slug] = (await directory.CreateChannelAsync(team.Id, slug, name, description, ct)).Id;

        var welcome = await Post(team.Id, channel["algemeen"], "joost",
            "Welkom bij **Copiloten Zuid**. Bespreek casussen zonder namen of andere herleidbare gegevens. Loop je tegen iets aan dat vaker voorkomt? "
            + "Markeer het bericht als knelpunt: de landelijk coördinator bundelt de knelpunten van alle teams en kaart ze aan.", ct);
        await posts.PinAsync(await Access(team.Id, "joost", ct), welcome, pin: true, ct);

        var svb = await Post(team.Id, channel["pgb-en-svb"], "noor",
            "Drie gezinnen die ik begeleid wachten al zes weken op uitbetaling door de SVB, steeds na een wijziging in het zorgcontract. "
            + "Zorgverleners dreigen te stoppen. Herkennen jullie dit? #pgb #svb", ct);
        await Signal(team.Id, svb, "noor", "svb", "pgb", 3, "Late uitbetaling pgb na een wijziging in het zorgcontract: zorgverleners dreigen te stoppen.", ct);
        await Reply(team.Id, svb, "joost",
            "Herkenbaar: in Noord speelt precies hetzelfde. Dank voor het markeren, zo telt het mee in het landelijke overzicht.", ct);

        var school = await Post(team.Id, channel["onderwijs"], "noor",
            "Een leerling met een ernstige meervoudige beperking zit al vier maanden thuis: er is geen passende plek en het samenwerkingsverband reageert traag. "
            + "Wie heeft ervaring met een thuiszittersoverleg? #onderwijs", ct);
        await Signal(team.Id, school, "noor", "school", "onderwijs", 1, "Thuiszitter zonder passende plek; het samenwerkingsverband reageert traag.", ct);

        var logeren = await Post(team.Id, channel["algemeen"], "joost",
            "Logeeropvang voor tieners met een Wlz-indicatie: het zorgkantoor kent in de regio geen aanbieder met plek. Twee gezinnen zoeken al maanden. #wonen", ct);
        await Signal(team.Id, logeren, "joost", "zorgkantoor", "zorgplek", 2, "Geen logeeropvang voor tieners met een Wlz-indicatie in de regio.", ct);

        // The coördinator has taken one bundle further (Noord's CIZ knelpunten): aangekaart, with what came of it.
        var ciz = (await signals.BundlesAsync(Coordinator, null, "wlz-indicatie", "ciz", ct)).Value?.FirstOrDefault();
        if (ciz is not null)
            Check(await signals.UpdateAsync(Coordinator, ciz.Id, new Pgo.Shared.Contracts.SignalBundleUpdate("aangekaart", "CIZ, regionaal overleg",
                "Het CIZ laat voortaan schriftelijk weten wanneer en waarom het de beslistermijn verlengt."), ct));

        logger.LogInformation("Team space demo data: team {Team} loaded", ZuidSlug);
    }

    private static TeamCaller Caller(string handle)
    {
        var m = Members.Concat(ZuidMembers).Single(x => x.Handle == handle);
        return new TeamCaller(m.Key, "demo-" + handle, m.Name, ["supporter"]);
    }

    private Task<TeamAccess> Access(long teamId, string handle, CancellationToken ct) => authorization.AccessAsync(Caller(handle), teamId, ct);

    private async Task<long> Post(long teamId, long channelId, string handle, string body, CancellationToken ct) =>
        Check(await posts.CreateAsync(await Access(teamId, handle, ct), channelId, null, new WritePostRequest(body), ct)).Id;

    private async Task<long> Reply(long teamId, long postId, string handle, string body, CancellationToken ct) =>
        Check(await posts.CreateAsync(await Access(teamId, handle, ct), 0, postId, new WritePostRequest(body), ct)).Id;

    private async Task React(long teamId, long postId, string handle, string emoji, CancellationToken ct) =>
        Check(await posts.ReactAsync(await Access(teamId, handle, ct), postId, emoji, add: true, ct));

    private async Task Signal(long teamId, long postId, string handle, string instantie, string theme, int families, string summary, CancellationToken ct) =>
        Check(await signals.MarkAsync(await Access(teamId, handle, ct), postId, new Pgo.Shared.Contracts.SignalRequest(instantie, theme, families, summary), ct));

    private async Task Article(long teamId, string handle, WriteArticleRequest request, CancellationToken ct, string? slug = null)
    {
        var access = await Access(teamId, handle, ct);
        Check(slug is null ? await articles.CreateAsync(access, request, ct) : await articles.EditAsync(access, slug, request, ct));
    }

    private static T Check<T>(Outcome<T> outcome) =>
        outcome.Error is { } e
            ? throw new InvalidOperationException($"Team space demo data refused: {e.Title}: {e.Detail} {System.Text.Json.JsonSerializer.Serialize(e.Extensions)}")
            : outcome.Value!;

    private const string BezwaarWmo = """
        Een gemeente beslist op een Wmo-aanvraag met een **beschikking**. Is het gezin het er niet mee eens, dan kan het bezwaar maken (Algemene wet bestuursrecht).

        ## Termijn
        - Het bezwaarschrift moet **binnen zes weken** na de dag waarop het besluit is verzonden bij de gemeente binnen zijn.
        - Te laat? Alleen met een goede reden (verschoonbare termijnoverschrijding). Noteer de verzenddatum meteen.
        - Geen tijd voor een volledig bezwaar? Stuur een **pro-formabezwaar** en vraag om een termijn om de gronden aan te vullen.

        ## Wat erin staat
        - Naam en adres van de indiener, datum en handtekening.
        - Welk besluit (datum, kenmerk); voeg een kopie toe.
        - **Waarom** het gezin het er niet mee eens is: welke beperking is gemist, welke feiten kloppen niet, wat is niet meegewogen.
        - Zo nodig een verzoek om een **voorlopige voorziening** bij de rechter, als wachten niet kan.

        ## Daarna
        1. De gemeente stuurt een ontvangstbevestiging.
        2. **Hoorzitting**: het gezin licht het bezwaar mondeling toe, vaak bij een onafhankelijke bezwaarcommissie. De ondersteuner mag mee. Bereid voor: wat wil het gezin bereiken, welke stukken ondersteunen dat?
        3. De gemeente beslist binnen **twaalf weken** na afloop van de bezwaartermijn als er een commissie is (anders zes weken); verdagen met zes weken kan.
        4. Niet eens met de beslissing op bezwaar? **Beroep** bij de rechtbank binnen zes weken, daarna hoger beroep bij de Centrale Raad van Beroep.

        ## Tips
        - Vraag na een afwijzing eerst een **gesprek** met de consulent: soms lost een aangepast besluit het op.
        - Vraag het **verslag van het keukentafelgesprek** op; daarop rust de afwijzing meestal.
        - Het juridisch loket helpt gratis met de eerste stappen.

        Bij het zorgkantoor (bijvoorbeeld over meerzorg) werkt bezwaar op dezelfde manier.
        """;

    private const string Meerzorg = """
        **Meerzorg** is extra Wlz-budget bovenop het zorgprofiel, voor wie aantoonbaar veel meer zorg nodig heeft dan het profiel dekt: bijvoorbeeld door sondevoeding, ernstige epilepsie of zorg in de nacht.

        ## Voorwaarden in het kort
        - Een Wlz-indicatie met een zorgprofiel in de gehandicaptenzorg waarvoor meerzorg bestaat.
        - Aantoonbaar veel meer zorg dan het budget van het profiel; het zorgkantoor hanteert een minimum. Check de actuele regeling.
        - De zorgvraag is blijvend, niet een paar weken.

        ## Zo pak je het aan
        1. Laat het gezin of de zorgaanbieder **twee weken een zorgdagboek** bijhouden: per dagdeel welke zorg, hoe lang, door wie, ook 's nachts.
        2. Vraag de behandelaar (AVG-arts, kinderarts, neuroloog) om een **onderbouwing** van de medische noodzaak.
        3. Bij zorg in natura dient de **zorgaanbieder** de aanvraag in; bij een **pgb** doet de budgethouder dat zelf bij het **zorgkantoor**.
        4. Vraag het zorgkantoor om een **gesprek thuis**: de zorg zien werkt beter dan erover lezen.
        5. Meerzorg wordt voor een periode toegekend; zet de **herbeoordeling** op tijd in de agenda.

        ## Valkuilen
        - Ouders onderschatten de uren die ze zelf 's nachts maken: tel ze mee.
        - Gebruikelijke zorg (wat elke ouder doet) telt niet mee; maak het verschil expliciet.
        - Bewaar het besluit in het dossier van het gezin, niet in de teamruimte.

        Bij een afwijzing: bezwaar binnen **zes weken**; de werkwijze staat in [[bezwaar-wmo-besluit]].
        """;

    private const string Checklist18 = """
        Op de 18e verjaardag verandert er juridisch veel, ook als de zorg hetzelfde blijft. Begin **een half jaar van tevoren**.

        ## Vertegenwoordiging
        - Ouders zijn na de 18e verjaardag niet meer vanzelf wettelijk vertegenwoordiger. Bespreek of **mentorschap**, **bewind** of **curatele** nodig is.
        - Mentorschap gaat over persoonlijke zaken (zorg, wonen, behandeling), bewind over geld en goederen, curatele over beide. Kies de lichtste maatregel die past.
        - Het verzoek gaat naar de **kantonrechter van de rechtbank** waar de jongere woont. Het kan al vanaf 17 jaar, zodat de maatregel op de 18e verjaardag ingaat.
        - Beide ouders kunnen samen mentor of bewindvoerder worden.

        ## Zorg
        - Een **Wlz-indicatie blijft** na de 18e verjaardag gewoon geldig; het CIZ hoeft niet opnieuw te indiceren.
        - Zorg via de Jeugdwet stopt op 18: vraag op tijd een **Wmo-voorziening** aan bij de gemeente.
        - Een **pgb** op naam van een ouder gaat over naar de jongere of diens vertegenwoordiger: budgethouderschap en zorgcontracten bij de SVB opnieuw regelen.

        ## Geld en verzekering
        - Vanaf 18 een **eigen zorgverzekering** met premie, en het eigen risico.
        - Zorgtoeslag aanvragen bij de Belastingdienst.
        - Kinderbijslag en de tegemoetkoming voor thuiswonende gehandicapte kinderen stoppen; kijk naar **Wajong** (UWV) of de Participatiewet.

        ## Digitaal en administratie
        - **DigiD** aanvragen; ouders kunnen met DigiD Machtigen namens de jongere handelen.
        - Een eigen bankrekening (bij bewind beheerd door de bewindvoerder) en een identiteitsbewijs.

        Zie ook [[meerzorg-aanvragen]] en [[bezwaar-wmo-besluit]].
        """;
}
