namespace Pgo.Shared.Codes;

/// <summary>
/// Events that count (issue 20, section <see cref="DossierSections.Gebeurtenissen"/>): what happened in a family's life
/// and work with the instanties, in the words of the seeds' evaluations. Applications, objections, complaints and appeals
/// are procedures (status, deadline, decision, outcome) so that a term is never missed. Codes are stored; the Dutch names
/// are what a person sees. The FHIR mapping: docs/adr/0005-dossier-mapping.md (Basic, section gebeurtenissen).
/// </summary>
public static class EventCodes
{
    public const string TypeSystem = CodeBase.Url + "/CodeSystem/event-type";
    public const string RegelingSystem = CodeBase.Url + "/CodeSystem/regeling";
    public const string InstantieSystem = CodeBase.Url + "/CodeSystem/instantie";
    public const string StatusSystem = CodeBase.Url + "/CodeSystem/procedure-status";
    public const string DeadlineSystem = CodeBase.Url + "/CodeSystem/procedure-termijn";
    public const string OutcomeSystem = CodeBase.Url + "/CodeSystem/procedure-uitkomst";

    public static class Types
    {
        public const string Aanvraag = "aanvraag";
        public const string Besluit = "besluit";
        public const string Bezwaar = "bezwaar";
        public const string Beroep = "beroep";
        public const string Klacht = "klacht";
        public const string Crisis = "crisis";
        public const string Verhuizing = "verhuizing";
        public const string Ziekenhuisopname = "ziekenhuisopname";
        public const string ContactInstantie = "contact-instantie";
        public const string Schoolwissel = "schoolwissel";
        public const string ZorgplekWeg = "zorgplek-weg";
        public const string WerkVerloren = "werk-verloren";
        public const string WerkBehouden = "werk-behouden";
        public const string Overig = "overig";
        // Appended for issue 20's triggers (intensity over time): together with crisis, verhuizing, zorgplek-weg and
        // ziekenhuisopname they suggest scaling up again.
        public const string Diagnose = "diagnose";
        public const string Scheiding = "scheiding";
        public const string Achttien = "achttien";
        public const string Overlijden = "overlijden";
    }

