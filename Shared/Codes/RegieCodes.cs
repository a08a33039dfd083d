namespace Pgo.Shared.Codes;

/// <summary>
/// Regie over the years (issue 18; shared/DOMAIN.md section 3 rule 8; docs/adr/0003, "Regie over the years"): the bases
/// of legal representation, the choice made before the 18th birthday, what a represented client keeps, the checklist
/// "18 jaar" and the age steps. The Api's CodeSystems, its rules and the Portal's screens all read these lists.
/// </summary>
public static class RegieCodes
{
    /// <summary>Legal representation of an adult, recorded as a second coding on a Consent actor's role.</summary>
    public static class Representation
    {
        public const string System = CodeBase.Url + "/CodeSystem/legal-representation";
        /// <summary>Mentorschap (court): care and well-being; keeps regie after 18.</summary>
        public const string Mentor = "mentor";
        /// <summary>Curatele (court): everything; keeps regie after 18.</summary>
        public const string Curator = "curator";
        /// <summary>Beschermingsbewind (court): the finances only; gives section financien, never regie.</summary>
        public const string Bewind = "bewind";
        /// <summary>WGBO art. 7:465: partner, parent, child or sibling of an adult who cannot decide, without a court
        /// order; recorded with its reason; keeps regie after 18.</summary>
        public const string Wgbo = "wgbo";

        public static readonly IReadOnlyList<string> All = [Mentor, Curator, Bewind, Wgbo];

