namespace Pgo.Identity.Accounts;

/// <summary>
/// The user group of an account, carried as <c>role</c> claims. It tells the Portal which screens to show;
/// it grants no data. Which dossiers someone holds regie over or may see is decided on the FHIR side (Consent).
/// </summary>
public static class Roles
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

    public static readonly IReadOnlyList<string> All = [Regiehouder, Family, Supporter, Professional, Agency, Admin];
}
