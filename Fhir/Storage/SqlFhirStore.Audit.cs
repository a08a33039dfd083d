using System.Data.Common;
using System.Globalization;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Serialization;

namespace Pgo.Fhir.Storage;

// The audit log (append-only, hash-chained), generic row queries and the migration backfill.
internal sealed partial class SqlFhirStore
{
    private const long AuditLockKey = 727002;

    public async Task<IReadOnlyList<object?[]>> QueryRowsAsync(SqlQuery query, CancellationToken ct = default)
    {
        await using var conn = await _open(ct);
        await using var cmd = Command(conn, null, query.Sql, query.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task<IReadOnlyList<ResourcePlacement>> PlaceAsync(IReadOnlyCollection<(string Type, string Id)> resources, CancellationToken ct = default)
    {
        if (resources.Count == 0) return [];
        var all = resources.Distinct().ToList();
        if (all.Count <= 100) return await PlaceChunkAsync(all, ct);
        var result = new List<ResourcePlacement>();
        foreach (var chunk in all.Chunk(100)) result.AddRange(await PlaceChunkAsync(chunk, ct));
        return result;
    }

    private async Task<IReadOnlyList<ResourcePlacement>> PlaceChunkAsync(IReadOnlyCollection<(string Type, string Id)> resources, CancellationToken ct)
    {
        var bag = new SqlParameterBag();
        var groups = resources.GroupBy(r => r.Type, StringComparer.Ordinal)
            .Select(g => $"(r.res_type = {bag.Add(g.Key)} AND r.res_id IN ({string.Join(", ", g.Select(x => bag.Add(x.Id)))}))");
        var sql = $"""
            SELECT r.res_type, r.res_id, r.section, c.patient_id FROM resource r
            LEFT JOIN resource_compartment c ON c.res_type = r.res_type AND c.res_id = r.res_id
            WHERE {string.Join(" OR ", groups)}
            """;
        var rows = await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct);
        return rows.GroupBy(r => ((string)r[0]!, (string)r[1]!))
            .Select(g => new ResourcePlacement(g.Key.Item1, g.Key.Item2, g.First()[2] as string,
                g.Where(r => r[3] is string).Select(r => (string)r[3]!).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
    }

    public async Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct = default)
    {
        if (records.Count == 0) return;
        if (_sqliteWriteLock is not null) await _sqliteWriteLock.WaitAsync(ct);
        try
        {
            await using var conn = await _open(ct);
            // Like every write (docs/adr/0002): as durable as the store's setting.
            if (!Dialect.IsPostgres) await ExecAsync(conn, null, SynchronousPragma, ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // The chain needs one writer at a time: SQLite has one writer anyway (this store queues them); PostgreSQL takes
            // a transaction-scoped advisory lock, held until commit (a write transaction takes the same one up front).
            if (Dialect.IsPostgres) await ExecAsync(conn, tx, $"SELECT pg_advisory_xact_lock({AuditLockKey});", ct);
            await AppendAuditInTransactionAsync(conn, tx, records, ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            _sqliteWriteLock?.Release();
        }
    }

    /// <summary>Appends <paramref name="records"/> to the chain inside <paramref name="tx"/>, whose writer holds the chain's
    /// lock (PostgreSQL: the writers' advisory lock taken first; SQLite: the store's one writer).</summary>
    private async Task AppendAuditInTransactionAsync(DbConnection conn, DbTransaction tx, IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        if (records.Count == 0) return;
        var (n, previous) = await ReadAuditHeadAsync(conn, tx, ct);
        var batch = new StatementBatch(Dialect.IsPostgres);
        foreach (var chunk in records.Chunk(AuditRowsPerStatement))
        {
            AddAuditRows(batch, chunk, ref n, ref previous);
            if (batch.IsFull) await batch.FlushAsync(conn, tx, ct);
        }
        AddAuditHead(batch, n, previous);
        await batch.FlushAsync(conn, tx, ct);
    }

    // Small statements: SQLite looks parameters up by name, so a statement with a thousand of them costs more than ten with a hundred.
    private const int AuditRowsPerStatement = 10;

    /// <summary>The chain's last n and hash (0 and the genesis hash when empty). Call under the chain's lock.</summary>
    private static async Task<(long N, string Hash)> ReadAuditHeadAsync(DbConnection conn, DbTransaction tx, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, "SELECT n, hash FROM audit_head WHERE id = 1", []);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1))
            : (0, AuditChain.Genesis);
    }

    /// <summary>One INSERT of <paramref name="records"/>, chained on from <paramref name="n"/> and <paramref name="previous"/>
    /// (both moved on to the last row added).</summary>
    private static void AddAuditRows(StatementBatch batch, IEnumerable<AuditRecord> records, ref long n, ref string previous)
    {
        var bag = batch.Bag;
        var values = new List<string>();
        foreach (var r in records)
        {
            n++;
            var hash = AuditChain.Hash(previous, n, r);
            object?[] row = [n, r.Recorded.ToUnixTimeMilliseconds(), r.RequestId, r.Subject, r.FhirUser, r.Roles, r.Organization, r.ClientId,
                r.Action, r.ResourceType, r.ResourceId, r.Version, r.PatientId, r.Section, r.Outcome, r.Status, r.Grants, r.Detail, previous, hash];
            values.Add("(" + string.Join(", ", row.Select(bag.Add)) + ")");
            previous = hash;
        }
        if (values.Count == 0) return;
        batch.Add($"""
            INSERT INTO audit_entry (n, recorded_ms, request_id, subject, fhir_user, roles, organization, client_id, action,
              res_type, res_id, version, patient_id, section, outcome, status, grants, detail, prev_hash, hash)
            VALUES {string.Join(", ", values)}
            """);
    }

    private static void AddAuditHead(StatementBatch batch, long n, string hash) => batch.Add($"""
        INSERT INTO audit_head (id, n, hash) VALUES (1, {batch.Bag.Add(n)}, {batch.Bag.Add(hash)})
        ON CONFLICT (id) DO UPDATE SET n = excluded.n, hash = excluded.hash
        """);

    public async Task<ResourceInventory> InventoryAsync(CancellationToken ct = default)
    {
        var types = (await QueryRowsAsync(new SqlQuery("SELECT res_type, COUNT(*) FROM resource WHERE deleted = 0 GROUP BY res_type", []), ct))
            .Select(r => ((string)r[0]!, Convert.ToInt64(r[1], CultureInfo.InvariantCulture)))
            .OrderBy(t => t.Item1, StringComparer.Ordinal).ToList();
        await using var conn = await _open(ct);
        var versions = Convert.ToInt64(await ScalarAsync(conn, null, "SELECT COUNT(*) FROM resource_version", [], ct) ?? 0L, CultureInfo.InvariantCulture);
        return new ResourceInventory(types, versions);
    }

    private const string AuditColumns = "n, recorded_ms, request_id, subject, fhir_user, roles, organization, client_id, action, res_type, res_id, version, patient_id, section, outcome, status, grants, detail, prev_hash, hash";

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var where = new List<string> { "1=1" };
        if (query.PatientId is not null) where.Add($"patient_id = {bag.Add(query.PatientId)}");
        if (query.Person is not null)
        {
            var p = bag.Add(query.Person);
            where.Add($"(fhir_user = {p} OR subject = {p})");
        }
        if (query.Section is not null) where.Add($"section = {bag.Add(query.Section)}");
        if (query.From is { } from) where.Add($"recorded_ms >= {bag.Add(from.ToUnixTimeMilliseconds())}");
        if (query.To is { } to) where.Add($"recorded_ms < {bag.Add(to.ToUnixTimeMilliseconds())}");
        var sql = $"SELECT {AuditColumns} FROM audit_entry WHERE {string.Join(" AND ", where)} ORDER BY n DESC LIMIT {bag.Add((long)query.Limit)}";
        return (await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct)).Select(ToAuditEntry).ToList();
    }

    public async Task<AuditVerification> VerifyAuditAsync(CancellationToken ct = default)
    {
        // The head and the entries are read as of one moment: a live system goes on appending while it is verified (the
        // platform's background work is audited too), and a head read before an append with the entries read after it
        // would look like a broken chain. PostgreSQL: one repeatable-read snapshot; SQLite: no append while verifying
        // (every write queues behind the store's one writer).
        if (_sqliteWriteLock is not null) await _sqliteWriteLock.WaitAsync(ct);
        try
        {
            await using var conn = await _open(ct);
            await using var tx = Dialect.IsPostgres ? await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct) : null;
            (long, string)? head = null;
            await using (var cmd = Command(conn, tx, "SELECT n, hash FROM audit_head WHERE id = 1", []))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                if (await reader.ReadAsync(ct)) head = (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1));
            }
            await using var all = Command(conn, tx, $"SELECT {AuditColumns} FROM audit_entry ORDER BY n", []);
            await using var rows = await all.ExecuteReaderAsync(ct);
            return AuditChain.Verify(Stream(rows), head);
        }
        finally
        {
            _sqliteWriteLock?.Release();
        }

        static IEnumerable<AuditEntry> Stream(DbDataReader reader)
        {
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                yield return ToAuditEntry(row);
            }
        }
    }

    private static AuditEntry ToAuditEntry(object?[] r) => new(
        Convert.ToInt64(r[0], CultureInfo.InvariantCulture),
        new AuditRecord(
            DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r[1], CultureInfo.InvariantCulture)),
            r[2] as string, (string)r[3]!, r[4] as string, r[5] as string, r[6] as string, r[7] as string,
            (string)r[8]!, r[9] as string, r[10] as string, r[11] is null ? null : Convert.ToInt32(r[11], CultureInfo.InvariantCulture),
            r[12] as string, r[13] as string, (string)r[14]!, Convert.ToInt32(r[15], CultureInfo.InvariantCulture), r[16] as string, r[17] as string),
        (string)r[18]!, (string)r[19]!);

    // ---------------------------------------------------------------- migration backfill

    private static readonly Lazy<SearchIndexer> BackfillIndexer = new(() => new SearchIndexer());

    /// <summary>The C# part of migration <paramref name="version"/> (see <see cref="Schema.Migration.Backfill"/>).</summary>
    private Task BackfillAsync(DbConnection conn, DbTransaction tx, int version, CancellationToken ct) => version switch
    {
        2 => BackfillSectionsAsync(conn, tx, ct),
        5 => BackfillVersionPlacesAsync(conn, tx, ct),
        _ => throw new InvalidOperationException($"Migration {version} declares a backfill that does not exist."),
    };

    /// <summary>
    /// Migration 5: the section and Patient compartments of every stored version, from its own JSON, with the same code that
    /// fills them at write time. A deletion keeps the place of the version before it. Read in pages by seq (versions of one
    /// resource come in version order), so that a large history is never in memory at once.
    /// </summary>
    private async Task BackfillVersionPlacesAsync(DbConnection conn, DbTransaction tx, CancellationToken ct)
    {
        var last = new Dictionary<(string, string), (string? Section, IReadOnlyList<string> Patients)>();
        long after = long.MinValue;
        while (true)
        {
            var page = new List<(long Seq, string Type, string Id, int Version, bool Deleted, string Json)>();
            await using (var cmd = Command(conn, tx, "SELECT seq, res_type, res_id, version, deleted, json FROM resource_version WHERE seq > @a ORDER BY seq LIMIT 500", [new("@a", after)]))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    page.Add((Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2), Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
                        Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture) != 0, reader.GetString(5)));
            }
            if (page.Count == 0) return;
            foreach (var (seq, type, id, version, deleted, json) in page)
            {
                after = seq;
                (string? Section, IReadOnlyList<string> Patients) place;
                Hl7.Fhir.Model.Resource? resource = null;
                if (!deleted)
                {
                    try { resource = FhirJson.Parse(json); } catch (FhirException) { }
                }
                if (resource is not null)
                    place = (SectionClassifier.Classify(resource), BackfillIndexer.Value.Extract(resource).PatientCompartment.Distinct(StringComparer.Ordinal).ToList());
                else if (last.TryGetValue((type, id), out var before))
                    place = before;
                else
                    place = await CurrentPlaceAsync(conn, tx, type, id, ct);
                last[(type, id)] = place;
                await ExecAsync(conn, tx, "UPDATE resource_version SET section = @s WHERE seq = @q", ct, ("@s", place.Section), ("@q", seq));
                foreach (var patient in place.Patients)
                    await ExecAsync(conn, tx, "INSERT INTO resource_version_compartment (res_type, res_id, version, patient_id) VALUES (@t, @i, @v, @p)", ct,
                        ("@t", type), ("@i", id), ("@v", version), ("@p", patient));
            }
        }
    }

    private static async Task<(string? Section, IReadOnlyList<string> Patients)> CurrentPlaceAsync(DbConnection conn, DbTransaction tx, string type, string id, CancellationToken ct)
    {
        string? section = null;
        var patients = new List<string>();
        await using var cmd = Command(conn, tx, """
            SELECT r.section, c.patient_id FROM resource r LEFT JOIN resource_compartment c ON c.res_type = r.res_type AND c.res_id = r.res_id
            WHERE r.res_type = @t AND r.res_id = @i
            """, [new("@t", type), new("@i", id)]);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            section = reader.IsDBNull(0) ? null : reader.GetString(0);
            if (!reader.IsDBNull(1)) patients.Add(reader.GetString(1));
        }
        return (section, patients);
    }

    /// <summary>
    /// Migration 2: recomputes the section of every existing resource and the compartment of the types the project added
    /// to the Patient compartment (Task), with the same code that fills them at write time.
    /// </summary>
    private async Task BackfillSectionsAsync(DbConnection conn, DbTransaction tx, CancellationToken ct)
    {
        var rows = new List<(string Type, string Id, bool Deleted, string Json)>();
        await using (var cmd = Command(conn, tx, "SELECT res_type, res_id, deleted, json FROM resource", []))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture) != 0, reader.GetString(3)));
        }
        foreach (var (type, id, deleted, json) in rows)
        {
            Hl7.Fhir.Model.Resource? resource = null;
            if (!deleted)
            {
                try { resource = FhirJson.Parse(json); } catch (FhirException) { }
            }
            var section = resource is not null ? SectionClassifier.Classify(resource)
                : SectionClassifier.IsDossierType(type) ? SectionClassifier.ByType.GetValueOrDefault(type, PgoCodes.Section.Medisch) : null;
            await ExecAsync(conn, tx, "UPDATE resource SET section = @s WHERE res_type = @t AND res_id = @i", ct, ("@s", section), ("@t", type), ("@i", id));
            if (resource is not null && PatientCompartmentDefinition.ProjectAdditions.ContainsKey(type))
            {
                await ExecAsync(conn, tx, "DELETE FROM resource_compartment WHERE res_type = @t AND res_id = @i", ct, ("@t", type), ("@i", id));
                foreach (var patient in BackfillIndexer.Value.Extract(resource).PatientCompartment.Distinct(StringComparer.Ordinal))
                    await ExecAsync(conn, tx, "INSERT INTO resource_compartment (res_type, res_id, patient_id) VALUES (@t, @i, @p)", ct, ("@t", type), ("@i", id), ("@p", patient));
            }
        }
    }
}
