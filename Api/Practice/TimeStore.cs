using System.Data.Common;
using Dapper;
using Pgo.Api.TeamSpace.Data;

namespace Pgo.Api.Practice;

/// <summary>One stored time entry (table pr_time_entry, migration 5 of <see cref="TeamSpaceSchema"/>).</summary>
public sealed class TimeRow
{
    public long Id { get; set; }
    public string AuthorKey { get; set; } = "";
    public string AuthorName { get; set; } = "";
    public string? AuthorRef { get; set; }
    public string? PatientId { get; set; }
    public string? FamilyName { get; set; }
    public string Activity { get; set; } = "";
    public string EntryDate { get; set; } = "";
    public int Minutes { get; set; }
    public string? Note { get; set; }
    public long? CorrectsId { get; set; }
    public string? Reason { get; set; }
    public string? Source { get; set; }
    public long CreatedMs { get; set; }
    public long? UpdatedMs { get; set; }
}

/// <summary>
/// The supporter's time in the Api's own relational store, next to the team space (<see cref="TeamSpaceDatabase"/>: the same
/// SQLite/PostgreSQL handling). Plain storage: who may read or write what is decided by the callers (PracticeTimeApi,
/// <see cref="TimeRules"/>). There is no delete.
/// </summary>
public sealed class TimeStore(TeamSpaceDatabase db)
{
    /// <summary>Period filters are on entry_date (yyyy-MM-dd compares as text); at most this many rows per read.</summary>
    private const int MaxRows = 5000;

