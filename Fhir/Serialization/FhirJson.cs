using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Serialization;

/// <summary>
/// Parsing and writing FHIR JSON through the Firely SDK. Parsing is strict (unknown elements, bad codes,
/// bad dates and missing required elements are refused), and every way the input can be wrong becomes
/// a 400 <see cref="FhirException"/>, never an unhandled exception.
/// </summary>
public static class FhirJson
{
    private static readonly FhirJsonDeserializer Strict = FhirJsonDeserializer.STRICT;
    private static readonly FhirJsonSerializer Writer = new();

    public static Resource Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) throw FhirException.BadRequest(FhirText.BodyEmpty);
        try
        {
            return Strict.DeserializeResource(json);
        }
        catch (DeserializationFailedException e)
        {
            var issues = e.Exceptions.Select(x => x.Message).Distinct().Take(20);
            throw FhirException.BadRequest(Text.Format(FhirText.InvalidResource, string.Join(" | ", issues)));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or NotSupportedException)
        {
            throw FhirException.BadRequest(Text.Format(FhirText.InvalidJson, e.Message));
        }
    }

    public static T Parse<T>(string json) where T : Resource =>
        Parse(json) as T ?? throw FhirException.BadRequest(Text.Format(FhirText.ExpectedType, ModelInfo.GetFhirTypeNameForType(typeof(T))));

    public static string Serialize(Base resource) => Writer.SerializeToString(resource);

    /// <summary>Serializes with _summary / _elements applied. id and meta are always kept (FHIR R4 3.1.1.5.9).</summary>
    public static string Serialize(Base resource, SummaryType summary, string[]? elements)
    {
        if (elements is { Length: > 0 })
            elements = [.. elements.Concat(["id", "meta"]).Distinct()];
        return Writer.SerializeToString(resource, summary, elements, false, false);
    }
}
