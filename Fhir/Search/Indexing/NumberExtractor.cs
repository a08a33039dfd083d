using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// R4 number parameters: integer and decimal values with the range their precision implies
/// (1.5 → [1.45, 1.55], 3 → [2.5, 3.5]). A Range (RiskAssessment.probability) spans its low and high.
/// </summary>
internal static class NumberExtractor
{
    public static bool Extract(string param, Base value, ResourceIndex index)
    {
        switch (value)
        {
            case Hl7.Fhir.Model.Range range:
                if (QuantityExtractor.TryRange(range, out var v, out var low, out var high, out _))
                    index.Numbers.Add(new NumberIndex(param, v, low, high));
                return true;
            case PrimitiveType primitive:
                if (Primitives.TryGetDecimal(primitive, out var number))
                {
                    var (lo, hi) = Primitives.PrecisionRange(number);
                    index.Numbers.Add(new NumberIndex(param, number, lo, hi));
                }
                return true;
            default:
                return false;
        }
    }
}
