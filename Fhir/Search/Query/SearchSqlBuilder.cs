using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Search.Query;

/// <summary>The access predicate over a resource row alias; <see cref="AccessScope.Predicate"/> in production.</summary>
internal delegate string AccessPredicate(string alias, SqlParameterBag parameters);

/// <summary>
/// Composes the SQL of a search for SQLite and PostgreSQL. Every value is a parameter; every statement
/// returns <c>res_type, res_id, version, last_updated, json</c> (or one COUNT).
/// </summary>
/// <remarks>
/// <para>Access: every resource row a statement touches (the matches, chained targets, _has sources,
/// included resources) enters the SQL through one helper, <c>Builder.Visible</c>, which adds
/// <c>deleted = 0</c> and the caller's <see cref="AccessScope.Predicate"/>; a chained search therefore
/// never reveals a target the caller cannot see, and includes never return one.</para>
/// <para>Order: the <c>_sort</c> keys (a parameter sorts by the MIN of its indexed values ascending, the MAX
/// descending; dates by start ascending and end descending; resources without a value last), then always
/// <c>res_type, res_id</c>, so that paging with LIMIT/OFFSET is deterministic. Without <c>_sort</c> the order
/// is <c>res_type, res_id</c>.</para>
/// <para>Paging: <see cref="BuildPage"/> asks for <c>Count + 1</c> rows from <c>Offset</c>; a (Count+1)th row
/// means there is a next page (do not return it).</para>
/// </remarks>
public static class SearchSqlBuilder
{
    /// <summary>The columns every resource-returning statement selects, in this order.</summary>
    public const string Columns = "res_type, res_id, version, last_updated, json";

    /// <summary>One page of matches: up to <see cref="SearchRequest.Count"/> + 1 rows from <see cref="SearchRequest.Offset"/>.</summary>
    public static SqlQuery BuildPage(SearchRequest request, SqlDialect dialect, AccessScope scope) =>
        BuildPage(request, dialect, scope.Predicate);

    /// <summary><c>SELECT COUNT(*)</c> of all matches (same WHERE as <see cref="BuildPage"/>).</summary>
    public static SqlQuery BuildCount(SearchRequest request, SqlDialect dialect, AccessScope scope) =>
        BuildCount(request, dialect, scope.Predicate);

    /// <summary>
    /// The resources the <paramref name="matches"/> refer to through the request's <c>_include</c>s (at most
    /// <see cref="SearchRequest.IncludeLimit"/>, ordered by type and id); null when the request has no
    /// _include or there are no matches. May return resources that are also matches: de-duplicate.
    /// </summary>
    public static SqlQuery? BuildIncludes(SearchRequest request, IReadOnlyList<(string Type, string Id)> matches, SqlDialect dialect, AccessScope scope) =>
        BuildIncludes(request, matches, dialect, scope.Predicate);

    /// <summary>
    /// The resources that refer to one of the <paramref name="matches"/> through the request's
    /// <c>_revinclude</c>s (at most <see cref="SearchRequest.IncludeLimit"/>, ordered by type and id); null when
    /// the request has no _revinclude or there are no matches. May return matches too: de-duplicate.
    /// </summary>
    public static SqlQuery? BuildRevIncludes(SearchRequest request, IReadOnlyList<(string Type, string Id)> matches, SqlDialect dialect, AccessScope scope) =>
        BuildRevIncludes(request, matches, dialect, scope.Predicate);

    /// <param name="probesOnly">For tests: no criterion drives (every one is checked per resource), which must give the same rows.</param>
    internal static SqlQuery BuildPage(SearchRequest request, SqlDialect dialect, AccessPredicate access, bool probesOnly = false)
    {
        var b = new Builder(dialect, access, probesOnly);
        var where = b.SearchWhere(request, "r");
        var order = b.OrderBy(request, "r");
        var limit = b.P((long)request.Count + 1);
        var offset = b.P((long)request.Offset);
        return b.Query($"SELECT r.res_type, r.res_id, r.version, r.last_updated, r.json FROM resource r WHERE {where} ORDER BY {order} LIMIT {limit} OFFSET {offset}");
    }

    internal static SqlQuery BuildCount(SearchRequest request, SqlDialect dialect, AccessPredicate access, bool probesOnly = false)
    {
        var b = new Builder(dialect, access, probesOnly);
        var where = b.SearchWhere(request, "r");
        return b.Query($"SELECT COUNT(*) FROM resource r WHERE {where}");
    }

