using System.Text.RegularExpressions;
using Pgo.Fhir.Access;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Query;
using Pgo.Fhir.Storage;

namespace Pgo.Fhir.Tests.Search;

/// <summary>
/// The shape of the search SQL that keeps its cost proportional to what the selective criterion matches:
/// one criterion drives through an index range, the others are checked per resource. SQLite plans without
/// statistics, so its plans are checked here exactly (PostgreSQL plans from statistics: see bench/ plans).
/// </summary>
public sealed class SearchPlanTests
{
    private static readonly SearchParser Parser = SearchParser.Default;

    private static SearchRequest Request(string type, string query) => Parser.ParseQueryString(type, query, SearchHandling.Strict);

    /// <summary>The idx_* tables of the IN lists (the driving criterion) and how many criteria are checked per resource.</summary>
    private static (string[] Driving, int Checked) Shape(string type, string query)
    {
        var sql = SearchSqlBuilder.BuildPage(Request(type, query), SqlDialect.Sqlite, AccessScope.Unrestricted).Sql;
        var driving = Regex.Matches(sql, @"\bIN \(SELECT [\w., ]+ FROM (\w+)").Select(m => m.Groups[1].Value).ToArray();
        var check = Regex.Matches(sql, @"EXISTS \(SELECT 1 FROM \w+ \w+ INDEXED BY").Count;
        return (driving, check);
    }

    [Theory]
    [InlineData("Observation", "code=1234-5&subject=Patient/p1", "idx_reference", 1)]
    [InlineData("Observation", "date=ge2024-06-01&subject=Patient/p1&date=le2024-07-01", "idx_reference", 2)]
    [InlineData("Patient", "gender=female&family=jansen", "idx_string", 1)]
    [InlineData("Patient", "name=pet&identifier=urn:x|1", "idx_token", 1)]
    [InlineData("Observation", "code:not=x&date=ge2024-06-01", "idx_date", 1)]
    [InlineData("Observation", "value-quantity=gt5&date=2024-06-01", "idx_date", 1)]
    [InlineData("Observation", "status=final&code=1234-5", "idx_token", 1)]
    public void The_most_selective_criterion_drives_and_the_others_are_checked_per_resource(string type, string query, string driving, int check)
    {
        var shape = Shape(type, query);
        shape.Driving.ShouldBe([driving], query);
        shape.Checked.ShouldBe(check, query);
    }

    [Theory]
    [InlineData("Patient", "_id=p1&name=pet&gender=male")] // the primary key pins the rows
    [InlineData("Patient", "name:missing=true&gender:not=male")] // negations match what no index holds
    [InlineData("Patient", "name:contains=ull&identifier:text=abc")] // substrings: no index range
    [InlineData("Encounter", "date=ne2024-03-05")]
    public void Nothing_drives_when_no_index_range_serves_a_criterion(string type, string query)
    {
        var shape = Shape(type, query);
        shape.Driving.ShouldBeEmpty(query);
    }

    /// <summary>EXPLAIN QUERY PLAN of the page and count statements: every table access is an index search.</summary>
    private static async Task<List<string>> SqlitePlan(TestDb db, SqlQuery query)
    {
        await using var cmd = db.Command("EXPLAIN QUERY PLAN " + query.Sql, query.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) lines.Add(reader.GetString(3));
        return lines;
    }

