using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Pgo.Fhir.Access;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Query;
using Pgo.Fhir.Storage;

namespace Pgo.Bench;

/// <summary>
/// <c>plans &lt;connection&gt; [patients] [runs] [query ...]</c>: the SQL the search builder composes for the
/// benchmark searches, its plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (ANALYZE, BUFFERS)), and
/// its time when run directly against the database (no HTTP), <paramref name="runs"/> times with random
/// patients. A query is <c>Type?query</c> in which <c>{p}</c> is a patient number and <c>{family}</c> that
/// patient's family name, as the loader wrote them; <c>{from}</c>/<c>{to}</c> its <see cref="BenchData.SearchWindow"/>.
/// PGO_PLANS_PRAGMA, when set, is run on the connection first (e.g. <c>PRAGMA mmap_size=1073741824</c>) to try settings. Read-only: it never changes the database.
/// </summary>
internal static class Plans
{
    public static readonly string[] BenchQueries =
    [
        "Patient?identifier=urn:pgo:bench|p{p}",
        "Patient?family={family}",
        "Observation?subject=Patient/bench-p{p}&date=ge{from}&date=le{to}&_count=20",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: plans <connection> [patients] [runs] [Type?query ...]");
            return 2;
        }
        var connection = args[1];
        if (args.Length > 2 && args[2] == "sql") return await RawAsync(connection, args[3..]);
        var patients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
        var queries = args.Length > 4 ? args[4..] : BenchQueries;
        var postgres = connection.Contains("Host=", StringComparison.OrdinalIgnoreCase);
        var dialect = postgres ? SqlDialect.Postgres : SqlDialect.Sqlite;
        await using var conn = postgres
            ? (DbConnection)new NpgsqlConnection(connection)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = connection, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await conn.OpenAsync();
        if (Environment.GetEnvironmentVariable("PGO_PLANS_PRAGMA") is { Length: > 0 } pragma)
        {
            await using var pc = conn.CreateCommand();
            pc.CommandText = pragma;
            await pc.ExecuteNonQueryAsync();
        }
        var random = new Random(7);

        foreach (var template in queries)
        {
            var (type, query) = Split(template);
            var request = SearchParser.Default.ParseQueryString(type, Fill(query, patients / 2));
            Console.WriteLine($"## {template}  ({dialect.Name})");
            foreach (var (kind, sql) in new[] { ("page", SearchSqlBuilder.BuildPage(request, dialect, AccessScope.Unrestricted)), ("count", SearchSqlBuilder.BuildCount(request, dialect, AccessScope.Unrestricted)) })
            {
                Console.WriteLine($"### {kind}");
                Console.WriteLine(Inline(sql));
                Console.WriteLine();
                foreach (var line in await ExplainAsync(conn, sql, postgres)) Console.WriteLine("    " + line);
                Console.WriteLine();
            }

            // Timing: page and count query for random patients.
            var pageMs = new List<double>();
            var countMs = new List<double>();
            long rows = 0, counted = 0;
            for (var i = 0; i < runs; i++)
            {
                var r = SearchParser.Default.ParseQueryString(type, Fill(query, random.Next(patients)));
                var sw = Stopwatch.StartNew();
                rows += await RowsAsync(conn, SearchSqlBuilder.BuildPage(r, dialect, AccessScope.Unrestricted));
                pageMs.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                counted += await CountAsync(conn, SearchSqlBuilder.BuildCount(r, dialect, AccessScope.Unrestricted));
                countMs.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"time over {runs} runs: page p50 {Pct(pageMs, 50):F2} ms p99 {Pct(pageMs, 99):F2} ms, {rows / (double)runs:F1} rows; " +
                $"count p50 {Pct(countMs, 50):F2} ms p99 {Pct(countMs, 99):F2} ms, {counted / (double)runs:F1} matches"));
            Console.WriteLine();
        }
        return 0;
    }

    /// <summary><c>plans &lt;connection&gt; sql "SELECT ..." ...</c>: plan and time (50 runs) of hand-written statements.</summary>
    private static async Task<int> RawAsync(string connection, string[] statements)
    {
        var postgres = connection.Contains("Host=", StringComparison.OrdinalIgnoreCase);
        await using var conn = postgres
            ? (DbConnection)new NpgsqlConnection(connection)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = connection, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await conn.OpenAsync();
        foreach (var sql in statements)
        {
            var q = new SqlQuery(sql, []);
            Console.WriteLine(sql);
            foreach (var line in await ExplainAsync(conn, q, postgres)) Console.WriteLine("    " + line);
            var ms = new List<double>();
            long rows = 0;
            for (var i = 0; i < 50; i++)
            {
                var sw = Stopwatch.StartNew();
                await using var cmd = Command(conn, sql, q);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) rows++;
                ms.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time: p50 {Pct(ms, 50):F2} ms p99 {Pct(ms, 99):F2} ms, {rows / 50.0:F1} rows"));
            Console.WriteLine();
        }
        return 0;
    }

    private static (string? Type, string Query) Split(string template)
    {
        var q = template.IndexOf('?');
        var type = q < 0 ? template : template[..q];
        return (type.Length == 0 ? null : type, q < 0 ? "" : template[(q + 1)..]);
    }

    private static string Fill(string query, int p)
    {
        var (from, to) = BenchData.SearchWindow(p);
        return query.Replace("{p}", p.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{family}", Uri.EscapeDataString(BenchData.Family(p)), StringComparison.Ordinal)
            .Replace("{from}", from, StringComparison.Ordinal)
            .Replace("{to}", to, StringComparison.Ordinal);
    }

    private static double Pct(List<double> values, int pct)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(pct / 100.0 * sorted.Count) - 1)];
    }

    /// <summary>The statement with its parameters written in, for reading (never for running).</summary>
    internal static string Inline(SqlQuery q)
    {
        var sql = q.Sql;
        foreach (var (name, value) in q.Parameters.Reverse())
            sql = sql.Replace(name, value switch
            {
                string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
                null => "NULL",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString()!,
            }, StringComparison.Ordinal);
        return sql;
    }

    private static DbCommand Command(DbConnection conn, string sql, SqlQuery q)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in q.Parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    internal static async Task<List<string>> ExplainAsync(DbConnection conn, SqlQuery q, bool postgres)
    {
        await using var cmd = Command(conn, (postgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ") + q.Sql, q);
        await using var reader = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        var depth = new Dictionary<long, int>();
        while (await reader.ReadAsync())
        {
            if (postgres) { lines.Add(reader.GetString(0)); continue; }
            // SQLite: id, parent, notused, detail
            var id = reader.GetInt64(0);
            var parent = reader.GetInt64(1);
            var d = depth.TryGetValue(parent, out var pd) ? pd + 1 : 0;
            depth[id] = d;
            lines.Add(new string(' ', 2 * d) + reader.GetString(3));
        }
        return lines;
    }

    private static async Task<long> RowsAsync(DbConnection conn, SqlQuery q)
    {
        await using var cmd = Command(conn, q.Sql, q);
        await using var reader = await cmd.ExecuteReaderAsync();
        long n = 0;
        var sb = new StringBuilder();
        while (await reader.ReadAsync())
        {
            n++;
            sb.Clear().Append(reader.GetString(4)); // read the JSON, as the server does
        }
        return n;
    }

    private static async Task<long> CountAsync(DbConnection conn, SqlQuery q)
    {
        await using var cmd = Command(conn, q.Sql, q);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