    internal static SqlQuery? BuildIncludes(SearchRequest request, IReadOnlyList<(string Type, string Id)> matches, SqlDialect dialect, AccessPredicate access)
    {
        if (request.Includes.Count == 0 || matches.Count == 0) return null;
        var b = new Builder(dialect, access);
        // i.res_type/res_id: the match holding the reference; i.target_*: the resource to include.
        var visible = b.Visible("t");
        var sources = b.RowsIn("i.res_type", "i.res_id", matches);
        var specs = b.IncludeSpecs(request.Includes, "i");
        var limit = b.P((long)request.IncludeLimit);
        return b.Query(
            "SELECT t.res_type, t.res_id, t.version, t.last_updated, t.json FROM resource t " +
            $"WHERE {visible} AND (t.res_type, t.res_id) IN (SELECT i.target_type, i.target_id FROM idx_reference i WHERE {sources} AND {specs}) " +
            $"ORDER BY t.res_type, t.res_id LIMIT {limit}");
    }

    internal static SqlQuery? BuildRevIncludes(SearchRequest request, IReadOnlyList<(string Type, string Id)> matches, SqlDialect dialect, AccessPredicate access)
    {
        if (request.RevIncludes.Count == 0 || matches.Count == 0) return null;
        var b = new Builder(dialect, access);
        // i.res_type/res_id: the resource to add; i.target_*: the match it refers to.
        var visible = b.Visible("s");
        var targets = b.RowsIn("i.target_type", "i.target_id", matches);
        var specs = b.IncludeSpecs(request.RevIncludes, "i");
        var limit = b.P((long)request.IncludeLimit);
        return b.Query(
            "SELECT s.res_type, s.res_id, s.version, s.last_updated, s.json FROM resource s " +
            $"WHERE {visible} AND (s.res_type, s.res_id) IN (SELECT i.res_type, i.res_id FROM idx_reference i WHERE {targets} AND {specs}) " +
            $"ORDER BY s.res_type, s.res_id LIMIT {limit}");
    }

    /// <summary>
    /// The smallest string greater than every string that starts with <paramref name="prefix"/>, in code point
    /// order (= UTF-8 byte order, SQLite's BINARY collation): the prefix with its last code point incremented
    /// (dropping trailing U+10FFFF). Null when there is none (the prefix is empty or all U+10FFFF).
    /// </summary>
    internal static string? PrefixSuccessor(string prefix)
    {
        var end = prefix.Length;
        while (end > 0)
        {
            var last = char.IsLowSurrogate(prefix[end - 1]) && end >= 2 && char.IsHighSurrogate(prefix[end - 2]) ? 2 : 1;
            var cp = char.ConvertToUtf32(prefix, end - last);
            if (cp < 0x10FFFF)
            {
                var next = cp + 1 == 0xD800 ? 0xE000 : cp + 1;
                return prefix[..(end - last)] + char.ConvertFromUtf32(next);
            }
            end -= last;
        }
        return null;
    }

    private static string Table(SearchParamType type) => type switch
    {
        SearchParamType.String => "idx_string",
        SearchParamType.Token => "idx_token",
        SearchParamType.Reference => "idx_reference",
        SearchParamType.Date => "idx_date",
        SearchParamType.Number => "idx_number",
        SearchParamType.Quantity => "idx_quantity",
        SearchParamType.Uri => "idx_uri",
        _ => throw FhirException.NotSupported(Text.Format(FhirText.SearchParameterTypeUnsupported, type)),
    };

    /// <summary>SQL text and parameters of one statement under construction.</summary>
    private sealed class Builder(SqlDialect dialect, AccessPredicate access, bool probesOnly = false)
    {
        private readonly SqlParameterBag _bag = new();
        private int _aliases;

        public SqlQuery Query(string sql) => new(sql, _bag.Values);

        public string P(object value) => _bag.Add(value);

        /// <summary>NUMERIC on PostgreSQL (decimal), REAL on SQLite (double).</summary>
        private string Dec(decimal value) => dialect.IsPostgres ? _bag.Add(value) : _bag.Add((double)value);

        private string Alias(string prefix) => prefix + _aliases++;

