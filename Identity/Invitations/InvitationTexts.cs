namespace Pgo.Identity.Invitations;

/// <summary>Dutch names (keys of <see cref="Texts"/>) of the invitation roles and dossier sections.</summary>
public static class InvitationTexts
{
    /// <summary>The dossier sections of DOMAIN.md section 2, by code: every section of <c>Shared/Codes/DossierSections.Dossier</c>
    /// that an invitation may give (all but the zorgtestament, never given by invitation); a test keeps the two lists equal.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sections = new Dictionary<string, string>
    {
        ["profiel"] = "Over mij / profiel",
        ["plan"] = "Plan",
        ["doelen"] = "Doelen",
        ["afspraken"] = "Afspraken",
        ["logboek"] = "Logboek",
        ["berichten"] = "Berichten",
        ["documenten"] = "Documenten",
        ["netwerk"] = "Netwerk",
        ["agenda"] = "Agenda",
        ["medisch"] = "Medisch",
        ["financien"] = "Financiën",
        ["metingen"] = "Metingen",
        ["tijd"] = "Tijd",
        ["gebeurtenissen"] = "Gebeurtenissen en procedures",
    };

    public static string RoleName(string role) => role switch
    {
        Accounts.Roles.Family => "gezinslid of naaste",
        Accounts.Roles.Supporter => "cliëntondersteuner",
        Accounts.Roles.Professional => "zorgverlener",
        Accounts.Roles.Agency => "medewerker van een instantie",
        Accounts.Roles.Regiehouder => "tweede regiehouder",
        _ => role,
    };
}
