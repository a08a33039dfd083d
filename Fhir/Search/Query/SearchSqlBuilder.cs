using System.Text;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Storage;

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

    internal static SqlQuery BuildPage(SearchRequest request, SqlDialect dialect, AccessPredicate access)
    {
        var b = new Builder(dialect, access);
        var where = b.SearchWhere(request, "r");
        var order = b.OrderBy(request, "r");
        var limit = b.P((long)request.Count + 1);
        var offset = b.P((long)request.Offset);
        return b.Query($"SELECT r.res_type, r.res_id, r.version, r.last_updated, r.json FROM resource r WHERE {where} ORDER BY {order} LIMIT {limit} OFFSET {offset}");
    }

    internal static SqlQuery BuildCount(SearchRequest request, SqlDialect dialect, AccessPredicate access)
    {
        var b = new Builder(dialect, access);
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

    private static string Table(SearchParamType type) => type switch
    {
        SearchParamType.String => "idx_string",
        SearchParamType.Token => "idx_token",
        SearchParamType.Reference => "idx_reference",
        SearchParamType.Date => "idx_date",
        SearchParamType.Number => "idx_number",
        SearchParamType.Quantity => "idx_quantity",
        SearchParamType.Uri => "idx_uri",
        _ => throw FhirException.NotSupported($"Search parameters of type {type} are not supported."),
    };

    /// <summary>SQL text and parameters of one statement under construction.</summary>
    private sealed class Builder(SqlDialect dialect, AccessPredicate access)
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

        /// <summary>The WHERE of a search over the resource row <paramref name="r"/>.</summary>
        public string SearchWhere(SearchRequest request, string r)
        {
            var sb = new StringBuilder(Visible(r));
            if (request.Types.Count > 0)
                sb.Append(" AND ").Append(TypeIs($"{r}.res_type", request.Types));
            foreach (var c in request.Criteria)
                sb.Append(" AND ").Append(Criterion(c, r, request.Types));
            return sb.ToString();
        }

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
        private string Criterion(SearchCriterion criterion, string r, IReadOnlyList<string> types) => criterion switch
        {
            ParamCriterion p => Param(p, r, types),
            ChainCriterion c => Chain(c, r, types),
            HasCriterion h => Has(h, r),
            _ => throw new InvalidOperationException($"Unknown criterion {criterion.GetType().Name}."),
        };

        private string Chain(ChainCriterion c, string r, IReadOnlyList<string> types)
        {
            var i = Alias("c");
            var t = Alias("t");
            var sb = new StringBuilder();
            sb.Append($"({r}.res_type, {r}.res_id) IN (SELECT {i}.res_type, {i}.res_id FROM idx_reference {i} ");
            sb.Append($"JOIN resource {t} ON {t}.res_type = {i}.target_type AND {t}.res_id = {i}.target_id WHERE ");
            if (types.Count > 0) sb.Append(TypeIs($"{i}.res_type", types)).Append(" AND ");
            sb.Append($"{i}.param = {P(c.ReferenceParam)} AND {TypeIs($"{i}.target_type", c.TargetTypes)} AND ");
            sb.Append(Visible(t)).Append(" AND ");
            sb.Append(Param(c.Target, t, c.TargetTypes)).Append(')');
            return sb.ToString();
        }

        private string Has(HasCriterion h, string r)
        {
            var i = Alias("h");
            var s = Alias("s");
            return $"({r}.res_type, {r}.res_id) IN (SELECT {i}.target_type, {i}.target_id FROM idx_reference {i} " +
                   $"JOIN resource {s} ON {s}.res_type = {i}.res_type AND {s}.res_id = {i}.res_id " +
                   $"WHERE {i}.res_type = {P(h.SourceType)} AND {i}.param = {P(h.ReferenceParam)} AND {Visible(s)} AND " +
                   $"{Param(h.Source, s, [h.SourceType])})";
        }

        private string Param(ParamCriterion p, string r, IReadOnlyList<string> types)
        {
            if (p.Name == "_id") return Id(p, r);
            if (p.Name == "_lastUpdated") return LastUpdated(p, r);

            if (p.Modifier == SearchModifier.Missing)
            {
                var missing = ((MissingSearchValue)p.Values[0]).Missing;
                return missing ? NotExists(p, r, null) : In(p, r, types, null);
            }
            if (p.Modifier == SearchModifier.Not)
                return NotExists(p, r, i => AnyOf(p, i));
            return In(p, r, types, i => AnyOf(p, i));
        }

        /// <summary>The row has an index row of the parameter (satisfying <paramref name="condition"/>).</summary>
        private string In(ParamCriterion p, string r, IReadOnlyList<string> types, Func<string, string>? condition)
        {
            var i = Alias("i");
            var sb = new StringBuilder($"({r}.res_type, {r}.res_id) IN (SELECT {i}.res_type, {i}.res_id FROM {Table(p.Type)} {i} WHERE ");
            if (types.Count > 0) sb.Append(TypeIs($"{i}.res_type", types)).Append(" AND ");
            sb.Append($"{i}.param = {P(p.Name)}");
            if (condition is not null) sb.Append(" AND ").Append(condition(i));
            return sb.Append(')').ToString();
        }

        /// <summary>The row has no index row of the parameter (satisfying <paramref name="condition"/>).</summary>
        private string NotExists(ParamCriterion p, string r, Func<string, string>? condition)
        {
            var i = Alias("i");
            var sb = new StringBuilder($"NOT EXISTS (SELECT 1 FROM {Table(p.Type)} {i}{PerResource(p.Type)} WHERE {i}.res_type = {r}.res_type AND {i}.res_id = {r}.res_id AND {i}.param = {P(p.Name)}");
            if (condition is not null) sb.Append(" AND ").Append(condition(i));
            return sb.Append(')').ToString();
        }

        private string AnyOf(ParamCriterion p, string i) =>
            "(" + string.Join(" OR ", p.Values.Select(v => "(" + Value(p, v, i) + ")")) + ")";

        private string Value(ParamCriterion p, SearchValue value, string i) => (p.Type, value) switch
        {
            (SearchParamType.String, StringSearchValue s) => p.Modifier switch
            {
                SearchModifier.Exact => $"{i}.exact = {P(s.Value)}",
                SearchModifier.Contains => Like($"{i}.norm", "%" + SqlDialect.EscapeLike(s.Normalized) + "%"),
                _ => Like($"{i}.norm", SqlDialect.EscapeLike(s.Normalized) + "%"),
            },
            (SearchParamType.Token, StringSearchValue s) => Like($"{i}.text", SqlDialect.EscapeLike(s.Normalized) + "%"),
            (SearchParamType.Token, TokenSearchValue t) => Token(t, i),
            (SearchParamType.Reference, ReferenceSearchValue v) => Reference(v, i),
            (SearchParamType.Date, DateSearchValue d) => Date(d, $"{i}.start_ms", $"{i}.end_ms"),
            (SearchParamType.Number, NumberSearchValue n) => Number(n.Prefix, n.Value, n.Low, n.High, i),
            (SearchParamType.Quantity, QuantitySearchValue q) => Quantity(q, i),
            (SearchParamType.Uri, UriSearchValue u) => p.Modifier switch
            {
                // LIKE lets PostgreSQL use the index; substr keeps it case-sensitive on SQLite (whose LIKE ignores ASCII case).
                SearchModifier.Below => Like($"{i}.uri", SqlDialect.EscapeLike(u.Uri) + "%") + $" AND {StartsWith($"{i}.uri", u.Uri)}",
                // The stored uri is a prefix of the value.
                SearchModifier.Above => $"{i}.uri <> '' AND substr({P(u.Uri)}, 1, length({i}.uri)) = {i}.uri",
                _ => $"{i}.uri = {P(u.Uri)}",
            },
            _ => throw new InvalidOperationException($"A {value.GetType().Name} does not belong to a {p.Type} parameter."),
        };

        private string Like(string column, string pattern) => $"{column} LIKE {P(pattern)}{SqlDialect.LikeEscape}";

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

        /// <summary>R4 date prefixes on the indexed range [<paramref name="start"/>, <paramref name="end"/>] (see <see cref="SearchParser"/>).</summary>
        private string Date(DateSearchValue d, string start, string end)
        {
            string S1() => P(d.Start);
            string S2() => P(d.End);
            return d.Prefix switch
            {
                SearchPrefix.Eq => $"{start} >= {S1()} AND {end} <= {S2()}",
                SearchPrefix.Ne => $"{start} < {S1()} OR {end} > {S2()}",
                SearchPrefix.Gt => $"{end} > {S2()}",
                SearchPrefix.Lt => $"{start} < {S1()}",
                SearchPrefix.Ge => $"{end} > {S2()} OR ({start} >= {S1()} AND {end} <= {S2()})",
                SearchPrefix.Le => $"{start} < {S1()} OR ({start} >= {S1()} AND {end} <= {S2()})",
                SearchPrefix.Sa => $"{start} > {S2()}",
                SearchPrefix.Eb => $"{end} < {S1()}",
                SearchPrefix.Ap => $"{start} <= {S2()} AND {end} >= {S1()}",
                _ => throw new InvalidOperationException(),
            };
        }

        /// <summary>Number prefixes on the stored value (and its own range for sa/eb); see <see cref="SearchParser"/>.</summary>
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

        private string LastUpdated(ParamCriterion p, string r)
        {
            if (p.Modifier == SearchModifier.Missing)
                return ((MissingSearchValue)p.Values[0]).Missing ? "1=0" : "1=1";
            var column = $"{r}.last_updated";
            return "(" + string.Join(" OR ", p.Values.Cast<DateSearchValue>().Select(d => "(" + Date(d, column, column) + ")")) + ")";
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
                    _ => throw FhirException.NotSupported($"Sorting by '{key.Name}' is not supported."),
                };
                keys.Add($"(SELECT {agg}({column}) FROM {Table(key.Type)} {j}{PerResource(key.Type)} WHERE {j}.res_type = {r}.res_type AND {j}.res_id = {r}.res_id AND {j}.param = {P(key.Name)}) {dir} NULLS LAST");
            }
            keys.Add($"{r}.res_type");
            keys.Add($"{r}.res_id");
            return string.Join(", ", keys);
        }
    }
}
