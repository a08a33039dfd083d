namespace Pgo.Shared.Codes;

/// <summary>Who gains when the supporter helps avoid an event: the six stakeholders of seed 004's social business case
/// ("Stap 4: Kosten en opbrengsten per domein"), in the words of its tables (issue 21, docs/adr/0011-social-business-case.md).
/// Codes are stored in a business-case model; the Dutch names are what a person sees.</summary>
public static class Stakeholders
{
    public const string System = CodeBase.Url + "/CodeSystem/stakeholder";

    public const string GemeenteBijstand = "gemeente-bijstand";
    public const string Uwv = "uwv";
    public const string Zvw = "zvw";
    public const string Wmo = "wmo";
    public const string Wlz = "wlz";
    public const string BvNederland = "bv-nederland";

    /// <summary>In the order of the seed's tables.</summary>
    public static readonly IReadOnlyList<string> All = [GemeenteBijstand, Uwv, Zvw, Wmo, Wlz, BvNederland];

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [GemeenteBijstand] = "Gemeente (Bijstand)",
        [Uwv] = "UWV (ZW en WW)",
        [Zvw] = "Zorgverzekeringswet",
        [Wmo] = "Gemeente / WMO",
        [Wlz] = "Wlz",
        [BvNederland] = "Belasting / BV Nederland",
    };

    /// <summary>The line the seed's tables close with: the supporter's cost, not a stakeholder.</summary>
    public const string SupporterCostDisplay = "Inzet Bondgenoot";
}
