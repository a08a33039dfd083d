using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// R4 reference parameters: a literal "Type/id" (version ignored) fills TargetType/TargetId; an absolute
/// URL or canonical fills Url, and TargetType/TargetId as well when it ends in a known "Type/id".
/// References to contained resources ("#id") and logical (identifier-only) references are not indexed.
/// A resource selected by the expression itself (Bundle.entry[0].resource) counts as a reference to it.
/// </summary>
internal static class ReferenceExtractor
{
    public static bool Extract(string param, Base value, ResourceIndex index)
    {
        switch (value)
        {
            case ResourceReference reference:
                Add(param, reference.Reference, index);
                return true;
            case PrimitiveType primitive: // canonical, uri, url
                Add(param, Primitives.AsString(primitive.JsonValue), index);
                return true;
            case Resource resource: // Bundle.composition / Bundle.message: "Bundle.entry[0].resource"
                if (!string.IsNullOrEmpty(resource.Id))
                    index.References.Add(new ReferenceIndex(param, resource.TypeName, resource.Id, null));
                return true;
            case Attachment: // Consent.source[x] as an attachment: not a reference
                return true;
            default:
                return false;
        }
    }

    private static void Add(string param, string? reference, ResourceIndex index)
    {
        if (string.IsNullOrEmpty(reference) || reference[0] == '#') return;
        var parsed = ReferenceParser.TryParse(reference, out var type, out var id);
        if (ReferenceParser.IsAbsolute(reference))
            index.References.Add(new ReferenceIndex(param, type, id, TextNormalizer.Truncate(reference)));
        else if (parsed)
            index.References.Add(new ReferenceIndex(param, type, id, null));
        else
            index.References.Add(new ReferenceIndex(param, null, null, TextNormalizer.Truncate(reference)));
    }
}

/// <summary>Splits reference strings into resource type and id without any I/O.</summary>
public static class ReferenceParser
{
    private static readonly FrozenSet<string> ResourceTypes = ModelInfo.SupportedResources.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsResourceType(string name) => ResourceTypes.Contains(name);

    public static bool IsAbsolute(string reference) =>
        reference.Contains("://", StringComparison.Ordinal) || reference.StartsWith("urn:", StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="reference"/> is "Type/id", "Type/id/_history/v" or an absolute URL
    /// ending in one of those, with Type a known R4 resource type. urn:uuid/urn:oid and "#contained" are not.
    /// </summary>
    public static bool TryParse(string reference, out string? type, out string? id)
    {
        type = null;
        id = null;
        if (reference.Length == 0 || reference[0] == '#' || reference.StartsWith("urn:", StringComparison.Ordinal)) return false;

        var span = reference.AsSpan();
        var bar = span.IndexOf('|'); // canonical version
        if (bar >= 0) span = span[..bar];
        var query = span.IndexOfAny('?', '#');
        if (query >= 0) span = span[..query];

        var history = span.LastIndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0) span = span[..history];

        var slash = span.LastIndexOf('/');
        if (slash <= 0 || slash == span.Length - 1) return false;
        var idSpan = span[(slash + 1)..];
        var typeSpan = span[..slash];
        var typeStart = typeSpan.LastIndexOf('/') + 1;
        typeSpan = typeSpan[typeStart..];
        if (typeSpan.Length == 0) return false;

        var lookup = ResourceTypes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(typeSpan, out var knownType)) return false;
        type = knownType;
        id = idSpan.ToString();
        return true;
    }
}
