using System.Globalization;

namespace Pgo.Fhir.Storage;

/// <summary>
/// Notification mail deliveries and mail preferences (migration 7). Writes queue behind SQLite's one writer like every
/// other write; on PostgreSQL a claim re-checks its conditions on the row it updates, so two instances never both hold
/// one delivery.
/// </summary>
internal sealed partial class SqlFhirStore : IMailDeliveryStore
{
    private const string MailDeliveryColumns =
        "id, delivery_key, recipient, kind, notification_ids, state, attempts, planned_ms, next_attempt_ms, created_ms, " +
        "last_attempt_ms, sent_ms, address, last_error";

    public async Task<long?> AddMailDeliveryAsync(NewMailDelivery d, string fromMailState, string toMailState, CancellationToken ct = default)
    {
        if (d.NotificationIds.Count == 0) throw new ArgumentException("A mail is about at least one notification.", nameof(d));
        var ids = d.NotificationIds.Distinct().ToList();
        if (_sqliteWriteLock is not null) await _sqliteWriteLock.WaitAsync(ct);
        try
        {
            await using var conn = await _open(ct);
            if (!Dialect.IsPostgres) await ExecAsync(conn, null, SynchronousPragma, ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var bag = new SqlParameterBag();
            var insert = $"""
                INSERT INTO mail_delivery (delivery_key, recipient, kind, notification_ids, state, attempts, planned_ms, next_attempt_ms, created_ms)
                VALUES ({bag.Add(d.Key)}, {bag.Add(d.Recipient)}, {bag.Add(d.Kind)}, {bag.Add(string.Join(",", ids))},
                        {bag.Add(MailDeliveryStates.Pending)}, 0, {bag.Add(d.Planned.ToUnixTimeMilliseconds())},
                        {bag.Add(d.Planned.ToUnixTimeMilliseconds())}, {bag.Add(d.Created.ToUnixTimeMilliseconds())})
                ON CONFLICT (delivery_key) DO NOTHING
                RETURNING id
                """;
            var id = await ScalarAsync(conn, tx, insert, bag.Values, ct);
            if (id is null)
            {
                await tx.RollbackAsync(ct);
                return null;
            }
            var move = new SqlParameterBag();
            var update = $"""
                UPDATE notification SET mail_state = {move.Add(toMailState)}
                WHERE mail_state = {move.Add(fromMailState)} AND id IN ({string.Join(", ", ids.Select(i => move.Add(i)))})
                """;
            await using var cmd = Command(conn, tx, update, move.Values);
            if (await cmd.ExecuteNonQueryAsync(ct) != ids.Count)
            {
                // Another instance planned one of them first: this delivery is not needed.
                await tx.RollbackAsync(ct);
                return null;
            }
            await tx.CommitAsync(ct);
            return Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }
        finally
        {
            _sqliteWriteLock?.Release();
        }
    }

    public async Task<int> CountMailDeliveriesAsync(string recipient, string kind, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"""
            SELECT COUNT(*) FROM mail_delivery
            WHERE recipient = {bag.Add(recipient)} AND kind = {bag.Add(kind)} AND state <> {bag.Add(MailDeliveryStates.Skipped)}
              AND planned_ms >= {bag.Add(from.ToUnixTimeMilliseconds())} AND planned_ms < {bag.Add(to.ToUnixTimeMilliseconds())}
            """;
        var rows = await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct);
        return Convert.ToInt32(rows[0][0], CultureInfo.InvariantCulture);
    }

    public async Task<bool> MailDeliveryExistsAsync(string key, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        return (await QueryRowsAsync(new SqlQuery($"SELECT 1 FROM mail_delivery WHERE delivery_key = {bag.Add(key)}", bag.Values), ct)).Count > 0;
    }

    public async Task<IReadOnlyList<MailDelivery>> ClaimMailDeliveriesAsync(string claimer, DateTimeOffset now, DateTimeOffset until, int max, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var n = bag.Add(now.ToUnixTimeMilliseconds());
        var due = $"state = {bag.Add(MailDeliveryStates.Pending)} AND next_attempt_ms <= {n} AND (claimed_until_ms IS NULL OR claimed_until_ms < {n})";
        // The conditions twice: the subquery picks candidates, the outer WHERE is checked again on the row being updated
        // (PostgreSQL re-evaluates it after waiting for another instance's claim), so a row is claimed by one only.
        var sql = $"""
            UPDATE mail_delivery SET claimed_by = {bag.Add(claimer)}, claimed_until_ms = {bag.Add(until.ToUnixTimeMilliseconds())}
            WHERE {due} AND id IN (SELECT id FROM mail_delivery WHERE {due} ORDER BY next_attempt_ms, id LIMIT {bag.Add(Math.Clamp(max, 1, 500))})
            RETURNING {MailDeliveryColumns}
            """;
        return (await WriteRowsAsync(sql, bag, ct)).Select(ToMailDelivery).OrderBy(d => d.NextAttempt).ThenBy(d => d.Id).ToList();
    }

