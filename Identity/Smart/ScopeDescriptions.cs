using Microsoft.Extensions.Localization;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Smart;

/// <summary>What a scope means, in plain Dutch, for the consent screen.</summary>
public static class ScopeDescriptions
{
    /// <summary>FHIR resource types in the words the families use (see DOMAIN.md section 2).</summary>
    private static readonly Dictionary<string, string> Things = new()
    {
        ["*"] = "Alle gegevens",
        ["Patient"] = "Profiel (over mij)",
        ["CarePlan"] = "Plan",
        ["Goal"] = "Doelen",
        ["Task"] = "Afspraken",
        ["DocumentReference"] = "Documenten en logboek",
        ["Binary"] = "Bestanden",
        ["Communication"] = "Berichten",
        ["CareTeam"] = "Netwerk",
        ["RelatedPerson"] = "Naasten",
        ["Practitioner"] = "Zorgverleners en ondersteuners",
        ["PractitionerRole"] = "Zorgverleners en ondersteuners",
        ["Organization"] = "Organisaties en instanties",
        ["Appointment"] = "Agenda",
        ["Condition"] = "Diagnoses",
        ["MedicationStatement"] = "Medicijnen",
        ["AllergyIntolerance"] = "Allergieën",
        ["Observation"] = "Metingen",
        ["Questionnaire"] = "Vragenlijsten",
        ["QuestionnaireResponse"] = "Ingevulde vragenlijsten",
        ["Consent"] = "Wie toegang heeft",
        ["AuditEvent"] = "Wie wat heeft bekeken",
    };

    private static readonly (char Letter, string Verb)[] Verbs =
        [('c', "toevoegen"), ('r', "lezen"), ('u', "wijzigen"), ('d', "verwijderen"), ('s', "zoeken")];

    public static IReadOnlyList<string> Describe(IEnumerable<string> scopes, IStringLocalizer<Texts> text) =>
        scopes.Select(scope => Describe(scope, text)).OfType<string>().Distinct().ToList();

    private static string? Describe(string scope, IStringLocalizer<Texts> text)
    {
        switch (scope)
        {
            case Scopes.OpenId: return text["Weten dat u het bent (uw account)"];
            case Scopes.Profile: return text["Uw naam"];
            case Scopes.Email: return text["Uw e-mailadres"];
            case Scopes.Roles: return text["Uw rol: gezin, ondersteuner, zorgverlener of instantie"];
            case Scopes.OfflineAccess: return text["Toegang houden als u niet bent aangemeld, tot u de toestemming intrekt"];
            case ScopePolicy.FhirUser: return text["Wie u bent in het dossier"];
            case ScopePolicy.Launch or ScopePolicy.LaunchPatient: return text["Weten over welk dossier het gaat"];
            case ScopePolicy.Invitations: return text["Namens u mensen uitnodigen in een dossier"];
        }

        if (SmartScope.Parse(scope) is not { } smart) return scope;
        var things = Things.TryGetValue(smart.ResourceType, out var dutch) ? text[dutch].Value : smart.ResourceType;
        var verbs = Verbs.Where(v => smart.Permissions.Contains(v.Letter)).Select(v => text[v.Verb].Value).ToList();
        var verbList = verbs.Count == 1 ? verbs[0] : string.Join(", ", verbs[..^1]) + " " + text["en"] + " " + verbs[^1];
        return smart.Context == SmartScope.Patient
            ? text["{0}: {1}, in het dossier van de cliënt", things, verbList]
            : text["{0}: {1}, in alle dossiers waar u bij mag", things, verbList];
    }
}