        public static readonly IReadOnlyList<string> KeepRegie = [Mentor, Curator, Wgbo];

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Mentor] = "Mentor (mentorschap)",
            [Curator] = "Curator (curatele)",
            [Bewind] = "Bewindvoerder (alleen financiën)",
            [Wgbo] = "Vertegenwoordiger volgens de WGBO (art. 7:465 BW)",
        };
    }

    /// <summary>The choice recorded before the 18th birthday: who holds regie afterwards. Never left open: without a choice
    /// and without an account of the client, the parents' regie continues as "voorlopig" (ADR 3).</summary>
    public static class After18
    {
        public const string System = CodeBase.Url + "/CodeSystem/regie-na-18";
        /// <summary>The client holds regie themselves.</summary>
        public const string Client = "client";
        /// <summary>The client holds regie, and the parents (or others) keep helping with a grant without regie.</summary>
        public const string ClientMetSteun = "client-met-steun";
        /// <summary>A mentor or curator appointed by the court (with its decision).</summary>
        public const string Vertegenwoordiger = "vertegenwoordiger";
        /// <summary>An adult who cannot decide: a representative under WGBO art. 7:465, with the reason.</summary>
        public const string Wgbo = "wgbo";

        public static readonly IReadOnlyList<string> All = [Client, ClientMetSteun, Vertegenwoordiger, Wgbo];

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Client] = "De cliënt houdt zelf de regie",
            [ClientMetSteun] = "De cliënt houdt zelf de regie, met steun van ouders of naasten",
            [Vertegenwoordiger] = "Een mentor of curator, benoemd door de rechter",
            [Wgbo] = "Een vertegenwoordiger volgens de WGBO, omdat de cliënt niet zelf kan beslissen",
        };
    }

    /// <summary>What a client keeps of their own dossier while a legal representative holds regie.</summary>
    public static class ClientAccess
    {
        public const string System = CodeBase.Url + "/CodeSystem/client-access";
        public const string Write = "lezen-schrijven";
        public const string Read = "lezen";
        /// <summary>Only by a representative decision that says so, with its reason.</summary>
        public const string None = "geen";

        public static readonly IReadOnlyList<string> All = [Write, Read, None];

        public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Write] = "Lezen en schrijven", [Read] = "Alleen lezen", [None] = "Geen toegang (besluit van de vertegenwoordiger)",
        };
    }

    /// <summary>One item of the checklist "18 jaar": its code, title, what to do, and when it is due (months before the 18th birthday).</summary>
    public sealed record ChecklistItem(string Code, string Title, string Explanation, int MonthsBefore18);

    /// <summary>The checklist "18 jaar" (seed 004: Sven's list for Johan, Hans's overview for Leo, Ilse at Kim's fifteenth):
    /// written as agreements (Task, section afspraken) with owners and due dates like any agreement.</summary>
    public static class Checklist18
    {
        public const string System = CodeBase.Url + "/CodeSystem/checklist-18";

        public static readonly IReadOnlyList<ChecklistItem> Items =
        [
            new("wensen", "Bespreken wat de cliënt en de ouders willen na het 18e jaar (wonen, dagbesteding, zorg)",
                "Samen met de cliënt: wat wil hij of zij, wat kan hij of zij zelf beslissen, wie helpt daarbij.", 30),
            new("regie-keuze", "Vastleggen wie na het 18e jaar de regie over het dossier heeft",
                "De cliënt zelf (met of zonder steun), een mentor of curator, of een vertegenwoordiger volgens de WGBO.", 6),
            new("rechtbank", "Mentorschap, curatele of bewind aanvragen bij de rechtbank (indien nodig)",
                "Het verzoekschrift kan vanaf drie maanden voor de 18e verjaardag; de beschikking komt in het dossier.", 3),
            new("wlz-wmo", "Zorg na 18 regelen: Wlz-indicatie (CIZ) en Wmo-voorzieningen nagaan",
                "Jeugdwet-zorg stopt op 18 jaar; ga na wat onder de Wlz of de Wmo verder gaat.", 9),
            new("zorgverzekering", "Eigen zorgverzekering en zorgtoeslag voor de cliënt regelen",
                "Vanaf 18 jaar betaalt de cliënt zelf premie en eigen risico; vraag zorgtoeslag aan.", 2),
            new("inkomen", "Inkomen na 18: Wajong of Participatiewet, kinderbijslag en kindgebonden budget stoppen",
                "Vraag tijdig een uitkering aan bij UWV of de gemeente.", 6),
            new("school", "School of dagbesteding na 18 (einde KDC of voortgezet speciaal onderwijs)",
                "Zoek een plek voor dagbesteding of werk; sommige plekken hebben een wachtlijst.", 12),
            new("pgb", "Budgethouder van het PGB na 18 vastleggen",
                "Wie beheert het persoonsgebonden budget als de cliënt volwassen is.", 3),
            new("digid", "DigiD en machtigingen voor de cliënt regelen",
                "Een eigen DigiD, en een machtiging voor wie de zaken regelt.", 2),
        ];

        public static ChecklistItem? Find(string? code) => Items.FirstOrDefault(i => i.Code == code);
    }

    /// <summary>The age steps of the regie rules, each told to the client and the regiehouders as it happens.</summary>
    public static class Milestones
    {
        /// <summary>12: the client reads and writes their own dossier; the parents keep regie.</summary>
        public const string Twelve = "12";
        /// <summary>15 (configurable, Pgo:Transition:StartAge): the checklist 18 jaar starts.</summary>
        public const string TransitionStart = "15";
        /// <summary>16: the client decides about their own dossier; the parents keep regie until 18.</summary>
        public const string Sixteen = "16";
        /// <summary>17: one year to go; the choice for after 18 should be made.</summary>
        public const string Seventeen = "17";
        /// <summary>Three months before 18: the court request can be filed; last reminder.</summary>
        public const string ThreeMonths = "18-3m";
        /// <summary>18: parental regie ends unless a representative is recorded (or the client has no account yet: voorlopig).</summary>
        public const string Eighteen = "18";

        public static readonly IReadOnlyList<string> All = [Twelve, TransitionStart, Sixteen, Seventeen, ThreeMonths, Eighteen];

        /// <summary>The plain explanation, for the client and for the parents (Dutch; the Portal shows it as the step happens).</summary>
        public static readonly IReadOnlyDictionary<string, (string ForClient, string ForParents)> Explanation = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            [Twelve] = ("Je bent 12. Je mag nu zelf je dossier lezen en erin schrijven. Je ouders beslissen nog mee over wie er meekijkt.",
                "Uw kind is 12. Het mag nu zelf het dossier lezen en erin schrijven. U houdt de regie; belangrijke keuzes maakt u samen."),
            [TransitionStart] = ("Over drie jaar word je 18. We beginnen met de checklist: wat wil jij als je volwassen bent?",
                "Uw kind wordt over drie jaar 18. Begin met de checklist 18 jaar: wonen, zorg, inkomen, school en wie dan de regie heeft."),
            [Sixteen] = ("Je bent 16. Je beslist nu zelf over je dossier: wie meekijkt en wat je deelt. Je ouders houden de regie tot je 18 bent.",
                "Uw kind is 16. Het beslist nu zelf mee over het dossier en kan dingen voor u afschermen. U houdt de regie tot het 18e jaar."),
            [Seventeen] = ("Over een jaar word je 18. Dan ben je voor de wet volwassen. Bespreek wie je dan helpt.",
                "Uw kind wordt over een jaar 18. Leg vast wie daarna de regie heeft; vraag zo nodig mentorschap of curatele aan."),
            [ThreeMonths] = ("Over drie maanden word je 18.",
                "Over drie maanden wordt uw kind 18. Zonder vastgelegde keuze of vertegenwoordiging eindigt uw regie dan."),
            [Eighteen] = ("Je bent 18. Je bent nu voor de wet volwassen.",
                "Uw kind is 18. Uw regie loopt alleen door met een mentorschap, curatele of WGBO-vertegenwoordiging, of voorlopig zolang uw kind geen eigen account heeft."),
        };
    }
}
