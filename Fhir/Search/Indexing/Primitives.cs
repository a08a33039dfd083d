using System.Globalization;
using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>Reads the value of FHIR and FHIRPath system primitives as the indexer needs them.</summary>
internal static class Primitives
{
    /// <summary>The primitive's value as FHIR JSON writes it ("true", "2024-03", "1.50"), or null.</summary>
    public static string? AsString(Base value) => value is PrimitiveType p ? AsString(p.JsonValue) : null;

    public static string? AsString(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>The primitive's value as a decimal (integer, integer64, decimal and their system forms).</summary>
    public static bool TryGetDecimal(Base value, out decimal result)
    {
        result = 0;
        if (value is not PrimitiveType p) return false;
        switch (p.JsonValue)
        {
            case int i: result = i; return true;
            case long l: result = l; return true;
            case decimal d: result = d; return true;
            case double db when double.IsFinite(db): result = (decimal)db; return true;
            case string s: return decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            default: return false;
        }
    }

    /// <summary>
    /// The range a value stands for by its precision: half a unit of its last digit either side
    /// (1.5 → [1.45, 1.55], 100 → [99.5, 100.5]), as the R4 number and quantity search does.
    /// </summary>
    public static (decimal Low, decimal High) PrecisionRange(decimal value)
    {
        var half = 0.5m;
        for (var s = value.Scale; s > 0; s--) half /= 10m;
        return (value - half, value + half);
    }
}
