using System.Data;
using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Search.Indexing;

namespace Pgo.Fhir.Storage;

/// <summary>One resource of a bulk import, checked and indexed by the repository: stored as version 1.</summary>
internal sealed record ImportRow(string Type, string Id, string Json, string? Section, ResourceIndex Index);

/// <summary>
/// The bulk import path (<c>POST /fhir/$import</c>, docs/adr/0015-bulk-import.md): new resources only, all in one
/// transaction, written per table in bulk (PostgreSQL <c>COPY ... FROM STDIN (FORMAT BINARY)</c>, SQLite one prepared
/// statement per table reused for every row), with the import's audit records in the same transaction.
/// </summary>
internal sealed partial class SqlFhirStore
{
    /// <summary>
    /// Stores <paramref name="rows"/> as version 1 each, their index and compartment rows and <paramref name="audit"/>, in one
    /// transaction. When a row's type and id exist already (live, deleted or not visible to anyone) nothing is written and those
    /// rows' positions are returned; otherwise an empty list after the commit. No outbox rows (the ADR says why); the access
    /// stamp moves when a type the access policy reads was imported.
    /// </summary>
    public Task<IReadOnlyList<int>> ImportAsync(IReadOnlyList<ImportRow> rows, DateTimeOffset when, IReadOnlyList<AuditRecord> audit, CancellationToken ct = default) =>
        // The same transaction, locks and failure handling as every other writer: seq values and the audit chain are handed
        // out one writer at a time.
        InWriteTransactionAsync<IReadOnlyList<int>>(async (conn, tx) =>
        {
            var existing = await ExistingAsync(conn, tx, rows, ct);
            if (existing.Count > 0)
            {
                await tx.RollbackAsync(CancellationToken.None);
                return existing;
            }
            var ms = when.ToUnixTimeMilliseconds();
            var firstSeq = await ReserveSeqAsync(conn, tx, rows.Count, ct);
            if (Dialect.IsPostgres) await CopyAsync((NpgsqlConnection)conn, rows, ms, firstSeq, ct);
            else await InsertPreparedAsync(conn, tx, rows, ms, firstSeq, ct);
            await AppendAuditInTransactionAsync(conn, tx, audit, ct);
            if (rows.Any(r => AccessStampTypes.Contains(r.Type))) await ExecAsync(conn, tx, "UPDATE access_stamp SET n = n + 1 WHERE id = 1;", ct);
            await CommitAsync(tx);
            return [];
        }, ct);

