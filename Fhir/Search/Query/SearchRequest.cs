using Hl7.Fhir.Model;

namespace Pgo.Fhir.Search.Query;

/// <summary>How unknown or unsupported search parameters are treated (HTTP <c>Prefer: handling=...</c>).</summary>
public enum SearchHandling
{
    /// <summary>The default: unknown parameters are ignored and reported in <see cref="SearchRequest.Warnings"/>.</summary>
    Lenient,

    /// <summary><c>Prefer: handling=strict</c>: an unknown parameter is a 400.</summary>
    Strict,
}

/// <summary>Comparison prefix of a date, number or quantity value (R4 search 3.1.1.4.1).</summary>
public enum SearchPrefix { Eq, Ne, Gt, Lt, Ge, Le, Sa, Eb, Ap }

/// <summary>The modifiers this server implements.</summary>
public enum SearchModifier
{
    None,
    Missing,
    /// <summary>string: equals the value as written.</summary>
    Exact,
    /// <summary>string: substring of the normalized value.</summary>
    Contains,
    /// <summary>token: starts-with on the normalized display/text.</summary>
    Text,
    /// <summary>token: resources that have no matching code (including resources with no code at all).</summary>
    Not,
    /// <summary>uri: the stored uri starts with the value.</summary>
    Below,
    /// <summary>uri: the stored uri is a prefix of the value.</summary>
    Above,
    /// <summary>reference: <c>subject:Patient=123</c>; the type is in <see cref="ParamCriterion.TypeModifier"/>.</summary>
    Type,
}

public enum SummaryMode { True, Text, Data, Count, False }

public enum TotalMode { None, Estimate, Accurate }

/// <summary>One parsed value of a criterion; several values of one criterion are ORed.</summary>
public abstract record SearchValue;

/// <summary>string (default, :contains, :exact) and token :text. <see cref="Normalized"/> is <see cref="TextNormalizer.Normalize"/> of <see cref="Value"/>.</summary>
public sealed record StringSearchValue(string Value, string Normalized) : SearchValue;

/// <summary>
/// token value. <see cref="System"/>: null = any system, "" = no system (<c>|code</c>).
/// <see cref="Code"/>: null = any code in the system (<c>system|</c>).
/// </summary>
public sealed record TokenSearchValue(string? System, string? Code) : SearchValue;

/// <summary>
/// reference value. <c>Type/id</c> sets both; a plain id sets only <see cref="TargetId"/> (any type, unless
/// the criterion has a type modifier, which the parser copies into <see cref="TargetType"/>). An absolute
/// URL sets <see cref="Url"/>, plus type and id when it ends in <c>/Type/id</c>: either form matches.
/// </summary>
public sealed record ReferenceSearchValue(string? TargetType, string? TargetId, string? Url) : SearchValue;

/// <summary>
/// date value as an inclusive range of ms since the epoch (UTC) implied by its precision
/// (<c>2024-03</c> → [2024-03-01T00:00:00.000, 2024-03-31T23:59:59.999]). For <see cref="SearchPrefix.Ap"/>
/// the parser has already widened the range (see <see cref="SearchParser"/>).
/// </summary>
public sealed record DateSearchValue(SearchPrefix Prefix, long Start, long End) : SearchValue;

/// <summary>
/// number value; [<see cref="Low"/>, <see cref="High"/>) is the range implied by its precision
/// (<c>100</c> → [99.5, 100.5), <c>1.50</c> → [1.495, 1.505)). For <see cref="SearchPrefix.Ap"/> the range is widened to ±10 %.
/// </summary>
public sealed record NumberSearchValue(SearchPrefix Prefix, decimal Value, decimal Low, decimal High) : SearchValue;

/// <summary>
/// quantity value, as <see cref="NumberSearchValue"/> plus the unit: <c>5.4|system|code</c> matches system and code;
/// <c>5.4||mg</c> (<see cref="System"/> null, <see cref="Code"/> "mg") matches the code or the unit text; <c>5.4</c> any unit.
/// No unit conversion.
/// </summary>
public sealed record QuantitySearchValue(SearchPrefix Prefix, decimal Value, decimal Low, decimal High, string? System, string? Code) : SearchValue;

public sealed record UriSearchValue(string Uri) : SearchValue;

/// <summary><c>:missing=true</c> (no index row for the parameter) or <c>:missing=false</c>.</summary>
public sealed record MissingSearchValue(bool Missing) : SearchValue;

/// <summary>
/// One ANDed criterion. <see cref="Key"/> and <see cref="RawValue"/> are the query parameter as given
/// (a space in a date value, an unencoded '+', reads as '+'); they render the canonical query string.
/// </summary>
public abstract record SearchCriterion(string Key, string RawValue);

/// <summary>A criterion on one parameter of the searched resource (or of a chain's target).</summary>
/// <param name="Name">Parameter name (the <c>param</c> column of the idx_* tables; <c>_id</c> and <c>_lastUpdated</c> use the resource row).</param>
/// <param name="Type">Parameter type; decides the idx_* table.</param>
/// <param name="Modifier">The modifier, or <see cref="SearchModifier.None"/>.</param>
/// <param name="TypeModifier">For <see cref="SearchModifier.Type"/>: the resource type named by the modifier.</param>
/// <param name="Values">Alternatives (comma-separated in the query), ORed.</param>
public sealed record ParamCriterion(
    string Key, string RawValue,
    string Name, SearchParamType Type, SearchModifier Modifier, string? TypeModifier,
    IReadOnlyList<SearchValue> Values) : SearchCriterion(Key, RawValue);