        /// <summary>
        /// For subqueries correlated on one resource: SQLite without statistics prefers the covering
        /// (res_type, param, value) index, which scans every row of the parameter per resource; pin the
        /// (res_type, res_id) index there. PostgreSQL plans from its statistics.
        /// </summary>
        private string PerResource(SearchParamType type) =>
            dialect.IsPostgres ? "" : $" INDEXED BY ix_{Table(type)["idx_".Length..]}_res";

        private string List(IEnumerable<string> values) => string.Join(", ", values.Select(v => P(v)));

        /// <summary>
        /// THE access hook: the condition under which the resource row <paramref name="alias"/> may take part
        /// in a result. Every resource row of every statement goes through here.
        /// </summary>
        public string Visible(string alias) => $"{alias}.deleted = 0 AND ({access(alias, _bag)})";

        private string TypeIs(string column, IReadOnlyList<string> types) =>
            types.Count == 1 ? $"{column} = {P(types[0])}" : $"{column} IN ({List(types)})";

        /// <summary>
        /// The WHERE of a search over the resource row <paramref name="r"/>. At most one criterion <em>drives</em>:
        /// it is written as <c>r.res_id IN (SELECT ... FROM idx_x ...)</c> (with res_type when several types are
        /// searched) with conditions an index range can serve, so the database starts from its (few) index rows,
        /// then reads those resources by primary key; every other criterion is a
        /// correlated <c>EXISTS</c> / <c>NOT EXISTS</c> on the per-resource index (<c>ix_*_res</c>), checked only for
        /// the candidates. Cost then grows with the driving criterion's matches instead of with the tables.
        /// See <see cref="DriveRank"/> for which criterion drives.
        /// </summary>
        public string SearchWhere(SearchRequest request, string r)
        {
            var sb = new StringBuilder(Visible(r));
            if (request.Types.Count > 0)
                sb.Append(" AND ").Append(TypeIs($"{r}.res_type", request.Types));
            var driver = probesOnly ? -1 : Driver(request.Criteria);
            // Without a driving list (and no _id), _lastUpdated may use its own index (res_type, last_updated).
            var free = !probesOnly && driver < 0 && !request.Criteria.Any(c => DriveRank(c) == 0);
            for (var n = 0; n < request.Criteria.Count; n++)
            {
                var c = request.Criteria[n];
                var drive = n == driver || (free && c is ParamCriterion { Name: "_lastUpdated" });
                sb.Append(" AND ").Append(Criterion(c, r, request.Types, drive));
            }
            return sb.ToString();
        }