    /// <summary>The positions in <paramref name="rows"/> whose type and id the store holds already (any version).</summary>
    private async Task<IReadOnlyList<int>> ExistingAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var found = new List<int>();
        if (Dialect.IsPostgres)
        {
            var position = new Dictionary<(string, string), int>(rows.Count);
            for (var i = 0; i < rows.Count; i++) position[(rows[i].Type, rows[i].Id)] = i;
            await using var cmd = ((NpgsqlConnection)conn).CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = "SELECT r.res_type, r.res_id FROM resource r JOIN unnest(@t, @i) AS k(t, i) ON r.res_type = k.t AND r.res_id = k.i";
            cmd.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Type).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("i", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Id).ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) found.Add(position[(reader.GetString(0), reader.GetString(1))]);
            found.Sort();
            return found;
        }
        await using var select = Prepared(conn, tx, "SELECT 1 FROM resource WHERE res_type = $t AND res_id = $i", "$t", "$i");
        for (var i = 0; i < rows.Count; i++)
        {
            select.Parameters[0].Value = rows[i].Type;
            select.Parameters[1].Value = rows[i].Id;
            if (await select.ExecuteScalarAsync(ct) is not null) found.Add(i);
        }
        return found;
    }

    /// <summary>Takes <paramref name="count"/> consecutive seq values of resource_version for this writer (it holds the
    /// writers' lock, so no one else takes any meanwhile) and returns the first.</summary>
    private async Task<long> ReserveSeqAsync(DbConnection conn, DbTransaction tx, int count, CancellationToken ct)
    {
        if (count == 0) return 0;
        if (Dialect.IsPostgres)
        {
            var first = Convert.ToInt64(await ScalarAsync(conn, tx, "SELECT nextval(pg_get_serial_sequence('resource_version', 'seq'))", [], ct), CultureInfo.InvariantCulture);
            if (count > 1)
                await ScalarAsync(conn, tx, "SELECT setval(pg_get_serial_sequence('resource_version', 'seq'), @last)", [new("@last", first + count - 1)], ct);
            return first;
        }
        // AUTOINCREMENT never hands out a value twice (sqlite_sequence keeps the largest ever used, also of purged rows);
        // explicit values above it move it on.
        var last = Convert.ToInt64(await ScalarAsync(conn, tx, """
            SELECT MAX(x) FROM (SELECT COALESCE(MAX(seq), 0) AS x FROM resource_version
                                UNION ALL SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'resource_version'), 0))
            """, [], ct), CultureInfo.InvariantCulture);
        return last + 1;
    }

    // ---------------------------------------------------------------- PostgreSQL: COPY (FORMAT BINARY)

    private async Task CopyAsync(NpgsqlConnection conn, IReadOnlyList<ImportRow> rows, long ms, long firstSeq, CancellationToken ct)
    {
        await using (var w = await conn.BeginBinaryImportAsync("COPY resource_version (seq, res_type, res_id, version, last_updated, deleted, method, json, section) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var k = 0; k < rows.Count; k++)
            {
                var r = rows[k];
                await w.StartRowAsync(ct);
                await w.WriteAsync(firstSeq + k, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.Type, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(1, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(ms, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync((short)0, NpgsqlDbType.Smallint, ct);
                await w.WriteAsync("POST", NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.Json, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(w, r.Section, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY resource (res_type, res_id, version, last_updated, deleted, seq, json, section) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var k = 0; k < rows.Count; k++)
            {
                var r = rows[k];
                await w.StartRowAsync(ct);
                await w.WriteAsync(r.Type, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(1, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(ms, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync((short)0, NpgsqlDbType.Smallint, ct);
                await w.WriteAsync(firstSeq + k, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.Json, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(w, r.Section, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY resource_version_compartment (res_type, res_id, version, patient_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var r in rows)
                foreach (var p in r.Index.PatientCompartment.Distinct(StringComparer.Ordinal))
                    await CopyRowAsync(w, ct, r.Type, r.Id, 1, p);
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY resource_compartment (res_type, res_id, patient_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var r in rows)
                foreach (var p in r.Index.PatientCompartment.Distinct(StringComparer.Ordinal))
                    await CopyRowAsync(w, ct, r.Type, r.Id, p);
            await w.CompleteAsync(ct);
        }
        foreach (var table in ImportTables)
        {
            await using var w = await conn.BeginBinaryImportAsync($"COPY {table.Name} (res_type, res_id, {string.Join(", ", table.Columns)}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var r in rows)
                foreach (var values in table.Rows(r.Index))
                {
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(r.Type, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                    foreach (var v in values) await WriteValueAsync(w, v, ct);
                }
            await w.CompleteAsync(ct);
        }
    }

    private static async Task CopyRowAsync(NpgsqlBinaryImporter w, CancellationToken ct, params object?[] values)
    {
        await w.StartRowAsync(ct);
        foreach (var v in values) await WriteValueAsync(w, v, ct);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static Task WriteValueAsync(NpgsqlBinaryImporter w, object? value, CancellationToken ct) => value switch
    {
        null => w.WriteNullAsync(ct),
        string s => w.WriteAsync(s, NpgsqlDbType.Text, ct),
        long l => w.WriteAsync(l, NpgsqlDbType.Bigint, ct),
        int i => w.WriteAsync(i, NpgsqlDbType.Integer, ct),
        decimal d => w.WriteAsync(d, NpgsqlDbType.Numeric, ct),
        _ => throw new InvalidOperationException($"No COPY type for {value.GetType().Name}."),
    };

    /// <summary>The index tables with their columns (after res_type, res_id) and a resource's rows for each, the same rows
    /// as the write path's index rows (decimals as decimal here; SQLite stores them as REAL).</summary>
    private sealed record ImportTable(string Name, string[] Columns, Func<ResourceIndex, IEnumerable<object?[]>> Rows);

    private static readonly ImportTable[] ImportTables =
    [
        new("idx_string", ["param", "norm", "exact"], x => x.Strings.Select(s => new object?[] { s.Param, s.Normalized, s.Exact })),
        new("idx_token", ["param", "system", "code", "text"], x => x.Tokens.Select(s => new object?[] { s.Param, s.System, s.Code, s.Text })),
        new("idx_reference", ["param", "target_type", "target_id", "url"], x => x.References.Select(s => new object?[] { s.Param, s.TargetType, s.TargetId, s.Url })),
        new("idx_date", ["param", "start_ms", "end_ms"], x => x.Dates.Select(s => new object?[] { s.Param, s.Start, s.End })),
        new("idx_number", ["param", "value", "low", "high"], x => x.Numbers.Select(s => new object?[] { s.Param, s.Value, s.Low, s.High })),
        new("idx_quantity", ["param", "system", "code", "unit", "value", "low", "high"], x => x.Quantities.Select(s => new object?[] { s.Param, s.System, s.Code, s.Unit, s.Value, s.Low, s.High })),
        new("idx_uri", ["param", "uri"], x => x.Uris.Select(s => new object?[] { s.Param, s.Uri })),
    ];

    // ---------------------------------------------------------------- SQLite: one prepared statement per table

    private async Task InsertPreparedAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<ImportRow> rows, long ms, long firstSeq, CancellationToken ct)
    {
        await using (var version = Prepared(conn, tx, "INSERT INTO resource_version (seq, res_type, res_id, version, last_updated, deleted, method, json, section) VALUES ($s, $t, $i, 1, $u, 0, 'POST', $j, $sec)", "$s", "$t", "$i", "$u", "$j", "$sec"))
        await using (var current = Prepared(conn, tx, "INSERT INTO resource (res_type, res_id, version, last_updated, deleted, seq, json, section) VALUES ($t, $i, 1, $u, 0, $s, $j, $sec)", "$s", "$t", "$i", "$u", "$j", "$sec"))
        await using (var versionCompartment = Prepared(conn, tx, "INSERT INTO resource_version_compartment (res_type, res_id, version, patient_id) VALUES ($t, $i, 1, $p)", "$t", "$i", "$p"))
        await using (var compartment = Prepared(conn, tx, "INSERT INTO resource_compartment (res_type, res_id, patient_id) VALUES ($t, $i, $p)", "$t", "$i", "$p"))
        {
            for (var k = 0; k < rows.Count; k++)
            {
                var r = rows[k];
                foreach (var cmd in new[] { version, current })
                {
                    Set(cmd, firstSeq + k, r.Type, r.Id, ms, r.Json, r.Section);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                foreach (var p in r.Index.PatientCompartment.Distinct(StringComparer.Ordinal))
                    foreach (var cmd in new[] { versionCompartment, compartment })
                    {
                        Set(cmd, r.Type, r.Id, p);
                        await cmd.ExecuteNonQueryAsync(ct);
                    }
            }
        }
        foreach (var table in ImportTables)
        {
            var names = new[] { "$t", "$i" }.Concat(table.Columns.Select(c => "$" + c)).ToArray();
            await using var insert = Prepared(conn, tx, $"INSERT INTO {table.Name} (res_type, res_id, {string.Join(", ", table.Columns)}) VALUES ({string.Join(", ", names)})", names);
            foreach (var r in rows)
                foreach (var values in table.Rows(r.Index))
                {
                    insert.Parameters[0].Value = r.Type;
                    insert.Parameters[1].Value = r.Id;
                    for (var c = 0; c < values.Length; c++)
                        insert.Parameters[c + 2].Value = values[c] switch { null => DBNull.Value, decimal d => (double)d, var v => v };
                    await insert.ExecuteNonQueryAsync(ct);
                }
        }
    }

    private static DbCommand Prepared(DbConnection conn, DbTransaction tx, string sql, params string[] names)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var name in names)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            cmd.Parameters.Add(p);
        }
        cmd.Prepare();
        return cmd;
    }

    private static void Set(DbCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
