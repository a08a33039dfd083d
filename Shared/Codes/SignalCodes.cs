namespace Pgo.Shared.Codes;

/// <summary>
/// Signalling (knelpunten in het stelsel, DOMAIN.md section 4, seed 003 l.725): a supporter marks a post as a knelpunt
/// with the instantie it is about, a theme and the number of families it concerns. The same theme and instantie from
/// many teams is one bundle, which the landelijk coördinator (<see cref="AccountRoles.Coordinator"/>) takes to the
/// instantie or the ministry; its status and outcome flow back to the posts and their authors.
/// Codes are stored; the Dutch names are what a person sees.
/// </summary>
public static class SignalCodes
{
    public sealed record Code(string Value, string Name);

    /// <summary>The instanties a knelpunt can be about (DOMAIN.md section 1).</summary>
    public static readonly IReadOnlyList<Code> Instanties =
    [
        new("gemeente", "Gemeente"),
        new("zorgkantoor", "Zorgkantoor"),
        new("ciz", "CIZ"),
        new("svb", "SVB"),
        new("uwv", "UWV"),
        new("zorgverzekeraar", "Zorgverzekeraar"),
        new("school", "School of samenwerkingsverband"),
        new("belastingdienst", "Belastingdienst"),
    ];

    /// <summary>The themes knelpunten are bundled by (seed 000 and 003: what the copilots ran into most).</summary>
    public static readonly IReadOnlyList<Code> Themes =
    [
        new("wlz-indicatie", "Wlz-indicatie"),
        new("zorgplek", "Zorgplek, logeren en wonen"),
        new("pgb", "Pgb en SVB"),
        new("meerzorg", "Meerzorg"),
        new("wmo", "Wmo-voorzieningen"),
        new("jeugdhulp", "Jeugdhulp"),
        new("hulpmiddelen", "Hulpmiddelen"),
        new("onderwijs", "Onderwijs en leerplicht"),
        new("inkomen", "Inkomen en uitkeringen"),
        new("overgang-18", "Overgang naar 18 jaar"),
        new("vervoer", "Vervoer"),
        new("overig", "Overig"),
    ];

    /// <summary>A bundle's status, set by the landelijk coördinator. <c>aangekaart</c> names with whom (RaisedWith).</summary>
    public static class Status
    {
        public const string Nieuw = "nieuw";
        public const string Gebundeld = "gebundeld";
        public const string Aangekaart = "aangekaart";
        public const string Opgelost = "opgelost";

        public static readonly IReadOnlyList<Code> All =
        [
            new(Nieuw, "Nieuw"),
            new(Gebundeld, "Gebundeld"),
            new(Aangekaart, "Aangekaart"),
            new(Opgelost, "Opgelost"),
        ];
    }

    /// <summary>At most this many families per knelpunt (a count, never names).</summary>
    public const int MaxFamilies = 500;

    public static string InstantieName(string code) => Instanties.FirstOrDefault(c => c.Value == code)?.Name ?? code;
    public static string ThemeName(string code) => Themes.FirstOrDefault(c => c.Value == code)?.Name ?? code;
    public static string StatusName(string code) => Status.All.FirstOrDefault(c => c.Value == code)?.Name ?? code;
}