/// <summary>
/// Chained search, one level: <c>subject:Patient.name=peter</c>. The resource matches when its
/// <see cref="ReferenceParam"/> points at a visible, non-deleted resource of one of <see cref="TargetTypes"/>
/// that satisfies <see cref="Target"/>.
/// </summary>
public sealed record ChainCriterion(
    string Key, string RawValue,
    string ReferenceParam, IReadOnlyList<string> TargetTypes, ParamCriterion Target) : SearchCriterion(Key, RawValue);

/// <summary>
/// Reverse chain, one level: <c>_has:Observation:patient:code=1234-5</c>. The resource matches when a
/// visible, non-deleted <see cref="SourceType"/> whose <see cref="ReferenceParam"/> points at it satisfies <see cref="Source"/>.
/// </summary>
public sealed record HasCriterion(
    string Key, string RawValue,
    string SourceType, string ReferenceParam, ParamCriterion Source) : SearchCriterion(Key, RawValue);

/// <summary>A <c>_sort</c> key: <c>_id</c>, <c>_lastUpdated</c> or a parameter of type string, token, date, number, quantity, uri or reference.</summary>
public sealed record SortKey(string Name, SearchParamType Type, bool Descending);

/// <summary>
/// An <c>_include</c> or <c>_revinclude</c>: <c>SourceType:Param[:TargetType]</c>. <see cref="SourceType"/> is the
/// type holding the reference (for _include the matched resources, for _revinclude the resources to add);
/// null = any type (<c>_include=*</c>). <see cref="Param"/> "*" = every reference parameter. Applied one level
/// only, also when <see cref="Iterate"/> (<c>:iterate</c>) was asked for.
/// </summary>
public sealed record IncludeSpec(string? SourceType, string Param, string? TargetType, bool Iterate)
{
    public override string ToString() =>
        SourceType is null ? "*" : TargetType is null ? $"{SourceType}:{Param}" : $"{SourceType}:{Param}:{TargetType}";
}

/// <summary>
/// A parsed FHIR search: immutable, produced by <see cref="SearchParser"/>, turned into SQL by
/// <see cref="SearchSqlBuilder"/> and back into a canonical query string by <see cref="ToQueryString"/>.
/// </summary>
public sealed record SearchRequest
{
    /// <summary>The type in the URL; null for a system-level search.</summary>
    public string? ResourceType { get; init; }

    /// <summary>The types searched: [ResourceType] for a type-level search, the <c>_type</c> list for a system-level one; empty = every type.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>True when <c>_type</c> was given (system-level search).</summary>
    public bool TypeGiven { get; init; }

    /// <summary>The criteria, ANDed.</summary>
    public IReadOnlyList<SearchCriterion> Criteria { get; init; } = [];

    /// <summary>Page size (<c>_count</c>), already capped. 0 = count only.</summary>
    public int Count { get; init; }

    /// <summary>Rows to skip (<c>_offset</c>).</summary>
    public int Offset { get; init; }

    /// <summary><c>_sort</c> keys in order; empty = by resource type and id.</summary>
    public IReadOnlyList<SortKey> Sort { get; init; } = [];

    public IReadOnlyList<IncludeSpec> Includes { get; init; } = [];
    public IReadOnlyList<IncludeSpec> RevIncludes { get; init; } = [];

    /// <summary>Most resources <see cref="SearchSqlBuilder.BuildIncludes"/> / <see cref="SearchSqlBuilder.BuildRevIncludes"/> return (each).</summary>
    public int IncludeLimit { get; init; }

    /// <summary><c>_summary</c>; null when not given.</summary>
    public SummaryMode? Summary { get; init; }

    /// <summary><c>_elements</c>, as given (empty when not given).</summary>
    public IReadOnlyList<string> Elements { get; init; } = [];

    /// <summary><c>_total</c>; null when not given.</summary>
    public TotalMode? Total { get; init; }

    public SearchHandling Handling { get; init; }

    /// <summary>What was ignored or adjusted, for the OperationOutcome in the search Bundle.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Only the number of matches is wanted (<c>_summary=count</c> or <c>_count=0</c>): run only <see cref="SearchSqlBuilder.BuildCount"/>.</summary>
    public bool IsCountOnly => Count == 0 || Summary == SummaryMode.Count;

    /// <summary>
    /// The canonical query string (without '?') for self/next/previous links: criteria sorted by key then
    /// value, then <c>_type</c>, <c>_sort</c>, <c>_include</c>, <c>_revinclude</c>, <c>_summary</c>,
    /// <c>_elements</c>, <c>_total</c>, <c>_count</c>, <c>_offset</c>. Ignored parameters are left out.
    /// Parsing the result again yields the same request.
    /// </summary>
    public string ToQueryString(int? offset = null, int? count = null) => QueryString.Render(this, offset ?? Offset, count ?? Count);
}
