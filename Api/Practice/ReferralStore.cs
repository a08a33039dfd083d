using Dapper;
using Pgo.Api.TeamSpace.Data;

namespace Pgo.Api.Practice;

/// <summary>One stored referral (table pr_referral, migration 6 of <see cref="TeamSpaceSchema"/>).</summary>
public sealed class ReferralRow
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public string ReferrerKey { get; set; } = "";
    public string ReferrerName { get; set; } = "";
    public string ReferrerRole { get; set; } = "";
    public string ClientFirstName { get; set; } = "";
    public int? ClientBirthYear { get; set; }
    public string ParentName { get; set; } = "";
    public string? ParentEmail { get; set; }
    public string? ParentPhone { get; set; }
    public string Reason { get; set; } = "";
    public string ConsentHow { get; set; } = "";
    public string ConsentDate { get; set; } = "";
    public string Status { get; set; } = "";
    public string? AssignedKey { get; set; }
    public string? AssignedName { get; set; }
    public string? AssignedRef { get; set; }
    public string? IntakeDate { get; set; }
    public string? IntakeNote { get; set; }
    public string? PatientId { get; set; }
    public string? CloseReason { get; set; }
    public long CreatedMs { get; set; }
    public long? AssignedMs { get; set; }
    public long? IntakeMs { get; set; }
    public long? AccessMs { get; set; }
    public long? ClosedMs { get; set; }
}

public sealed class ReferralEventRow
{
    public long Id { get; set; }
    public long ReferralId { get; set; }
    public string Kind { get; set; } = "";
    public string ActorKey { get; set; } = "";
    public string ActorName { get; set; } = "";
    public string? Detail { get; set; }
    public long AtMs { get; set; }
}

/// <summary>
/// Referrals in the Api's own relational store, next to the team space and the supporter's time (the same SQLite/PostgreSQL
/// handling). Plain storage: who may read or change what is decided by <see cref="ReferralRules"/> in ReferralApi. Every change
/// writes its history event in the same transaction, and only from the status it expects (so two coaches assigning at once,
/// or a second intake, change nothing). There is no delete.
/// </summary>
public sealed class ReferralStore(TeamSpaceDatabase db)
{
    private const int MaxRows = 2000;

    public Task<IReadOnlyList<(long Id, string Name)>> TeamsAsync(CancellationToken ct) =>
        db.ReadAsync(async c => (IReadOnlyList<(long, string)>)(await c.QueryAsync<(long, string)>("SELECT id, name FROM ts_team ORDER BY name;")).ToList(), ct);

    public Task<ReferralRow?> FindAsync(long id, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ReferralRow>("SELECT * FROM pr_referral WHERE id = @id;", new { id }), ct);

    public async Task<IReadOnlyList<ReferralRow>> OfTeamAsync(long teamId, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<ReferralRow>(
            $"SELECT * FROM pr_referral WHERE team_id = @teamId ORDER BY created_ms DESC, id DESC LIMIT {MaxRows};", new { teamId }), ct)).ToList();

    /// <summary>The referrals the caller made or was assigned.</summary>
    public async Task<IReadOnlyList<ReferralRow>> OfPersonAsync(string key, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<ReferralRow>(
            $"SELECT * FROM pr_referral WHERE referrer_key = @key OR assigned_key = @key ORDER BY created_ms DESC, id DESC LIMIT {MaxRows};", new { key }), ct)).ToList();

    /// <summary>The referrals whose parent's address is <paramref name="email"/> (lower case) and that wait for the family.</summary>
    public async Task<IReadOnlyList<ReferralRow>> ForParentAsync(string email, IReadOnlyCollection<string> statuses, CancellationToken ct)
    {
        var args = new DynamicParameters(new { email });
        var status = In("status", "s", statuses, args);
        return (await db.ReadAsync(c => c.QueryAsync<ReferralRow>(
            $"SELECT * FROM pr_referral WHERE parent_email = @email AND {status} ORDER BY created_ms DESC, id DESC LIMIT {MaxRows};", args), ct)).ToList();
    }

    /// <summary>"column IN (@p0, @p1, ...)", one parameter per value (Npgsql does not take Dapper's list form; see SqlList).</summary>
    private static string In(string column, string prefix, IEnumerable<string> values, DynamicParameters args)
    {
        var names = values.Distinct(StringComparer.Ordinal).Select((v, i) => { args.Add(prefix + i, v); return "@" + prefix + i; }).ToList();
        return names.Count == 0 ? "1 = 0" : $"{column} IN ({string.Join(", ", names)})";
    }

    public async Task<IReadOnlyList<ReferralEventRow>> HistoryAsync(long id, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<ReferralEventRow>(
            "SELECT * FROM pr_referral_event WHERE referral_id = @id ORDER BY at_ms, id;", new { id }), ct)).ToList();

    public Task<ReferralRow> InsertAsync(ReferralRow row, string actorName, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            row.Id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO pr_referral (team_id, referrer_key, referrer_name, referrer_role, client_first_name, client_birth_year, parent_name,
                    parent_email, parent_phone, reason, consent_how, consent_date, status, created_ms)
                VALUES (@TeamId, @ReferrerKey, @ReferrerName, @ReferrerRole, @ClientFirstName, @ClientBirthYear, @ParentName,
                    @ParentEmail, @ParentPhone, @Reason, @ConsentHow, @ConsentDate, @Status, @CreatedMs) RETURNING id;
                """, row, tx);
            await c.ExecuteAsync("""
                INSERT INTO pr_referral_event (referral_id, kind, actor_key, actor_name, detail, at_ms)
                VALUES (@id, @kind, @actor, @actorName, @detail, @at);
                """, new { id = row.Id, kind = ReferralRules.Events.Created, actor = row.ReferrerKey, actorName, detail = (string?)null, at = row.CreatedMs }, tx);
            return row;
        }, ct);

    /// <summary>Applies <paramref name="set"/> (an UPDATE's SET list over the row's columns) when the referral's status is one of
    /// <paramref name="from"/>, and records the event; false when the status had changed meanwhile (nothing written).</summary>
    public Task<bool> ChangeAsync(long id, IReadOnlyCollection<string> from, string set, object args, string kind, string actorKey, string actorName,
        string? detail, long at, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var parameters = new DynamicParameters(args);
            parameters.Add("id", id);
            var status = In("status", "from", from, parameters);
            var changed = await c.ExecuteAsync($"UPDATE pr_referral SET {set} WHERE id = @id AND {status};", parameters, tx);
            if (changed == 0) return false;
            await c.ExecuteAsync("""
                INSERT INTO pr_referral_event (referral_id, kind, actor_key, actor_name, detail, at_ms)
                VALUES (@id, @kind, @actorKey, @actorName, @detail, @at);
                """, new { id, kind, actorKey, actorName, detail, at }, tx);
            return true;
        }, ct);
}
