namespace Pgo.Fhir.Search.Indexing;

// Typed search index rows, extracted once at write time from the R4 SearchParameter definitions
// and stored in one table per kind (like Medplum's and HAPI's lookup tables).
// Dates are milliseconds since the Unix epoch (UTC), inclusive ranges: a FHIR date "2024-03"
// becomes [2024-03-01T00:00:00.000, 2024-03-31T23:59:59.999]. Open period ends use long.MinValue/MaxValue.

/// <summary>Normalized = lower case, diacritics removed (for the default and :contains match); Exact = as written.</summary>
public sealed record StringIndex(string Param, string Normalized, string Exact);

/// <summary>System is "" when the coding has none. Text (display/text, normalized) serves :text.</summary>
public sealed record TokenIndex(string Param, string System, string Code, string? Text);

/// <summary>Local references fill TargetType/TargetId; absolute URLs and canonicals fill Url.</summary>
public sealed record ReferenceIndex(string Param, string? TargetType, string? TargetId, string? Url);

public sealed record DateIndex(string Param, long Start, long End);

/// <summary>Low/High is the range implied by the value's precision (1.5 → [1.45, 1.55]).</summary>
public sealed record NumberIndex(string Param, decimal Value, decimal Low, decimal High);

public sealed record QuantityIndex(string Param, string System, string Code, string Unit, decimal Value, decimal Low, decimal High);

public sealed record UriIndex(string Param, string Uri);

/// <summary>Everything the indexer extracted from one resource version.</summary>
public sealed class ResourceIndex
{
    public List<StringIndex> Strings { get; } = [];
    public List<TokenIndex> Tokens { get; } = [];
    public List<ReferenceIndex> References { get; } = [];
    public List<DateIndex> Dates { get; } = [];
    public List<NumberIndex> Numbers { get; } = [];
    public List<QuantityIndex> Quantities { get; } = [];
    public List<UriIndex> Uris { get; } = [];

    /// <summary>Ids of the Patients whose compartment holds this resource (R4 CompartmentDefinition Patient).</summary>
    public List<string> PatientCompartment { get; } = [];

    /// <summary>How many index rows this version writes: what one write costs the store (and every writer behind it).</summary>
    public int RowCount => Strings.Count + Tokens.Count + References.Count + Dates.Count + Numbers.Count + Quantities.Count + Uris.Count
                           + PatientCompartment.Count;
}
