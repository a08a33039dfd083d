using Hl7.Fhir.Utility;
using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search;

/// <summary>One search parameter as this server applies it to one resource type.</summary>
public sealed record SearchParam(
    string ResourceType,
    string Name,
    SearchParamType Type,
    string? Expression,
    IReadOnlyList<string> Targets,
    string? Url)
{
    public bool IsCommon => Name.StartsWith('_');
}

/// <summary>
/// The search parameters of every R4 resource type, taken from the definitions the Firely SDK ships
/// (<see cref="ModelInfo.SearchParameters"/>), plus the Resource-level parameters the SDK leaves out.
/// Single source of truth for the indexer, the query parser and the CapabilityStatement.
/// </summary>
public sealed class SearchParameterRegistry
{
    // Resource-level parameters (R4 "Resource" search parameters) are not in ModelInfo.SearchParameters.
    private static readonly (string Name, SearchParamType Type, string Expression)[] CommonParams =
    [
        ("_id", SearchParamType.Token, "Resource.id"),
        ("_lastUpdated", SearchParamType.Date, "Resource.meta.lastUpdated"),
        ("_tag", SearchParamType.Token, "Resource.meta.tag"),
        ("_profile", SearchParamType.Uri, "Resource.meta.profile"),
        ("_security", SearchParamType.Token, "Resource.meta.security"),
        ("_source", SearchParamType.Uri, "Resource.meta.source"),
    ];

    private readonly FrozenDictionary<string, FrozenDictionary<string, SearchParam>> _byType;

    public static SearchParameterRegistry Default { get; } = new();

    private SearchParameterRegistry()
    {
        var byType = new Dictionary<string, Dictionary<string, SearchParam>>(StringComparer.Ordinal);
        foreach (var type in ModelInfo.SupportedResources)
        {
            var map = new Dictionary<string, SearchParam>(StringComparer.Ordinal);
            foreach (var (name, kind, expr) in CommonParams)
                map[name] = new SearchParam(type, name, kind, expr, [], $"http://hl7.org/fhir/SearchParameter/Resource{name.Replace("_", "-")}");
            byType[type] = map;
        }

        foreach (var def in ModelInfo.SearchParameters)
        {
            if (def.Resource is null || !byType.TryGetValue(def.Resource, out var map)) continue;
            if (def.Expression is null || def.Type is SearchParamType.Special or SearchParamType.Composite) continue;
            map[def.Name!] = new SearchParam(
                def.Resource, def.Name!, def.Type, def.Expression,
                def.Target?.Select(t => t.GetLiteral()!).ToArray() ?? [], def.Url);
        }

        _byType = byType.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public bool IsKnownType(string resourceType) => _byType.ContainsKey(resourceType);

    public IEnumerable<string> ResourceTypes => _byType.Keys;

    public IReadOnlyCollection<SearchParam> For(string resourceType) =>
        _byType.TryGetValue(resourceType, out var map) ? map.Values : [];

    public SearchParam? Find(string resourceType, string name) =>
        _byType.TryGetValue(resourceType, out var map) && map.TryGetValue(name, out var p) ? p : null;
}
