using Pgo.Shared.Codes;

namespace Pgo.Identity.Accounts;

/// <summary>
/// The user group of an account, carried as <c>role</c> claims. It tells the Portal which screens to show;
/// it grants no data (the list itself is Shared/Codes/AccountRoles.cs). Which dossiers someone holds regie over or may see is decided on the FHIR side (Consent).
/// </summary>
public static class Roles
{
    /// <summary>Regiehouder: holds control over a dossier (a parent, a mentor, an adult client).</summary>
    public const string Regiehouder = AccountRoles.Regiehouder;

    /// <summary>Naaste / gezinslid: a family member who is not (or not yet) a regiehouder.</summary>
    public const string Family = AccountRoles.Family;

    /// <summary>Specialised client supporter (copiloot, bondgenoot, ...) and their coaches.</summary>
    public const string Supporter = AccountRoles.Supporter;

    /// <summary>Zorgverlener: a care professional at an organisation.</summary>
    public const string Professional = AccountRoles.Professional;

    /// <summary>Instantie: someone acting for a gemeente, zorgkantoor, CIZ, SVB, ...</summary>
    public const string Agency = AccountRoles.Agency;

    /// <summary>Platform administrator; sees no dossiers.</summary>
    public const string Admin = AccountRoles.Admin;

    /// <summary>Landelijk coördinator (issue 19): the knelpunten of all teams, bundled and counted; no dossiers, no team conversation.</summary>
    public const string Coordinator = AccountRoles.Coordinator;

    /// <summary>Financier (issue 21): the programme's pseudonymised aggregates only; no dossiers.</summary>
    public const string Funder = AccountRoles.Funder;

    /// <summary>Onderzoeker (issue 21): the programme's pseudonymised aggregates only; no dossiers.</summary>
    public const string Researcher = AccountRoles.Researcher;

    public static IReadOnlyList<string> All => AccountRoles.All;
}