        /// <summary>
        /// The index of the criterion that drives, or -1 when none should: when an <c>_id</c> criterion already
        /// pins the rows (through the primary key), or when no criterion can be served by an index range (then the
        /// resource rows of the type are walked in key order, which stops early for a page).
        /// </summary>
        private static int Driver(IReadOnlyList<SearchCriterion> criteria)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var n = 0; n < criteria.Count; n++)
            {
                if (DriveRank(criteria[n]) is not { } rank) continue;
                if (rank == 0) return -1;
                if (rank < bestRank) (best, bestRank) = (n, rank);
            }
            return best;
        }

        /// <summary>
        /// How well a criterion drives a search (lower is better), from what it usually selects, or null when it
        /// cannot (negations, :missing, :contains, :text, ne, a bare system or url: no index range serves them).
        /// 0: <c>_id</c> (the primary key: nothing else needs to drive). 1: a reference to an id. 2: a token code.
        /// 3: a string prefix or exact value, a uri. 4: a bounded date, number or quantity (eq, ap), a chain or
        /// _has. 5: a token code of a parameter with few distinct codes (gender, status ...). 6: an open range
        /// (gt, lt, ge, le, sa, eb). Ties go to the first criterion in the query.
        /// </summary>
        private static int? DriveRank(SearchCriterion criterion) => criterion switch
        {
            ParamCriterion { Name: "_id", Modifier: SearchModifier.None } => 0,
            ParamCriterion p => ParamRank(p),
            ChainCriterion c => LinkedRank(c.Target),
            HasCriterion h => LinkedRank(h.Source),
            _ => null,
        };

        /// <summary>A chain or _has drives when its criterion on the other resource does (by id: as a reference to an id).</summary>
        private static int? LinkedRank(ParamCriterion p) =>
            p is { Name: "_id", Modifier: SearchModifier.None } ? 1 : ParamRank(p) is null ? null : 4;

        private static int? ParamRank(ParamCriterion p)
        {
            if (p.Name is "_id" or "_lastUpdated") return null; // on the resource row itself
            if (p.Modifier is SearchModifier.Missing or SearchModifier.Not or SearchModifier.Contains or SearchModifier.Text or SearchModifier.Above)
                return null;
            var worst = 0;
            foreach (var v in p.Values)
            {
                int? rank = (p.Type, v) switch
                {
                    (SearchParamType.Reference, ReferenceSearchValue { Url: null, TargetId: not null }) => 1,
                    (SearchParamType.Token, TokenSearchValue { Code: not null }) => FewCodes.Contains(p.Name) ? 5 : 2,
                    (SearchParamType.String, StringSearchValue { Normalized.Length: > 0 }) => 3,
                    (SearchParamType.Uri, UriSearchValue { Uri.Length: > 0 }) => 3,
                    (SearchParamType.Date, DateSearchValue d) => RangeRank(d.Prefix),
                    // sa/eb compare the value's own low/high, which no index holds.
                    (SearchParamType.Number, NumberSearchValue { Prefix: not (SearchPrefix.Sa or SearchPrefix.Eb) } n) => RangeRank(n.Prefix),
                    (SearchParamType.Quantity, QuantitySearchValue { Prefix: not (SearchPrefix.Sa or SearchPrefix.Eb) } q) => RangeRank(q.Prefix),
                    _ => null,
                };
                if (rank is null) return null;
                worst = Math.Max(worst, rank.Value);
            }
            return worst;
        }

        private static int? RangeRank(SearchPrefix prefix) => prefix switch
        {
            SearchPrefix.Eq or SearchPrefix.Ap => 4,
            SearchPrefix.Ne => null,
            _ => 6,
        };

        /// <summary>
        /// Token parameters over codes with a handful of values (required bindings, booleans): as selective as
        /// a range at best, so a reference, identifier or name drives before them.
        /// </summary>
        private static readonly HashSet<string> FewCodes = new(StringComparer.Ordinal)
        {
            "gender", "status", "active", "intent", "priority", "deceased", "experimental", "lifecycle-status",
            "achievement-status", "clinical-status", "verification-status", "criticality", "severity", "category", "_security",
        };

        /// <summary>(type, id) pairs as <c>(typeCol = @t AND idCol IN (...)) OR ...</c>, grouped by type.</summary>
        public string RowsIn(string typeColumn, string idColumn, IReadOnlyList<(string Type, string Id)> rows)
        {
            var groups = rows.GroupBy(m => m.Type, StringComparer.Ordinal)
                .Select(g => $"({typeColumn} = {P(g.Key)} AND {idColumn} IN ({List(g.Select(m => m.Id).Distinct(StringComparer.Ordinal))}))");
            return "(" + string.Join(" OR ", groups) + ")";
        }

        /// <summary>The include specs as conditions on the idx_reference row <paramref name="i"/>.</summary>
        public string IncludeSpecs(IReadOnlyList<IncludeSpec> specs, string i)
        {
            var alternatives = new List<string>();
            foreach (var spec in specs)
            {
                var parts = new List<string>();
                if (spec.SourceType is not null) parts.Add($"{i}.res_type = {P(spec.SourceType)}");
                if (spec.Param != "*") parts.Add($"{i}.param = {P(spec.Param)}");
                if (spec.TargetType is not null) parts.Add($"{i}.target_type = {P(spec.TargetType)}");
                if (parts.Count == 0) return "1=1";
                alternatives.Add("(" + string.Join(" AND ", parts) + ")");
            }
            return "(" + string.Join(" OR ", alternatives) + ")";
        }

        /// <summary>
        /// A criterion on the resource row <paramref name="r"/>, whose type is one of <paramref name="types"/>
        /// (empty = any; used to narrow the index lookups).
        /// </summary>
        private string Criterion(SearchCriterion criterion, string r, IReadOnlyList<string> types, bool drive) => criterion switch
        {
            ParamCriterion p => Param(p, r, types, drive),
            ChainCriterion c => Chain(c, r, types, drive),
            HasCriterion h => Has(h, r, types, drive),
            _ => throw new InvalidOperationException($"Unknown criterion {criterion.GetType().Name}."),
        };

        /// <summary>
        /// Chain: the row's reference points at a visible target satisfying the target criterion (which drives
        /// inside: it is the only criterion on the target). Driving: the referring rows as an IN list; else an
        /// EXISTS over the row's own references.
        /// </summary>
        private string Chain(ChainCriterion c, string r, IReadOnlyList<string> types, bool drive)
        {
            var i = Alias("c");
            var t = Alias("t");
            var sb = new StringBuilder();
            if (drive)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{KeyIn(r, types)} (SELECT {KeyOf(i, types)} FROM idx_reference {i} ");
                sb.Append(CultureInfo.InvariantCulture, $"JOIN resource {t} ON {t}.res_type = {i}.target_type AND {t}.res_id = {i}.target_id WHERE ");
                if (types.Count > 0) sb.Append(TypeIs($"{i}.res_type", types)).Append(" AND ");
            }
            else
            {
                // CROSS JOIN: SQLite keeps this order (the row's references first, then their targets).
                sb.Append(CultureInfo.InvariantCulture, $"EXISTS (SELECT 1 FROM idx_reference {i}{PerResource(SearchParamType.Reference)} ");
                sb.Append(CultureInfo.InvariantCulture, $"CROSS JOIN resource {t} WHERE {t}.res_type = {i}.target_type AND {t}.res_id = {i}.target_id AND ");
                sb.Append(CultureInfo.InvariantCulture, $"{i}.res_type = {r}.res_type AND {i}.res_id = {r}.res_id AND ");
            }
            sb.Append(CultureInfo.InvariantCulture, $"{i}.param = {P(c.ReferenceParam)} AND {TypeIs($"{i}.target_type", c.TargetTypes)} AND ");
            sb.Append(Visible(t)).Append(" AND ");
            sb.Append(Param(c.Target, t, c.TargetTypes, drive: !probesOnly)).Append(')');
            return sb.ToString();
        }

        /// <summary>_has: a visible source of the given type refers to the row and satisfies the source criterion.</summary>
        private string Has(HasCriterion h, string r, IReadOnlyList<string> types, bool drive)
        {
            var i = Alias("h");
            var s = Alias("s");
            var head = drive
                ? (types.Count == 1
                    ? $"{r}.res_id IN (SELECT {i}.target_id FROM idx_reference {i} "
                    : $"({r}.res_type, {r}.res_id) IN (SELECT {i}.target_type, {i}.target_id FROM idx_reference {i} ") +
                  $"JOIN resource {s} ON {s}.res_type = {i}.res_type AND {s}.res_id = {i}.res_id WHERE " +
                  (types.Count == 1 ? $"{i}.target_type = {P(types[0])} AND " : "")
                : $"EXISTS (SELECT 1 FROM idx_reference {i}{(dialect.IsPostgres ? "" : " INDEXED BY ix_reference_target")} " +
                  $"CROSS JOIN resource {s} WHERE {s}.res_type = {i}.res_type AND {s}.res_id = {i}.res_id AND " +
                  $"{i}.target_type = {r}.res_type AND {i}.target_id = {r}.res_id AND ";
            return head + $"{i}.res_type = {P(h.SourceType)} AND {i}.param = {P(h.ReferenceParam)} AND {Visible(s)} AND " +
                   $"{Param(h.Source, s, [h.SourceType], drive: !probesOnly)})";
        }

        private string Param(ParamCriterion p, string r, IReadOnlyList<string> types, bool drive)
        {
            if (p.Name == "_id") return Id(p, r);
            if (p.Name == "_lastUpdated") return LastUpdated(p, r, drive);

            if (p.Modifier == SearchModifier.Missing)
            {
                var missing = ((MissingSearchValue)p.Values[0]).Missing;
                return missing ? Exists(p, r, null, negate: true) : Exists(p, r, null, negate: false);
            }
            if (p.Modifier == SearchModifier.Not)
                return Exists(p, r, i => AnyOf(p, i, drive: false), negate: true);
            // A criterion that cannot drive (DriveRank null) is still correct as an IN list, but scans its parameter.
            return drive && ParamRank(p) is not null
                ? In(p, r, types, i => AnyOf(p, i, drive: true))
                : Exists(p, r, i => AnyOf(p, i, drive: false), negate: false);
        }

        /// <summary>
        /// <c>r.res_id IN</c> when the search has one type (the subquery then selects <see cref="KeyOf"/> = res_id of
        /// that type): SQLite reads such a list once, a (res_type, res_id) row-value list twice.
        /// </summary>
        private static string KeyIn(string r, IReadOnlyList<string> types) =>
            types.Count == 1 ? $"{r}.res_id IN" : $"({r}.res_type, {r}.res_id) IN";

        private static string KeyOf(string i, IReadOnlyList<string> types) =>
            types.Count == 1 ? $"{i}.res_id" : $"{i}.res_type, {i}.res_id";

        /// <summary>The row has an index row of the parameter satisfying <paramref name="condition"/>, as an IN list (driving).</summary>
        private string In(ParamCriterion p, string r, IReadOnlyList<string> types, Func<string, string> condition)
        {
            var i = Alias("i");
            var sb = new StringBuilder($"{KeyIn(r, types)} (SELECT {KeyOf(i, types)} FROM {Table(p.Type)} {i} WHERE ");
            if (types.Count > 0) sb.Append(TypeIs($"{i}.res_type", types)).Append(" AND ");
            sb.Append(CultureInfo.InvariantCulture, $"{i}.param = {P(p.Name)}");
            sb.Append(" AND ").Append(condition(i));
            return sb.Append(')').ToString();
        }

        /// <summary>The row has (or, <paramref name="negate"/>d, has no) index row of the parameter (satisfying <paramref name="condition"/>), looked up by the row's key.</summary>
        private string Exists(ParamCriterion p, string r, Func<string, string>? condition, bool negate)
        {
            var i = Alias("i");
            var sb = new StringBuilder(negate ? "NOT EXISTS" : "EXISTS");
            sb.Append(CultureInfo.InvariantCulture, $" (SELECT 1 FROM {Table(p.Type)} {i}{PerResource(p.Type)} WHERE {i}.res_type = {r}.res_type AND {i}.res_id = {r}.res_id AND {i}.param = {P(p.Name)}");
            if (condition is not null) sb.Append(" AND ").Append(condition(i));
            return sb.Append(')').ToString();
        }

        /// <summary>
        /// The values of a criterion, ORed, on the index row <paramref name="i"/>. When it <paramref name="drive"/>s,
        /// each value also states the index range it lies in (implied by the condition, so the result is the same):
        /// the database can then seek instead of reading every row of the parameter.
        /// </summary>
        private string AnyOf(ParamCriterion p, string i, bool drive) =>
            "(" + string.Join(" OR ", p.Values.Select(v => "(" + Value(p, v, i, drive) + ")")) + ")";

        private string Value(ParamCriterion p, SearchValue value, string i, bool drive) => (p.Type, value) switch
        {
            (SearchParamType.String, StringSearchValue s) => p.Modifier switch
            {
                // norm is a function of exact (TextNormalizer), so equal exact values have equal norms.
                SearchModifier.Exact => (drive ? $"{i}.norm = {P(s.Normalized)} AND " : "") + $"{i}.exact = {P(s.Value)}",
                SearchModifier.Contains => Like($"{i}.norm", "%" + SqlDialect.EscapeLike(s.Normalized) + "%"),
                _ => (drive ? PrefixRange($"{i}.norm", s.Normalized) : "") + Like($"{i}.norm", SqlDialect.EscapeLike(s.Normalized) + "%"),
            },
            (SearchParamType.Token, StringSearchValue s) => Like($"{i}.text", SqlDialect.EscapeLike(s.Normalized) + "%"),
            (SearchParamType.Token, TokenSearchValue t) => Token(t, i),
            (SearchParamType.Reference, ReferenceSearchValue v) => Reference(v, i),
            (SearchParamType.Date, DateSearchValue d) => Date(d, $"{i}.start_ms", $"{i}.end_ms", drive),
            (SearchParamType.Number, NumberSearchValue n) => Number(n.Prefix, n.Value, n.Low, n.High, i),
            (SearchParamType.Quantity, QuantitySearchValue q) => Quantity(q, i),
            (SearchParamType.Uri, UriSearchValue u) => p.Modifier switch
            {
                // LIKE lets PostgreSQL use the index; substr keeps it case-sensitive on SQLite (whose LIKE ignores ASCII case).
                SearchModifier.Below => (drive ? PrefixRange($"{i}.uri", u.Uri) : "") +
                                        Like($"{i}.uri", SqlDialect.EscapeLike(u.Uri) + "%") + $" AND {StartsWith($"{i}.uri", u.Uri)}",
                // The stored uri is a prefix of the value.
                SearchModifier.Above => $"{i}.uri <> '' AND substr({P(u.Uri)}, 1, length({i}.uri)) = {i}.uri",
                _ => $"{i}.uri = {P(u.Uri)}",
            },
            _ => throw new InvalidOperationException($"A {value.GetType().Name} does not belong to a {p.Type} parameter."),
        };

        private string Like(string column, string pattern) => $"{column} LIKE {P(pattern)}{SqlDialect.LikeEscape}";

        /// <summary>
        /// <c>column &gt;= prefix AND column &lt; successor AND </c>: the binary range of the values starting with
        /// <paramref name="prefix"/>, for SQLite, whose LIKE (case-insensitive) never uses a BINARY index. PostgreSQL
        /// (C collation) derives this range from LIKE itself; under another collation the range would be wrong, so
        /// it is left to LIKE there.
        /// </summary>
        private string PrefixRange(string column, string prefix)
        {
            if (dialect.IsPostgres || prefix.Length == 0) return "";
            var sql = $"{column} >= {P(prefix)} AND ";
            return PrefixSuccessor(prefix) is { } next ? sql + $"{column} < {P(next)} AND " : sql;
        }

        private string StartsWith(string column, string value)
        {
            var v = P(value);
            return $"substr({column}, 1, length({v})) = {v}";
        }

        private string Token(TokenSearchValue t, string i)
        {
            if (t.System is null) return $"{i}.code = {P(t.Code!)}";
            if (t.Code is null) return $"{i}.system = {P(t.System)}";
            return $"{i}.system = {P(t.System)} AND {i}.code = {P(t.Code)}";
        }

        private string Reference(ReferenceSearchValue v, string i)
        {
            var local = v.TargetId is null ? null
                : v.TargetType is null ? $"{i}.target_id = {P(v.TargetId)}"
                : $"{i}.target_type = {P(v.TargetType)} AND {i}.target_id = {P(v.TargetId)}";
            if (v.Url is null) return local!;
            var url = $"{i}.url = {P(v.Url)}";
            return local is null ? url : $"{url} OR ({local})";
        }

        /// <summary>
        /// R4 date prefixes on the indexed range [<paramref name="start"/>, <paramref name="end"/>] (see <see cref="SearchParser"/>).
        /// With <paramref name="drive"/>, ge and le also state the bound they imply (the indexer keeps start ≤ end),
        /// so that (res_type, param, end_ms) or (res_type, param, start_ms) serves them; eq gets its upper bound on start.
        /// </summary>
        private string Date(DateSearchValue d, string start, string end, bool drive)
        {
            string S1() => P(d.Start);
            string S2() => P(d.End);
            return d.Prefix switch
            {
                SearchPrefix.Eq => drive ? $"{start} >= {S1()} AND {start} <= {S2()} AND {end} <= {S2()}" : $"{start} >= {S1()} AND {end} <= {S2()}",
                SearchPrefix.Ne => $"{start} < {S1()} OR {end} > {S2()}",
                SearchPrefix.Gt => $"{end} > {S2()}",
                SearchPrefix.Lt => $"{start} < {S1()}",
                SearchPrefix.Ge => (drive ? $"{end} >= {S1()} AND " : "") + $"({end} > {S2()} OR ({start} >= {S1()} AND {end} <= {S2()}))",
                SearchPrefix.Le => (drive ? $"{start} <= {S2()} AND " : "") + $"({start} < {S1()} OR ({start} >= {S1()} AND {end} <= {S2()}))",
                SearchPrefix.Sa => $"{start} > {S2()}",
                SearchPrefix.Eb => $"{end} < {S1()}",
                SearchPrefix.Ap => $"{start} <= {S2()} AND {end} >= {S1()}",
                _ => throw new InvalidOperationException(),
            };
        }

        /// <summary>Number prefixes on the stored value (and its own range for sa/eb); see <see cref="SearchParser"/>. All but ne, sa and eb are a range of (res_type, param, value).</summary>
        private string Number(SearchPrefix prefix, decimal value, decimal low, decimal high, string i) => prefix switch
        {
            SearchPrefix.Eq => $"{i}.value >= {Dec(low)} AND {i}.value < {Dec(high)}",
            SearchPrefix.Ne => $"{i}.value < {Dec(low)} OR {i}.value >= {Dec(high)}",
            SearchPrefix.Gt => $"{i}.value > {Dec(value)}",
            SearchPrefix.Lt => $"{i}.value < {Dec(value)}",
            SearchPrefix.Ge => $"{i}.value >= {Dec(value)}",
            SearchPrefix.Le => $"{i}.value <= {Dec(value)}",
            SearchPrefix.Sa => $"{i}.low > {Dec(value)}",
            SearchPrefix.Eb => $"{i}.high < {Dec(value)}",
            SearchPrefix.Ap => $"{i}.value >= {Dec(low)} AND {i}.value <= {Dec(high)}",
            _ => throw new InvalidOperationException(),
        };

        private string Quantity(QuantitySearchValue q, string i)
        {
            var sql = "(" + Number(q.Prefix, q.Value, q.Low, q.High, i) + ")";
            if (q.System is not null) sql += $" AND {i}.system = {P(q.System)}";
            if (q.Code is not null)
            {
                var code = P(q.Code);
                sql += q.System is null ? $" AND ({i}.code = {code} OR {i}.unit = {code})" : $" AND {i}.code = {code}";
            }
            return sql;
        }

        private string Id(ParamCriterion p, string r)
        {
            if (p.Modifier == SearchModifier.Missing)
                return ((MissingSearchValue)p.Values[0]).Missing ? "1=0" : "1=1";
            var ids = List(p.Values.Cast<TokenSearchValue>().Select(t => t.Code!));
            return p.Modifier == SearchModifier.Not ? $"{r}.res_id NOT IN ({ids})" : $"{r}.res_id IN ({ids})";
        }

        /// <summary>
        /// _lastUpdated on the resource row. Driving (nothing else does), its bounds make a range of
        /// (res_type, last_updated). Otherwise SQLite must not take that range instead of the driving list (it would,
        /// and read every resource updated in the range): <c>+column</c> keeps the index out of its reach.
        /// </summary>
        private string LastUpdated(ParamCriterion p, string r, bool drive)
        {
            if (p.Modifier == SearchModifier.Missing)
                return ((MissingSearchValue)p.Values[0]).Missing ? "1=0" : "1=1";
            var column = drive || dialect.IsPostgres ? $"{r}.last_updated" : $"+{r}.last_updated";
            return "(" + string.Join(" OR ", p.Values.Cast<DateSearchValue>().Select(d => "(" + Date(d, column, column, drive) + ")")) + ")";
        }

        public string OrderBy(SearchRequest request, string r)
        {
            var keys = new List<string>();
            foreach (var key in request.Sort)
            {
                var dir = key.Descending ? "DESC" : "ASC";
                if (key.Name == "_id") { keys.Add($"{r}.res_id {dir}"); continue; }
                if (key.Name == "_lastUpdated") { keys.Add($"{r}.last_updated {dir}"); continue; }

                var agg = key.Descending ? "MAX" : "MIN";
                var j = Alias("o");
                var column = key.Type switch
                {
                    SearchParamType.String => $"{j}.norm",
                    SearchParamType.Token => $"{j}.code",
                    SearchParamType.Date => key.Descending ? $"{j}.end_ms" : $"{j}.start_ms",
                    SearchParamType.Number or SearchParamType.Quantity => $"{j}.value",
                    SearchParamType.Uri => $"{j}.uri",
                    SearchParamType.Reference => $"COALESCE({j}.target_type || '/' || {j}.target_id, {j}.url)",
                    _ => throw FhirException.NotSupported(Text.Format(FhirText.SearchSortNotSupported, key.Name)),
                };
                keys.Add($"(SELECT {agg}({column}) FROM {Table(key.Type)} {j}{PerResource(key.Type)} WHERE {j}.res_type = {r}.res_type AND {j}.res_id = {r}.res_id AND {j}.param = {P(key.Name)}) {dir} NULLS LAST");
            }
            keys.Add($"{r}.res_type");
            keys.Add($"{r}.res_id");
            return string.Join(", ", keys);
        }
    }
}