    public async Task<bool> FinishMailDeliveryAsync(long id, string claimer, MailAttempt attempt, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var at = attempt.At.ToUnixTimeMilliseconds();
        var sql = $"""
            UPDATE mail_delivery SET state = {bag.Add(attempt.State)}, attempts = attempts + 1, last_attempt_ms = {bag.Add(at)},
                next_attempt_ms = {bag.Add((attempt.NextAttempt ?? attempt.At).ToUnixTimeMilliseconds())},
                sent_ms = {bag.Add(attempt.State == MailDeliveryStates.Sent ? at : null)},
                address = {bag.Add(attempt.Address)}, last_error = {bag.Add(attempt.Error is { Length: > 500 } e ? e[..500] : attempt.Error)},
                claimed_by = NULL, claimed_until_ms = NULL
            WHERE id = {bag.Add(id)} AND claimed_by = {bag.Add(claimer)}
            """;
        return await WriteNonQueryAsync(sql, bag, ct) == 1;
    }

    public async Task<IReadOnlyList<MailDelivery>> ListMailDeliveriesAsync(IReadOnlyCollection<string> states, long? before, int count, CancellationToken ct = default)
    {
        if (states.Count == 0) return [];
        var bag = new SqlParameterBag();
        var where = $"state IN ({string.Join(", ", states.Distinct(StringComparer.Ordinal).Select(s => bag.Add(s)))})"
            + (before is { } b ? $" AND id < {bag.Add(b)}" : "");
        var sql = $"SELECT {MailDeliveryColumns} FROM mail_delivery WHERE {where} ORDER BY id DESC LIMIT {bag.Add(Math.Clamp(count, 1, 500))}";
        return (await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct)).Select(ToMailDelivery).ToList();
    }

    public async Task<string?> MailPreferencesAsync(string recipient, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var rows = await QueryRowsAsync(new SqlQuery($"SELECT settings FROM mail_preference WHERE recipient = {bag.Add(recipient)}", bag.Values), ct);
        return rows.Count == 0 ? null : rows[0][0] as string;
    }

    public async Task SaveMailPreferencesAsync(string recipient, string json, DateTimeOffset at, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"""
            INSERT INTO mail_preference (recipient, settings, updated_ms) VALUES ({bag.Add(recipient)}, {bag.Add(json)}, {bag.Add(at.ToUnixTimeMilliseconds())})
            ON CONFLICT (recipient) DO UPDATE SET settings = excluded.settings, updated_ms = excluded.updated_ms
            """;
        await WriteNonQueryAsync(sql, bag, ct);
    }

    private static MailDelivery ToMailDelivery(object?[] r)
    {
        static long L(object? v) => Convert.ToInt64(v, CultureInfo.InvariantCulture);
        static DateTimeOffset T(object? v) => DateTimeOffset.FromUnixTimeMilliseconds(L(v));
        var ids = ((string)r[4]!).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
        return new MailDelivery(L(r[0]), (string)r[1]!, (string)r[2]!, (string)r[3]!, ids, (string)r[5]!, Convert.ToInt32(r[6], CultureInfo.InvariantCulture),
            T(r[7]), T(r[8]), T(r[9]), r[10] is null ? null : T(r[10]), r[11] is null ? null : T(r[11]), r[12] as string, r[13] as string);
    }

    // A write that returns rows (UPDATE ... RETURNING), queued behind SQLite's one writer.
    private async Task<List<object?[]>> WriteRowsAsync(string sql, SqlParameterBag bag, CancellationToken ct)
    {
        if (_sqliteWriteLock is not null) await _sqliteWriteLock.WaitAsync(ct);
        try
        {
            await using var conn = await _open(ct);
            if (!Dialect.IsPostgres) await ExecAsync(conn, null, SynchronousPragma, ct);
            await using var cmd = Command(conn, null, sql, bag.Values);
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
        finally
        {
            _sqliteWriteLock?.Release();
        }
    }
}
