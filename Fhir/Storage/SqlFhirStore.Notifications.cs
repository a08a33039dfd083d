using System.Data.Common;
using System.Globalization;

namespace Pgo.Fhir.Storage;

/// <summary>
/// Notifications (migration 6): one row per person and delivery key, consumer cursors, follows. Each method is one
/// statement or one transaction; writes on SQLite queue behind the store's one writer like every other write.
/// </summary>
internal sealed partial class SqlFhirStore
{
    private const string NotificationColumns =
        "id, recipient, kind, patient_id, section, item, actor, actor_name, created_ms, read_ms, mail_state";

    public async Task<long?> AddNotificationAsync(NewNotification n, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        // ON CONFLICT DO NOTHING: the unique (recipient, delivery_key) makes a second delivery of one event a no-op, also
        // when two instances insert at the same moment. RETURNING yields no row then.
        var sql = $"""
            INSERT INTO notification (recipient, delivery_key, kind, patient_id, section, item, actor, actor_name, created_ms)
            VALUES ({bag.Add(n.Recipient)}, {bag.Add(n.Key)}, {bag.Add(n.Kind)}, {bag.Add(n.PatientId)}, {bag.Add(n.Section)},
                    {bag.Add(n.Item)}, {bag.Add(n.Actor)}, {bag.Add(n.ActorName)}, {bag.Add(n.Created.ToUnixTimeMilliseconds())})
            ON CONFLICT (recipient, delivery_key) DO NOTHING
            RETURNING id
            """;
        var id = await WriteScalarAsync(sql, bag, ct);
        return id is null ? null : Convert.ToInt64(id, CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<StoredNotification>> ListNotificationsAsync(string recipient, bool unreadOnly, long? before, int count, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var where = $"recipient = {bag.Add(recipient)}"
            + (unreadOnly ? " AND read_ms IS NULL" : "")
            + (before is { } b ? $" AND id < {bag.Add(b)}" : "");
        var sql = $"SELECT {NotificationColumns} FROM notification WHERE {where} ORDER BY id DESC LIMIT {bag.Add(Math.Clamp(count, 1, 500))}";
        return (await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct)).Select(ToNotification).ToList();
    }

    public async Task<IReadOnlyList<UnreadCount>> UnreadNotificationsAsync(string recipient, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"""
            SELECT patient_id, section, item, kind, COUNT(*) FROM notification
            WHERE recipient = {bag.Add(recipient)} AND read_ms IS NULL
            GROUP BY patient_id, section, item, kind
            """;
        return (await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct))
            .Select(r => new UnreadCount(r[0] as string, r[1] as string, r[2] as string, (string)r[3]!, Convert.ToInt32(r[4], CultureInfo.InvariantCulture)))
            .ToList();
    }

    public async Task<int> MarkNotificationsReadAsync(string recipient, ReadSelection which, DateTimeOffset at, CancellationToken ct = default)
    {
        if (which.IsEmpty) return 0;
        var bag = new SqlParameterBag();
        var where = $"recipient = {bag.Add(recipient)} AND read_ms IS NULL";
        if (!which.All)
        {
            var parts = new List<string>();
            if (which.Ids is { Count: > 0 } ids) parts.Add($"id IN ({string.Join(", ", ids.Distinct().Select(i => bag.Add(i)))})");
            if (which.PatientId is { } patient)
            {
                var items = which.Items is { Count: > 0 } list ? $" AND item IN ({string.Join(", ", list.Distinct(StringComparer.Ordinal).Select(i => bag.Add(i)))})" : "";
                parts.Add($"(patient_id = {bag.Add(patient)}{items})");
            }
            else if (which.Items is { Count: > 0 } list)
                parts.Add($"item IN ({string.Join(", ", list.Distinct(StringComparer.Ordinal).Select(i => bag.Add(i)))})");
            where += $" AND ({string.Join(" OR ", parts)})";
        }
        return await WriteNonQueryAsync($"UPDATE notification SET read_ms = {bag.Add(at.ToUnixTimeMilliseconds())} WHERE {where}", bag, ct);
    }

