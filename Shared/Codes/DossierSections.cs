namespace Pgo.Shared.Codes;

/// <summary>The canonical base of every code the platform defines (CodeSystems served at /fhir/CodeSystem).</summary>
public static class CodeBase
{
    public const string Url = "https://fhir.pgo-platform.nl";
}

/// <summary>Dossier sections (Dutch codes, the words families use). Every dossier resource is in exactly one. The Api's
/// CodeSystem dossier-section, its section classifier and the Portal's screens all read this list.</summary>
public static class DossierSections
{
    public const string System = CodeBase.Url + "/CodeSystem/dossier-section";

    public const string Profiel = "profiel";
    public const string Plan = "plan";
    public const string Doelen = "doelen";
    public const string Afspraken = "afspraken";
    public const string Logboek = "logboek";
    public const string Berichten = "berichten";
    public const string Documenten = "documenten";
    public const string Netwerk = "netwerk";
    public const string Agenda = "agenda";
    public const string Medisch = "medisch";
    public const string Financien = "financien";
    public const string Metingen = "metingen";
    public const string Tijd = "tijd";
    /// <summary>Wishes for later ("als ik er niet meer ben"): living, care, what matters. Written by the regiehouder; the
    /// successor receives it when they take over regie (issue 18).</summary>
    public const string Zorgtestament = "zorgtestament";
    /// <summary>Events that count (issue 20): applications, decisions, objections, crises, moves, contacts with instanties;
    /// applications and objections are procedures with a deadline. Written by the supporter or the family.</summary>
    public const string Gebeurtenissen = "gebeurtenissen";
    /// <summary>The system section: grants (Consent) and logging. Only regiehouders and those with manage access.</summary>
    public const string Toegang = "toegang";

    /// <summary>The sections a person can be given (everything but <see cref="Toegang"/>), in the order screens show them.</summary>
    public static readonly IReadOnlyList<string> Dossier =
        [Profiel, Plan, Doelen, Afspraken, Logboek, Berichten, Documenten, Netwerk, Agenda, Medisch, Financien, Metingen, Tijd, Zorgtestament, Gebeurtenissen];

    public static readonly IReadOnlyList<string> All = [.. Dossier, Toegang];

    public static bool IsKnown(string? code) => code is not null && All.Contains(code);

    /// <summary>The Dutch name of each section (the CodeSystem's display; the Portal translates it through its texts).</summary>
    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Profiel] = "Over mij / profiel", [Plan] = "Plan", [Doelen] = "Doelen", [Afspraken] = "Afspraken",
        [Logboek] = "Logboek", [Berichten] = "Berichten", [Documenten] = "Documenten", [Netwerk] = "Netwerk",
        [Agenda] = "Agenda", [Medisch] = "Medisch", [Financien] = "Financiën", [Metingen] = "Metingen",
        [Tijd] = "Tijdregistratie", [Zorgtestament] = "Wensen voor later (zorgtestament)",
        [Gebeurtenissen] = "Gebeurtenissen en procedures", [Toegang] = "Toegang en logging",
    };
}

/// <summary>The role a grant gives its actor (Consent.provision.actor.role).</summary>
public static class GrantRoles
{
    public const string System = CodeBase.Url + "/CodeSystem/grant-role";

    /// <summary>Holds control over the dossier: everything, including managing access.</summary>
    public const string Regiehouder = "regiehouder";
    public const string Gezinslid = "gezinslid";
    /// <summary>Specialised client supporter (copiloot, bondgenoot, netwerkgids, ...).</summary>
    public const string Ondersteuner = "ondersteuner";
    public const string Zorgverlener = "zorgverlener";
    public const string Instantie = "instantie";
    /// <summary>Stand-in: a colleague acting for a supporter while the supporter is away.</summary>
    public const string Invaller = "invaller";
    /// <summary>Named by a regiehouder to take over regie when they die or can no longer act; sees nothing until the
    /// take-over is confirmed (issue 18). A Consent with this role grants nothing.</summary>
    public const string Opvolger = "opvolger";
    /// <summary>Bewindvoerder: appointed by the court for the finances only (section financien), with the court decision.</summary>
    public const string Bewindvoerder = "bewindvoerder";

    public static readonly IReadOnlyList<string> All = [Regiehouder, Gezinslid, Ondersteuner, Zorgverlener, Instantie, Invaller, Opvolger, Bewindvoerder];

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Regiehouder] = "Regiehouder", [Gezinslid] = "Gezinslid / naaste", [Ondersteuner] = "Ondersteuner (copiloot, bondgenoot)",
        [Zorgverlener] = "Zorgverlener", [Instantie] = "Instantie", [Invaller] = "Invaller (vervanger bij afwezigheid)",
        [Opvolger] = "Opvolger (neemt de regie over als de regiehouder er niet meer is)", [Bewindvoerder] = "Bewindvoerder (alleen financiën)",
    };
}

/// <summary>Leefgebieden (DOMAIN.md section 2): the life domain every goal (Goal.category) is about.</summary>
public static class LifeDomains
{
    public const string System = CodeBase.Url + "/CodeSystem/leefgebied";

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["wonen"] = "Wonen",
        ["dagbesteding-werk"] = "Dagbesteding en werk",
        ["onderwijs"] = "Onderwijs",
        ["financien-inkomen"] = "Financiën en inkomen",
        ["zorg-gezondheid"] = "Zorg en gezondheid",
        ["welzijn"] = "Welzijn (psychisch)",
        ["sociale-contacten"] = "Sociale contacten en netwerk",
        ["gezinsleven"] = "Gezinsleven en relaties",
        ["vrije-tijd"] = "Vrije tijd en ontspanning",
        ["zelfbepaling-regie"] = "Zelfbepaling en regie",
        ["mobiliteit"] = "Mobiliteit",
        ["zingeving"] = "Zingeving",
        ["mantelzorg-ontlasting"] = "Mantelzorg en ontlasting (naasten)",
    };

    public static bool IsKnown(string? code) => code is not null && Display.ContainsKey(code);
}
