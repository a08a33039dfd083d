namespace Pgo.Fhir.Search.Query;

/// <summary>Server limits for search (configuration section "Fhir:Search", inside FhirRepositoryOptions).</summary>
public sealed record SearchOptions
{
    /// <summary>Page size when the request has no <c>_count</c>.</summary>
    public int DefaultCount { get; init; } = 20;

    /// <summary>Largest page size; a larger <c>_count</c> is lowered to this with a warning.</summary>
    public int MaxCount { get; init; } = 1000;

    /// <summary>Most resources one _include (and one _revinclude) query adds to a page.</summary>
    public int MaxIncludes { get; init; } = 1000;

    public static SearchOptions Default { get; } = new();
}