    public async Task<IReadOnlyList<StoredNotification>> NotificationsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        var bag = new SqlParameterBag();
        var sql = $"SELECT {NotificationColumns} FROM notification WHERE id IN ({string.Join(", ", ids.Distinct().Select(i => bag.Add(i)))}) ORDER BY id";
        return (await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct)).Select(ToNotification).ToList();
    }

    public async Task<IReadOnlyList<StoredNotification>> NotificationsInMailStateAsync(string mailState, int max, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"SELECT {NotificationColumns} FROM notification WHERE mail_state = {bag.Add(mailState)} ORDER BY id LIMIT {bag.Add(Math.Clamp(max, 1, 5000))}";
        return (await QueryRowsAsync(new SqlQuery(sql, bag.Values), ct)).Select(ToNotification).ToList();
    }

    public async Task<int> SetMailStateAsync(IReadOnlyCollection<long> ids, string from, string to, CancellationToken ct = default)
    {
        if (ids.Count == 0) return 0;
        var bag = new SqlParameterBag();
        var sql = $"""
            UPDATE notification SET mail_state = {bag.Add(to)}
            WHERE mail_state = {bag.Add(from)} AND id IN ({string.Join(", ", ids.Distinct().Select(i => bag.Add(i)))})
            """;
        return await WriteNonQueryAsync(sql, bag, ct);
    }

    public async Task<long?> NotificationCursorAsync(string consumer, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var rows = await QueryRowsAsync(new SqlQuery($"SELECT pos FROM notification_cursor WHERE consumer = {bag.Add(consumer)}", bag.Values), ct);
        return rows.Count == 0 ? null : Convert.ToInt64(rows[0][0], CultureInfo.InvariantCulture);
    }

    public async Task AdvanceNotificationCursorAsync(string consumer, long pos, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var p = bag.Add(pos);
        // Forward only: an instance that handled less must not move the cursor back past what another one handled.
        var sql = $"""
            INSERT INTO notification_cursor (consumer, pos) VALUES ({bag.Add(consumer)}, {p})
            ON CONFLICT (consumer) DO UPDATE SET pos = excluded.pos WHERE notification_cursor.pos < excluded.pos
            """;
        await WriteNonQueryAsync(sql, bag, ct);
    }

    public async Task<bool> FollowAsync(string recipient, string patientId, string item, DateTimeOffset at, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var sql = $"""
            INSERT INTO notification_follow (recipient, patient_id, item, since_ms)
            VALUES ({bag.Add(recipient)}, {bag.Add(patientId)}, {bag.Add(item)}, {bag.Add(at.ToUnixTimeMilliseconds())})
            ON CONFLICT (recipient, item) DO NOTHING
            """;
        return await WriteNonQueryAsync(sql, bag, ct) > 0;
    }

    public async Task<bool> UnfollowAsync(string recipient, string item, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        return await WriteNonQueryAsync($"DELETE FROM notification_follow WHERE recipient = {bag.Add(recipient)} AND item = {bag.Add(item)}", bag, ct) > 0;
    }

    public async Task<IReadOnlyList<string>> FollowersAsync(string item, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var rows = await QueryRowsAsync(new SqlQuery($"SELECT recipient FROM notification_follow WHERE item = {bag.Add(item)} ORDER BY recipient", bag.Values), ct);
        return rows.Select(r => (string)r[0]!).ToList();
    }

    public async Task<IReadOnlyList<string>> FollowsAsync(string recipient, string patientId, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var rows = await QueryRowsAsync(new SqlQuery(
            $"SELECT item FROM notification_follow WHERE recipient = {bag.Add(recipient)} AND patient_id = {bag.Add(patientId)} ORDER BY item", bag.Values), ct);
        return rows.Select(r => (string)r[0]!).ToList();
    }

    private static StoredNotification ToNotification(object?[] r) => new(
        Convert.ToInt64(r[0], CultureInfo.InvariantCulture), (string)r[1]!, (string)r[2]!, r[3] as string, r[4] as string, r[5] as string,
        r[6] as string, r[7] as string,
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r[8], CultureInfo.InvariantCulture)),
        r[9] is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r[9], CultureInfo.InvariantCulture)),
        (string)r[10]!);

    // One small write outside the resource transactions: queued behind SQLite's one writer, as durable as every write.
    private async Task<int> WriteNonQueryAsync(string sql, SqlParameterBag bag, CancellationToken ct)
    {
        if (_sqliteWriteLock is not null) await _sqliteWriteLock.WaitAsync(ct);
        try
        {
            await using var conn = await _open(ct);
            if (!Dialect.IsPostgres) await ExecAsync(conn, null, SynchronousPragma, ct);
            await using var cmd = Command(conn, null, sql, bag.Values);
            return await cmd.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            _sqliteWriteLock?.Release();
        }
    }

    private async Task<object?> WriteScalarAsync(string sql, SqlParameterBag bag, CancellationToken ct)
    {
        if (_sqliteWriteLock is not null) await _sqliteWriteLock.WaitAsync(ct);
        try
        {
            await using var conn = await _open(ct);
            if (!Dialect.IsPostgres) await ExecAsync(conn, null, SynchronousPragma, ct);
            return await ScalarAsync(conn, null, sql, bag.Values, ct);
        }
        finally
        {
            _sqliteWriteLock?.Release();
        }
    }
}
