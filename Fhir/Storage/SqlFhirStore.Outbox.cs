using System.Data.Common;
using System.Globalization;

namespace Pgo.Fhir.Storage;

/// <summary>
/// The change outbox: every committed create, update and delete leaves one row per patient it belongs to, written in
/// the change's own transaction, so a change and its event commit together or not at all. Readers (the Api's
/// real-time dispatcher, FHIR subscriptions, a reconnecting client) follow the cursor <c>pos</c>.
/// </summary>
internal sealed partial class SqlFhirStore
{
    public event Action? ChangesCommitted;

    private static void AddChange(StatementBatch batch, string type, string id, int version, string change,
        string? section, IReadOnlyCollection<string> patients, ChangeNote? note, DateTimeOffset when)
    {
        // PostgreSQL assigns identity values at insert, not at commit: two writers could commit out of order and a reader
        // that has passed the later cursor would never see the earlier one. Every write transaction takes the audit chain's
        // lock first (WriteAsync) and holds it until commit, which makes cursor order commit order. SQLite has one writer at a time.
        var targets = patients.Count == 0 ? [null] : patients.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Cast<string?>().ToList();
        var bag = batch.Bag;
        var t = bag.Add(type);
        var i = bag.Add(id);
        var v = bag.Add(version);
        var c = bag.Add(change);
        var ms = bag.Add(when.ToUnixTimeMilliseconds());
        var s = bag.Add(section);
        var who = bag.Add(note?.Who);
        var summary = bag.Add(note?.Summary);
        var values = string.Join(", ", targets.Select(p => $"({ms}, {t}, {i}, {v}, {c}, {bag.Add(p)}, {s}, {who}, {summary})"));
        batch.Add($"INSERT INTO change_outbox (recorded_ms, res_type, res_id, version, change, patient_id, section, who, summary) VALUES {values}");
    }

    /// <summary>Called after a commit that wrote outbox rows: wakes listeners (the dispatcher). A hint only: listeners
    /// also poll, and a failing listener must not turn a committed write into an error.</summary>
    private void SignalCommitted()
    {
        try { ChangesCommitted?.Invoke(); }
        catch (Exception) { /* the write is committed; the poll picks the change up */ }
    }

    public async Task<IReadOnlyList<ChangeEvent>> ReadChangesAsync(long after, int max, string? patientId = null, CancellationToken ct = default)
    {
        var bag = new SqlParameterBag();
        var where = $"pos > {bag.Add(after)}" + (patientId is null ? "" : $" AND patient_id = {bag.Add(patientId)}");
        var sql = $"""
            SELECT pos, recorded_ms, res_type, res_id, version, change, patient_id, section, who, summary
            FROM change_outbox WHERE {where} ORDER BY pos LIMIT {bag.Add(max)}
            """;
        await using var conn = await _open(ct);
        await using var cmd = Command(conn, null, sql, bag.Values);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ChangeEvent>();
        while (await reader.ReadAsync(ct))
            list.Add(new ChangeEvent(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)),
                reader.GetString(2), reader.GetString(3), Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        return list;
    }

    public async Task<ChangeBounds> ChangeBoundsAsync(CancellationToken ct = default)
    {
        await using var conn = await _open(ct);
        await using var cmd = Command(conn, null, "SELECT MIN(pos), MAX(pos) FROM change_outbox", []);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.IsDBNull(0)
            ? new ChangeBounds(null, 0)
            : new ChangeBounds(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    public async Task<int> PruneChangesAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        // Keeps the newest row whatever its age, so that the cursor never goes back (SQLite AUTOINCREMENT would not,
        // PostgreSQL identity would not either; the newest row also tells a reconnecting client how far the log goes).
        await using var conn = await _open(ct);
        await using var cmd = Command(conn, null,
            "DELETE FROM change_outbox WHERE recorded_ms < @b AND pos < (SELECT MAX(pos) FROM change_outbox)",
            [new("@b", before.ToUnixTimeMilliseconds())]);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
