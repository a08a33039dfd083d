namespace Pgo.Shared.Codes;

/// <summary>
/// The user group of an account, as Identity puts it in the token's <c>role</c> claims. It tells the Portal which screens
/// to show and the Api whether an account works for families; it grants no data (that is the grants' work, Consent).
/// </summary>
public static class AccountRoles
{
    /// <summary>Regiehouder: holds control over a dossier (a parent, a mentor, an adult client).</summary>
    public const string Regiehouder = "regiehouder";

    /// <summary>Naaste / gezinslid: a family member who is not (or not yet) a regiehouder.</summary>
    public const string Family = "family";

    /// <summary>Specialised client supporter (copiloot, bondgenoot, ...) and their coaches.</summary>
    public const string Supporter = "supporter";

    /// <summary>Zorgverlener: a care professional at an organisation.</summary>
    public const string Professional = "professional";

    /// <summary>Instantie: someone acting for a gemeente, zorgkantoor, CIZ, SVB, ...</summary>
    public const string Agency = "agency";

    /// <summary>Platform administrator; sees no dossiers.</summary>
    public const string Admin = "admin";

    /// <summary>Landelijk coördinator of a programme (issue 19): sees the knelpunten signalled by all teams, bundled and
    /// counted, sets their status and outcome. Sees no dossiers and no team conversation.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>Financier of a programme (issue 21): reads the programme's pseudonymised aggregates only; no dossier.</summary>
    public const string Funder = "funder";

    /// <summary>Onderzoeker (issue 21): reads the programme's pseudonymised aggregates only; no dossier.</summary>
    public const string Researcher = "researcher";

    public static readonly IReadOnlyList<string> All = [Regiehouder, Family, Supporter, Professional, Agency, Admin, Coordinator, Funder, Researcher];

    /// <summary>The roles that see the programme view of pseudonymised aggregates (issue 21, docs/adr/0012): counts over
    /// families with research consent, never a dossier.</summary>
    public static readonly IReadOnlyList<string> Programme = [Coordinator, Funder, Researcher];

    /// <summary>The accounts of the family itself (they start dossiers; the others are invited).</summary>
    public static readonly IReadOnlyList<string> FamilySide = [Regiehouder, Family];

    /// <summary>The accounts that work for families.</summary>
    public static readonly IReadOnlyList<string> Working = [Supporter, Professional, Agency, Admin];
}
