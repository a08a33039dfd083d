using Hl7.Fhir.Model;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Indexing;

namespace Pgo.Fhir.Tests.Indexing;

/// <summary>Shared indexers: the production one (fast paths) and one that runs every expression on the FHIRPath engine.</summary>
internal static class IndexTestKit
{
    public static SearchIndexer Fast { get; } = new();

    public static SearchIndexer Engine { get; } = new(SearchParameterRegistry.Default.For, null, useFastPaths: false);

    public static ResourceIndex Index(Resource resource) => Fast.Extract(resource);

    /// <summary>Both evaluation modes, for [Theory] tests of behaviour that must not depend on the mode.</summary>
    public static SearchIndexer Mode(bool fast) => fast ? Fast : Engine;

    public static IEnumerable<StringIndex> Strings(this ResourceIndex index, string param) => index.Strings.Where(r => r.Param == param);
    public static IEnumerable<TokenIndex> Tokens(this ResourceIndex index, string param) => index.Tokens.Where(r => r.Param == param);
    public static IEnumerable<ReferenceIndex> References(this ResourceIndex index, string param) => index.References.Where(r => r.Param == param);
    public static IEnumerable<DateIndex> Dates(this ResourceIndex index, string param) => index.Dates.Where(r => r.Param == param);
    public static IEnumerable<NumberIndex> Numbers(this ResourceIndex index, string param) => index.Numbers.Where(r => r.Param == param);
    public static IEnumerable<QuantityIndex> Quantities(this ResourceIndex index, string param) => index.Quantities.Where(r => r.Param == param);
    public static IEnumerable<UriIndex> Uris(this ResourceIndex index, string param) => index.Uris.Where(r => r.Param == param);

    public static long Ms(string isoUtc) => DateTimeOffset.Parse(isoUtc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