    public async Task<IReadOnlyList<TimeRow>> OfAuthorAsync(string authorKey, string from, string to, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<TimeRow>(
            $"SELECT * FROM pr_time_entry WHERE author_key = @authorKey AND entry_date >= @from AND entry_date <= @to ORDER BY entry_date DESC, id DESC LIMIT {MaxRows};",
            new { authorKey, from, to }), ct)).ToList();

    public async Task<IReadOnlyList<TimeRow>> OfPatientAsync(string patientId, string from, string to, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<TimeRow>(
            $"SELECT * FROM pr_time_entry WHERE patient_id = @patientId AND entry_date >= @from AND entry_date <= @to ORDER BY entry_date DESC, id DESC LIMIT {MaxRows};",
            new { patientId, from, to }), ct)).ToList();

    public async Task<IReadOnlyList<TimeRow>> OfAuthorsAsync(IReadOnlyCollection<string> authorKeys, string from, string to, CancellationToken ct)
    {
        if (authorKeys.Count == 0) return [];
        var args = new DynamicParameters(new { from, to });
        var names = authorKeys.Select((k, i) => { args.Add("a" + i, k); return "@a" + i; }).ToList();
        return (await db.ReadAsync(c => c.QueryAsync<TimeRow>(
            $"SELECT * FROM pr_time_entry WHERE author_key IN ({string.Join(", ", names)}) AND entry_date >= @from AND entry_date <= @to;", args), ct)).ToList();
    }

    /// <summary>The minutes per activity and family of several families in a period (the programme's aggregates, issue 21):
    /// sums only, never a note or an author.</summary>
    public async Task<IReadOnlyList<(string PatientId, string Activity, long Minutes)>> MinutesOfPatientsAsync(IReadOnlyCollection<string> patientIds, string from, string to, CancellationToken ct)
    {
        if (patientIds.Count == 0) return [];
        var args = new DynamicParameters(new { from, to });
        var names = patientIds.Select((p, i) => { args.Add("p" + i, p); return "@p" + i; }).ToList();
        var rows = await db.ReadAsync(c => c.QueryAsync<(string, string, long)>(
            $"SELECT patient_id, activity, SUM(minutes) FROM pr_time_entry WHERE patient_id IN ({string.Join(", ", names)}) AND entry_date >= @from AND entry_date <= @to GROUP BY patient_id, activity;", args), ct);
        return rows.ToList();
    }

    public Task<TimeRow?> FindAsync(long id, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<TimeRow>("SELECT * FROM pr_time_entry WHERE id = @id;", new { id }), ct);

    /// <summary>Inserts an entry; null when its <see cref="TimeRow.Source"/> is stored already (a move or demo load again).</summary>
    public Task<TimeRow?> InsertAsync(TimeRow row, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) => await InsertAsync(c, tx, row), ct);

    /// <summary>Inserts a correction after checking, in the same transaction, the corrected entry's total against
    /// <paramref name="check"/> (so two corrections at once cannot together take it below 0).</summary>
    public Task<TimeRow> CorrectAsync(TimeRow correction, Func<TimeRow, int, string?> check, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var corrected = await c.QuerySingleAsync<TimeRow>("SELECT * FROM pr_time_entry WHERE id = @id;", new { id = correction.CorrectsId }, tx);
            var total = corrected.Minutes + await CorrectionsSumAsync(c, tx, corrected.Id);
            if (check(corrected, total) is { } problem) throw new Errors.ApiProblem(StatusCodes.Status422UnprocessableEntity, problem);
            return (await InsertAsync(c, tx, correction))!;
        }, ct);

    /// <summary>Changes an entry's activity, date, minutes and note after <paramref name="check"/> passed on the sum of its
    /// corrections, in one transaction.</summary>
    public Task<TimeRow> UpdateAsync(long id, string activity, string date, int minutes, string? note, long now, Func<int, string?> check, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            if (check(await CorrectionsSumAsync(c, tx, id)) is { } problem) throw new Errors.ApiProblem(StatusCodes.Status422UnprocessableEntity, problem);
            // A correction carries its entry's date (it fixes that day's record).
            await c.ExecuteAsync("UPDATE pr_time_entry SET activity = @activity, entry_date = @date, minutes = @minutes, note = @note, updated_ms = @now WHERE id = @id;",
                new { id, activity, date, minutes, note, now }, tx);
            await c.ExecuteAsync("UPDATE pr_time_entry SET entry_date = @date WHERE corrects_id = @id;", new { id, date }, tx);
            return await c.QuerySingleAsync<TimeRow>("SELECT * FROM pr_time_entry WHERE id = @id;", new { id }, tx);
        }, ct);

    public Task<bool> HasSourceAsync(string source, CancellationToken ct) =>
        db.ReadAsync(async c => await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pr_time_entry WHERE source = @source;", new { source }) > 0, ct);

    /// <summary>Whether the one-time work <paramref name="name"/> is done (table pr_done).</summary>
    public Task<bool> IsDoneAsync(string name, CancellationToken ct) =>
        db.ReadAsync(async c => await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pr_done WHERE name = @name;", new { name }) > 0, ct);

    /// <summary>Records that the one-time work <paramref name="name"/> is done (again: no change).</summary>
    public Task MarkDoneAsync(string name, long now, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pr_done WHERE name = @name;", new { name }, tx) == 0)
                await c.ExecuteAsync("INSERT INTO pr_done (name, done_ms) VALUES (@name, @now);", new { name, now }, tx);
        }, ct);

    private static Task<int> CorrectionsSumAsync(DbConnection c, DbTransaction tx, long id) =>
        c.ExecuteScalarAsync<int>("SELECT COALESCE(SUM(minutes), 0) FROM pr_time_entry WHERE corrects_id = @id;", new { id }, tx);

    private static async Task<TimeRow?> InsertAsync(DbConnection c, DbTransaction tx, TimeRow row)
    {
        if (row.Source is not null
            && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pr_time_entry WHERE source = @Source;", new { row.Source }, tx) > 0)
            return null;
        row.Id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO pr_time_entry (author_key, author_name, author_ref, patient_id, family_name, activity, entry_date, minutes, note,
                corrects_id, reason, source, created_ms, updated_ms)
            VALUES (@AuthorKey, @AuthorName, @AuthorRef, @PatientId, @FamilyName, @Activity, @EntryDate, @Minutes, @Note,
                @CorrectsId, @Reason, @Source, @CreatedMs, @UpdatedMs) RETURNING id;
            """, row, tx);
        return row;
    }
}
