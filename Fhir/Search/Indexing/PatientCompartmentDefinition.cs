using System.Collections.Frozen;
using System.Text.Json;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// The R4 CompartmentDefinition "patient" (the official CompartmentDefinition-patient.json, embedded):
/// for each resource type the search parameters whose Patient references put a resource in that
/// Patient's compartment. Types it does not list (Practitioner, Organization, ...) are in no Patient compartment.
/// The project adds what R4 leaves out but a family's dossier needs (<see cref="ProjectAdditions"/>): compartments decide access.
/// </summary>
public static class PatientCompartmentDefinition
{
    private const string ResourceName = "CompartmentDefinition-patient.json";

    private static readonly Lazy<FrozenDictionary<string, string[]>> Params = new(Load);

    /// <summary>The linking parameters of <paramref name="resourceType"/>; empty when the type is not in the compartment.</summary>
    public static IReadOnlyList<string> ParamsFor(string resourceType) =>
        Params.Value.TryGetValue(resourceType, out var names) ? names : [];

    public static IEnumerable<string> ResourceTypes => Params.Value.Keys;

    /// <summary>R4 leaves Task out of the Patient compartment; Task holds the family's agreements (afspraken).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ProjectAdditions = new Dictionary<string, string[]>
    {
        ["Task"] = ["patient"],
    };

    private static FrozenDictionary<string, string[]> Load()
    {
        using var stream = typeof(PatientCompartmentDefinition).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from Pgo.Fhir.");
        using var doc = JsonDocument.Parse(stream);
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var entry in doc.RootElement.GetProperty("resource").EnumerateArray())
        {
            if (!entry.TryGetProperty("param", out var param) || param.GetArrayLength() == 0) continue;
            map[entry.GetProperty("code").GetString()!] = param.EnumerateArray().Select(p => p.GetString()!).ToArray();
        }
        foreach (var (type, names) in ProjectAdditions)
            map[type] = map.TryGetValue(type, out var existing) ? [.. existing.Union(names)] : names;
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