    /// <summary>The event types, in the order screens offer them.</summary>
    public static readonly IReadOnlyDictionary<string, string> TypeDisplay = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Types.Aanvraag] = "Aanvraag",
        [Types.Besluit] = "Besluit (beschikking)",
        [Types.Bezwaar] = "Bezwaar",
        [Types.Beroep] = "Beroep bij de rechter",
        [Types.Klacht] = "Klacht",
        [Types.Crisis] = "Crisis",
        [Types.Verhuizing] = "Verhuizing",
        [Types.Ziekenhuisopname] = "Ziekenhuisopname",
        [Types.ContactInstantie] = "Contact met een instantie",
        [Types.Schoolwissel] = "Schoolwissel",
        [Types.ZorgplekWeg] = "Zorgplek of logeeropvang kwijt",
        [Types.WerkVerloren] = "Werk verloren (ouder of naaste)",
        [Types.WerkBehouden] = "Werk behouden (ouder of naaste)",
        [Types.Overig] = "Iets anders",
        [Types.Diagnose] = "Nieuwe diagnose",
        [Types.Scheiding] = "Scheiding van de ouders",
        [Types.Achttien] = "18 jaar geworden",
        [Types.Overlijden] = "Overlijden (ouder of naaste)",
    };

    /// <summary>The types tracked as procedures: a status, a deadline with a reminder, a decision and an outcome.</summary>
    public static readonly IReadOnlySet<string> ProcedureTypes = new HashSet<string>(StringComparer.Ordinal)
        { Types.Aanvraag, Types.Bezwaar, Types.Beroep, Types.Klacht };

    public static bool IsProcedure(string? type) => type is not null && ProcedureTypes.Contains(type);

    /// <summary>The regeling an application (or its objection) is under.</summary>
    public static readonly IReadOnlyDictionary<string, string> RegelingDisplay = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["wmo"] = "Wmo",
        ["wlz"] = "Wlz",
        ["jeugdwet"] = "Jeugdwet",
        ["pgb"] = "Pgb",
        ["zvw"] = "Zorgverzekeringswet",
        ["participatiewet"] = "Participatiewet",
        ["hulpmiddelen"] = "Hulpmiddelen",
        ["leerlingenvervoer"] = "Leerlingenvervoer",
        ["onderwijs"] = "Onderwijs (passend onderwijs, vrijstelling)",
        ["wajong"] = "Wajong",
        ["toeslagen"] = "Toeslagen",
        ["overig"] = "Anders",
    };

    /// <summary>The instanties: one list with signalling (<see cref="SignalCodes.Instanties"/>), plus those of a family's events.</summary>
    public static readonly IReadOnlyDictionary<string, string> InstantieDisplay =
        SignalCodes.Instanties.Select(c => (c.Value, c.Name))
            .Concat([("ziekenhuis", "Ziekenhuis"), ("zorgaanbieder", "Zorgaanbieder"), ("rechtbank", "Rechtbank"), ("overig", "Andere instantie")])
            .ToDictionary(c => c.Item1, c => c.Item2, StringComparer.Ordinal);

    public static class Status
    {
        public const string Ingediend = "ingediend";
        public const string InBehandeling = "in-behandeling";
        public const string Besluit = "besluit";
        public const string Bezwaar = "bezwaar";
        public const string Afgerond = "afgerond";
        public const string Ingetrokken = "ingetrokken";
    }

    public static readonly IReadOnlyDictionary<string, string> StatusDisplay = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Status.Ingediend] = "Ingediend",
        [Status.InBehandeling] = "In behandeling",
        [Status.Besluit] = "Besluit ontvangen",
        [Status.Bezwaar] = "Bezwaar loopt",
        [Status.Afgerond] = "Afgerond",
        [Status.Ingetrokken] = "Ingetrokken",
    };

    /// <summary>A procedure in one of these still has a deadline that counts (reminders, "upcoming").</summary>
    public static bool IsOpen(string? status) => status is Status.Ingediend or Status.InBehandeling or Status.Besluit or Status.Bezwaar;

    /// <summary>Whose deadline it is: the instantie's term to decide, or the family's term to object or appeal.</summary>
    public static readonly IReadOnlyDictionary<string, string> DeadlineDisplay = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["beslistermijn"] = "Beslistermijn (de instantie moet beslissen)",
        ["bezwaartermijn"] = "Bezwaartermijn (bezwaar maken kan tot)",
        ["beroepstermijn"] = "Beroepstermijn (in beroep gaan kan tot)",
        ["reactietermijn"] = "Reactietermijn (reageren of aanvullen kan tot)",
    };

    public static readonly IReadOnlyDictionary<string, string> OutcomeDisplay = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["toegekend"] = "Toegekend",
        ["deels-toegekend"] = "Deels toegekend",
        ["afgewezen"] = "Afgewezen",
        ["gegrond"] = "Gegrond",
        ["deels-gegrond"] = "Deels gegrond",
        ["ongegrond"] = "Ongegrond",
        ["ingetrokken"] = "Ingetrokken",
    };

    /// <summary>The days before a procedure's deadline that its reminder comes, unless set otherwise (Notifications:ProcedureReminderDays).</summary>
    public const int DefaultReminderDays = 3;

    public const int MaxDescriptionLength = 500;

    /// <summary>The types that contest another event of the dossier (an application or a decision): the <c>event-contests</c> link.</summary>
    public static readonly IReadOnlySet<string> ContestingTypes = new HashSet<string>(StringComparer.Ordinal) { Types.Bezwaar, Types.Beroep, Types.Klacht };

    public static bool Contests(string? type) => type is not null && ContestingTypes.Contains(type);
}