    [Theory]
    [InlineData("Observation", "subject=Patient/p1&date=ge2024-06-01&date=le2024-07-10&_count=20", "SEARCH i0 USING INDEX ix_reference_lookup (res_type=? AND param=? AND target_id=? AND target_type=?)")]
    [InlineData("Observation", "date=ge2024-06-01", "SEARCH i0 USING INDEX ix_date_end (res_type=? AND param=? AND end_ms>?)")]
    [InlineData("Observation", "date=gt2024-06-01", "SEARCH i0 USING INDEX ix_date_end (res_type=? AND param=? AND end_ms>?)")]
    [InlineData("Observation", "date=le2024-06-01", "SEARCH i0 USING INDEX ix_date_lookup (res_type=? AND param=? AND start_ms<?)")]
    [InlineData("Observation", "date=2024-06-01", "SEARCH i0 USING INDEX ix_date_lookup (res_type=? AND param=? AND start_ms>? AND start_ms<?)")]
    [InlineData("Patient", "family=jans", "SEARCH i0 USING INDEX ix_string_lookup (res_type=? AND param=? AND norm>? AND norm<?)")]
    [InlineData("Patient", "name:exact=Jansen", "SEARCH i0 USING INDEX ix_string_lookup (res_type=? AND param=? AND norm=?)")]
    [InlineData("Patient", "identifier=urn:pgo:bench|p1", "SEARCH i0 USING INDEX ix_token_lookup (res_type=? AND param=? AND code=? AND system=?)")]
    [InlineData("Patient", "name=pet,ann", "SEARCH i0 USING INDEX ix_string_lookup (res_type=? AND param=? AND norm>? AND norm<?)")]
    [InlineData("Observation", "date=2024-01,ge2024-06-01", "SEARCH i0 USING INDEX ix_date_end (res_type=? AND param=? AND end_ms>?)")]
    [InlineData("Observation", "value-quantity=gt5.4", "SEARCH i0 USING INDEX ix_quantity_lookup (res_type=? AND param=? AND value>?)")]
    [InlineData("ValueSet", "url:below=http://example.org/", "SEARCH i0 USING INDEX ix_uri_lookup (res_type=? AND param=? AND uri>? AND uri<?)")]
    [InlineData("Observation", "_lastUpdated=ge2024-06-01", "SEARCH r USING INDEX ix_resource_type_updated (res_type=? AND last_updated>?)")]
    [InlineData("Observation", "_lastUpdated=ge2024-06-01&_lastUpdated=lt2024-07", "SEARCH r USING INDEX ix_resource_type_updated (res_type=? AND last_updated>? AND last_updated<?)")]
    [InlineData("Observation", "subject=Patient/p1&_lastUpdated=ge2024-06-01", "SEARCH r USING INDEX sqlite_autoindex_resource_1 (res_type=? AND res_id=?)")]
    [InlineData("Observation", "_id=o1,o2&_lastUpdated=2024-06-01", "SEARCH r USING INDEX sqlite_autoindex_resource_1 (res_type=? AND res_id=?)")]
    [InlineData("Observation", "subject:Patient.identifier=urn:pgo:bench|p1&date=ge2024-06-01", "SEARCH i2 USING INDEX ix_token_lookup (res_type=? AND param=? AND code=? AND system=?)")]
    [InlineData("Observation", "subject:Patient._id=p1&code=1234-5", "SEARCH t1 USING INDEX sqlite_autoindex_resource_1 (res_type=? AND res_id=?)")]
    [InlineData("Patient", "_has:Observation:subject:code=1234-5&gender=male", "SEARCH i2 USING INDEX ix_token_lookup (res_type=? AND param=? AND code=?)")]
    public async Task Sqlite_searches_indexes_and_never_scans(string type, string query, string expected)
    {
        await using var db = await TestDatabases.CreateAsync(TestDatabases.Sqlite);
        var request = Request(type, query);
        foreach (var statement in new[]
                 {
                     SearchSqlBuilder.BuildPage(request, db!.Dialect, AccessScope.Unrestricted),
                     SearchSqlBuilder.BuildCount(request, db.Dialect, AccessScope.Unrestricted),
                 })
        {
            var plan = await SqlitePlan(db, statement);
            var text = string.Join("\n", plan);
            plan.ShouldContain(expected, $"{type}?{query}\n{text}");
            plan.ShouldNotContain(line => line.StartsWith("SCAN", StringComparison.Ordinal), $"{type}?{query}\n{text}");
        }
    }

    [Theory]
    [InlineData("ab", "ac")]
    [InlineData("a", "b")]
    [InlineData("jansen9", "jansen:")]
    [InlineData("a\U0010FFFF", "b")]
    [InlineData("z\U0001F600", "z\U0001F601")]
    [InlineData("a\uD7FF", "a\uE000")]
    [InlineData("", null)]
    [InlineData("\U0010FFFF", null)]
    public void Prefix_successor_bounds_every_string_with_the_prefix(string prefix, string? successor)
    {
        SearchSqlBuilder.PrefixSuccessor(prefix).ShouldBe(successor);
        if (successor is null) return;
        foreach (var s in new[] { prefix, prefix + "a", prefix + "\uFFFF", prefix + "\U0010FFFF\U0010FFFF" })
            string.CompareOrdinal(Utf8(s), Utf8(successor)).ShouldBeLessThan(0, s);
    }

    /// <summary>Code point order (as UTF-8 bytes compare), as a string of Latin-1 chars for CompareOrdinal.</summary>
    private static string Utf8(string s) => new(System.Text.Encoding.UTF8.GetBytes(s).Select(b => (char)b).ToArray());
}
