using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// R4 quantity parameters: Quantity and its profiles (Age, Duration, Distance, Count, SimpleQuantity)
/// as system|code|unit with the value's precision range; Money as value with its ISO 4217 currency;
/// a Range as one row spanning low..high (open ends as decimal.MinValue/MaxValue); plain numbers
/// as unitless quantities. SampledData is not indexed.
/// </summary>
internal static class QuantityExtractor
{
    public const string CurrencySystem = "urn:iso:std:iso:4217";

    public static bool Extract(string param, Base value, ResourceIndex index)
    {
        switch (value)
        {
            case Quantity quantity:
                if (quantity.Value is { } q)
                {
                    var (low, high) = Primitives.PrecisionRange(q);
                    index.Quantities.Add(new QuantityIndex(param, quantity.System ?? "", quantity.Code ?? "", quantity.Unit ?? "", q, low, high));
                }
                return true;
            case Money money:
                if (money.Value is { } m)
                {
                    var currency = Primitives.AsString(money.CurrencyElement?.JsonValue) ?? "";
                    var (low, high) = Primitives.PrecisionRange(m);
                    index.Quantities.Add(new QuantityIndex(param, currency.Length == 0 ? "" : CurrencySystem, currency, currency, m, low, high));
                }
                return true;
            case Hl7.Fhir.Model.Range range:
                if (TryRange(range, out var v, out var lo, out var hi, out var unit))
                    index.Quantities.Add(new QuantityIndex(param, unit?.System ?? "", unit?.Code ?? "", unit?.Unit ?? "", v, lo, hi));
                return true;
            case SampledData:
                return true;
            case PrimitiveType primitive:
                if (Primitives.TryGetDecimal(primitive, out var number))
                {
                    var (low, high) = Primitives.PrecisionRange(number);
                    index.Quantities.Add(new QuantityIndex(param, "", "", "", number, low, high));
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>A Range as value (its low, else its high) and bounds; false when neither end has a value.</summary>
    internal static bool TryRange(Hl7.Fhir.Model.Range range, out decimal value, out decimal low, out decimal high, out Quantity? unit)
    {
        var lowValue = range.Low?.Value;
        var highValue = range.High?.Value;
        unit = lowValue is not null ? range.Low : range.High;
        value = low = high = 0;
        if (lowValue is null && highValue is null) return false;
        low = lowValue is { } l ? Primitives.PrecisionRange(l).Low : decimal.MinValue;
        high = highValue is { } h ? Primitives.PrecisionRange(h).High : decimal.MaxValue;
        value = lowValue ?? highValue!.Value;
        return true;
    }
}
