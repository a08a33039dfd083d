using Dapper;
using Pgo.Api.TeamSpace.Data;

namespace Pgo.Api.Evidence;

/// <summary>One stored business-case model of a programme (table ev_model, migration 7 of <see cref="TeamSpaceSchema"/>).</summary>
public sealed class ModelRow
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public string Title { get; set; } = "";
    public string Json { get; set; } = "";
    public string CreatedByKey { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public long CreatedMs { get; set; }
}

/// <summary>
/// The programmes' adjusted copies of the project's business-case model (issue 21, docs/adr/0011-social-business-case.md),
/// in the Api's own relational store next to the referrals and the supporter's time (the same SQLite/PostgreSQL handling).
/// Plain storage: who may read or add is decided in <see cref="ModelApi"/>. A row is never changed or deleted; a change is a
/// new version.
/// </summary>
public sealed class ModelStore(TeamSpaceDatabase db)
{
    private const int MaxRows = 1000;

    /// <summary>Every stored model without its JSON, newest first per id.</summary>
    public async Task<IReadOnlyList<ModelRow>> ListAsync(CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<ModelRow>(
            $"SELECT id, version, title, '' AS json, created_by_key, created_by, created_ms FROM ev_model ORDER BY id, version LIMIT {MaxRows};"), ct)).ToList();

    public Task<ModelRow?> FindAsync(string id, int version, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ModelRow>(
            "SELECT id, version, title, json, created_by_key, created_by, created_ms FROM ev_model WHERE id = @id AND version = @version;", new { id, version }), ct);

    /// <summary>Stores a new (id, version); false when that pair is already stored (nothing written).</summary>
    public async Task<bool> InsertAsync(ModelRow row, CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync(async (c, tx) =>
            {
                var exists = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ev_model WHERE id = @Id AND version = @Version;", row, tx);
                if (exists > 0) return false;
                await c.ExecuteAsync("""
                    INSERT INTO ev_model (id, version, title, json, created_by_key, created_by, created_ms)
                    VALUES (@Id, @Version, @Title, @Json, @CreatedByKey, @CreatedBy, @CreatedMs);
                    """, row, tx);
                return true;
            }, ct);
        }
        catch (Exception e) when (TeamSpaceDatabase.IsUniqueViolation(e))
        {
            // Two coordinators adding the same version at once: the second is refused like any existing one.
            return false;
        }
    }
}
