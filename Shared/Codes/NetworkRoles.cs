namespace Pgo.Shared.Codes;

/// <summary>Roles in the family's network (CareTeam.participant.role, RelatedPerson.relationship): the Api's CodeSystem
/// netwerkrol and the Portal's network and agenda screens read this one list. Dutch codes, as families say them.</summary>
public static class NetworkRoles
{
    public const string System = CodeBase.Url + "/CodeSystem/netwerkrol";

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["client"] = "Cliënt",
        ["ouder"] = "Ouder",
        ["partner"] = "Partner",
        ["kind"] = "Kind",
        ["broer-zus"] = "Broer of zus",
        ["grootouder"] = "Grootouder",
        ["familie"] = "Ander familielid",
        ["vriend-buur"] = "Vriend of buur",
        ["collega"] = "Collega",
        ["mentor"] = "Mentor / curator",
        ["bewindvoerder"] = "Bewindvoerder",
        ["ondersteuner"] = "Cliëntondersteuner (copiloot, bondgenoot, netwerkgids, casemanager)",
        ["coach"] = "Leerbegeleider / coach",
        ["huisarts"] = "Huisarts",
        ["arts"] = "Arts (AVG, kinderarts, specialist)",
        ["gedragsdeskundige"] = "Orthopedagoog / psycholoog",
        ["verpleging-thuiszorg"] = "Verpleging en thuiszorg",
        ["dagbesteding"] = "Dagbesteding / KDC",
        ["woonbegeleiding"] = "Woonbegeleiding",
        ["school"] = "School / onderwijs",
        ["therapeut"] = "Therapeut",
        ["gemeente"] = "Gemeente (Wmo, Jeugdwet, Participatiewet)",
        ["zorgkantoor"] = "Zorgkantoor",
        ["ciz"] = "CIZ",
        ["svb"] = "SVB",
        ["uwv"] = "UWV",
        ["zorgverzekeraar"] = "Zorgverzekeraar",
        ["ervaringsdeskundige"] = "Ervaringsdeskundige / maatje",
    };

    public static bool IsKnown(string? code) => code is not null && Display.ContainsKey(code);
}
