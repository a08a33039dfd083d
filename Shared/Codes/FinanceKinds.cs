namespace Pgo.Shared.Codes;

/// <summary>What a money matter in the Financiën section is about (docs/adr/0005-dossier-mapping.md): a second category on
/// the DocumentReference that holds it, next to <c>dossier-section#financien</c>.</summary>
public static class FinanceKinds
{
    public const string System = CodeBase.Url + "/CodeSystem/financien-soort";

    public const string Pgb = "pgb";
    public const string Inkomen = "uitkering-toeslag";
    public const string Schuld = "schuld";
    public const string Bewind = "bewind";

    public static readonly IReadOnlyList<string> All = [Pgb, Inkomen, Schuld, Bewind];

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Pgb] = "Persoonsgebonden budget (PGB)", [Inkomen] = "Uitkeringen en toeslagen", [Schuld] = "Schulden", [Bewind] = "Bewind",
    };
}
