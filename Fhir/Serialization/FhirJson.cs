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
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Parsing depends on the text alone, so whatever else the SDK throws is about the input: hostile JSON has made
            // it fail inside (an IndexOutOfRangeException on a key "_", a CodedValidationException on a contained
            // resource that is not a list). A 400, not a 500.
            throw FhirException.BadRequest(FhirText.JsonNotAResource);
        }
    }

    /// <summary>
    /// FHIR strings hold no control characters but tab, CR and LF (R4 2.24.0.1, <c>[ \r\n\t\S]+</c>); the SDK's parser
    /// lets an escaped one (<c>\u0000</c>) through. Checked on every write (<see cref="FhirElements.Texts"/>), not here:
    /// stored JSON is parsed too, and what was stored before must stay readable.
    /// </summary>
    public static bool HasControlCharacter(string s) => s.Any(c => c < ' ' && c is not '\t' and not '\r' and not '\n');

    /// <summary>At most 64 characters of <paramref name="s"/> with its control characters as '?', to quote in a diagnostic.</summary>
    internal static string Printable(string s) => new([.. s.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);

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
