using System.Data.Common;
using System.Text;

namespace Pgo.Fhir.Storage;

internal sealed partial class SqlFhirStore
{
    /// <summary>
    /// The statements of one write transaction that return nothing (a version, its current row, index rows, outbox rows,
    /// audit rows, the audit head), collected and sent as one command: one round trip to PostgreSQL instead of one per
    /// statement, while the write holds the lock every writer waits for (docs/benchmarks-writes.md). The write session
    /// sends them before anything it reads and before the commit, so the transaction sees its own writes and commits
    /// exactly what it did before; only fewer round trips.
    /// </summary>
    private sealed class StatementBatch(bool postgres)
    {
        // SQLite binds every parameter of a command to each of its statements by name (Microsoft.Data.Sqlite), so a
        // command there stays at a couple of hundred parameters; PostgreSQL's limit (65,535 per statement) is far off.
        private readonly int _flushAt = postgres ? 2000 : 200;
        private readonly StringBuilder _sql = new();

        public SqlParameterBag Bag { get; private set; } = new();

        public bool IsFull => Bag.Values.Count >= _flushAt;

        public void Add(string sql) => _sql.Append(sql).Append(";\n");

        public async Task FlushAsync(DbConnection conn, DbTransaction tx, CancellationToken ct)
        {
            if (_sql.Length == 0) return;
            var sql = _sql.ToString();
            var values = Bag.Values;
            _sql.Clear();
            Bag = new SqlParameterBag();
            await using var cmd = Command(conn, tx, sql, values);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
