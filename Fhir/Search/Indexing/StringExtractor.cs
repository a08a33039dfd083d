using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// R4 string parameters: HumanName and Address match on each of their parts, other values on
/// their text. Each part becomes its own row (Normalized for the default and :contains match,
/// Exact for :exact).
/// </summary>
internal static class StringExtractor
{
    public static bool Extract(string param, Base value, ResourceIndex index)
    {
        switch (value)
        {
            case HumanName name:
                Add(param, name.Family, index);
                foreach (var given in name.Given) Add(param, given, index);
                foreach (var prefix in name.Prefix) Add(param, prefix, index);
                foreach (var suffix in name.Suffix) Add(param, suffix, index);
                Add(param, name.Text, index);
                return true;
            case Address address:
                foreach (var line in address.Line) Add(param, line, index);
                Add(param, address.City, index);
                Add(param, address.District, index);
                Add(param, address.State, index);
                Add(param, address.PostalCode, index);
                Add(param, address.Country, index);
                Add(param, address.Text, index);
                return true;
            case PrimitiveType primitive:
                Add(param, Primitives.AsString(primitive.JsonValue), index);
                return true;
            default:
                return false;
        }
    }

    private static void Add(string param, string? text, ResourceIndex index)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        index.Strings.Add(new StringIndex(param, TextNormalizer.Normalize(text), TextNormalizer.Truncate(text)));
    }
}
