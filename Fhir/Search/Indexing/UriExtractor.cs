using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>R4 uri parameters: uri, url, canonical, oid and uuid values as written.</summary>
internal static class UriExtractor
{
    public static bool Extract(string param, Base value, ResourceIndex index)
    {
        if (value is not PrimitiveType primitive) return false;
        var uri = Primitives.AsString(primitive.JsonValue);
        if (!string.IsNullOrEmpty(uri)) index.Uris.Add(new UriIndex(param, TextNormalizer.Truncate(uri)));
        return true;
    }
}
