using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Practice;

/// <summary>
/// The supporter's time (issue 20, docs/adr/0009-supporter-time.md): their practice, stored in the Api's own store
/// (<see cref="TimeStore"/>), not in the family's dossier. The author writes, changes within <see cref="PracticeOptions.EditDays"/>
/// and corrects (never deletes) and always reads all own entries, also after a grant ended; writing for a family needs the
/// current right to register time there (<see cref="DossierOperation.RegisterTime"/>). The family reads the time spent on
/// them, read-only, only as the consent policy lets the caller read section tijd, and that read is audited like a dossier
/// read. A team's coach sees totals per supporter, activity and month: no families, no notes.
/// </summary>
public static class PracticeTimeApi
{
    /// <summary>The body of a new entry or an edit (nullable, so a missing field is our 400/422 rather than the binder's).</summary>
    public sealed record TimeInput(string? Activity, string? Date, int? Minutes, string? Note, string? PatientId);

    public sealed record CorrectionInput(int? Minutes, string? Reason, string? Note);

    /// <summary>How far back one call reaches; a longer period is asked in parts.</summary>
    private const int MaxDays = 366;

    private const string SupporterRole = "supporter";

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static IEndpointRouteBuilder MapPracticeTimeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Tijd");
        api.MapGet("/dossiers/{patientId}/time", ForDossier);
        api.MapPost("/dossiers/{patientId}/time", RegisterForDossier);
        api.MapGet("/time", Mine);
        api.MapPost("/time", Register);
        api.MapGet("/time/activities", Activities);
        api.MapGet("/time/export", Export);
        api.MapGet("/time/team", Team);
        api.MapPut("/time/{entryId}", Edit);
        api.MapPost("/time/{entryId}/corrections", Correct);
        api.MapDelete("/time/{entryId}", NeverDeleted);
        return app;
    }

    private static Ok<TimeActivity[]> Activities() => TypedResults.Ok(SupporterActivity.Display
        .Select(a => new TimeActivity(a.Key, a.Value, SupporterActivity.IsOutsideFamily(a.Key))).ToArray());

    /// <summary>The family's view: the time spent on this dossier by every supporter, read-only, corrections applied. 404 when
    /// the caller sees nothing of the dossier, 403 when tijd is not shared with them; the read is in the dossier's audit trail.</summary>
    private static async Task<Ok<TimeSheet>> ForDossier(HttpContext http, FhirRepository repo, TimeStore store, AuditLog audit, TimeProvider clock,
        string patientId, string? from, string? to)
    {
        var (start, end) = Period(clock, from, to);
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Tijd)) throw ApiProblem.NotShared(Section.Display[Section.Tijd]);
        var rows = await store.OfPatientAsync(patientId, Day(start), Day(end), http.RequestAborted);
        // Not a FHIR read, yet dossier data: recorded as a search of section tijd of this patient, with the caller's grants.
        audit.Enqueue(new PendingAudit(FhirHttp.Context(http), reader.Scope, "search", 200, [("Basic", "praktijktijd", null)], "praktijktijd",
            clock.GetUtcNow(), PerPatient: false, Incoming: new Pgo.Fhir.Storage.ResourcePlacement("Basic", "praktijktijd", Section.Tijd, [patientId])));
        return TypedResults.Ok(Sheet(start, end, rows, viewer: null, clock, 0));
    }

    /// <summary>The caller's own time in a period: every entry they wrote, for a family or not, whatever their grants now.</summary>
    private static async Task<Ok<TimeSheet>> Mine(HttpContext http, TimeStore store, TimeProvider clock, IOptions<PracticeOptions> options, string? from, string? to)
    {
        var caller = Caller(http);
        var (start, end) = Period(clock, from, to);
        var rows = await store.OfAuthorAsync(caller.Key, Day(start), Day(end), http.RequestAborted);
        return TypedResults.Ok(Sheet(start, end, rows, caller.Key, clock, options.Value.EditDays));
    }

    private static Task<Created<TimeEntry>> RegisterForDossier(HttpContext http, FhirRepository repo, TimeStore store, TimeProvider clock,
        IOptions<PracticeOptions> options, string patientId, TimeInput request) =>
        Register(http, repo, store, clock, options, request with { PatientId = patientId });

    private static async Task<Created<TimeEntry>> Register(HttpContext http, FhirRepository repo, TimeStore store, TimeProvider clock,
        IOptions<PracticeOptions> options, TimeInput request)
    {
        var caller = Caller(http);
        var patientId = string.IsNullOrWhiteSpace(request.PatientId) ? null : request.PatientId.Trim();
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        if (patientId is not null) await MayRegisterForAsync(http, repo, scope, patientId);
        else if (!caller.Roles.Contains(SupporterRole)) throw ApiProblem.Forbidden(ApiText.TimeNeedsSupporter);
        var date = ParseDate(request.Date);
        var minutes = request.Minutes ?? 0;
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (TimeRules.CheckEntry(request.Activity, patientId is not null, date, minutes, note, Today(clock)) is { } problem)
            throw Unprocessable(problem);

        var authorRef = DossierOperations.TimeAuthor(scope);
        var row = new TimeRow
        {
            AuthorKey = caller.Key,
            AuthorName = await AuthorNameAsync(http, repo, caller, authorRef),
            AuthorRef = authorRef,
            PatientId = patientId,
            FamilyName = patientId is null ? null : await FamilyNameAsync(http, repo, scope, patientId),
            Activity = request.Activity!,
            EntryDate = Day(date),
            Minutes = minutes,
            Note = note,
            CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        var stored = (await store.InsertAsync(row, http.RequestAborted))!;
        return TypedResults.Created($"/api/time/{stored.Id}", View(stored, null, caller.Key, clock, options.Value.EditDays));
    }

    /// <summary>The author changes activity, date, minutes and note within the edit period; nobody else changes anything.</summary>
    private static async Task<Ok<TimeEntry>> Edit(HttpContext http, FhirRepository repo, TimeStore store, TimeProvider clock,
        IOptions<PracticeOptions> options, string entryId, TimeInput request)
    {
        var caller = Caller(http);
        var row = await OwnEntryAsync(http, store, caller, entryId);
        var editDays = options.Value.EditDays;
        if (!TimeRules.MayEdit(DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs), row.CorrectsId is not null, clock.GetUtcNow(), editDays))
            throw Unprocessable(row.CorrectsId is not null ? ApiText.TimeCorrectionOfCorrection : ApiProblem.Text(ApiText.TimeEditPeriodOver, editDays));
        if (row.PatientId is { } patientId)
            await MayRegisterForAsync(http, repo, await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted), patientId);
        var date = ParseDate(request.Date);
        var minutes = request.Minutes ?? 0;
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (TimeRules.CheckEntry(request.Activity, row.PatientId is not null, date, minutes, note, Today(clock)) is { } problem)
            throw Unprocessable(problem);
        var updated = await store.UpdateAsync(row.Id, request.Activity!, Day(date), minutes, note, clock.GetUtcNow().ToUnixTimeMilliseconds(),
            sum => TimeRules.CheckEditTotal(minutes, sum), http.RequestAborted);
        return TypedResults.Ok(View(updated, null, caller.Key, clock, editDays));
    }

    /// <summary>A correction: a new entry of the author naming the corrected one, with a required reason; its minutes may be
    /// negative, the corrected entry's total never below 0.</summary>
    private static async Task<Created<TimeEntry>> Correct(HttpContext http, FhirRepository repo, TimeStore store, TimeProvider clock,
        IOptions<PracticeOptions> options, string entryId, CorrectionInput request)
    {
        var caller = Caller(http);
        var row = await OwnEntryAsync(http, store, caller, entryId);
        if (row.PatientId is { } patientId)
            await MayRegisterForAsync(http, repo, await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted), patientId);
        var minutes = request.Minutes ?? 0;
        var reason = request.Reason?.Trim();
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        var correction = new TimeRow
        {
            AuthorKey = row.AuthorKey, AuthorName = row.AuthorName, AuthorRef = row.AuthorRef, PatientId = row.PatientId, FamilyName = row.FamilyName,
            Activity = row.Activity, EntryDate = row.EntryDate, Minutes = minutes, Note = note, CorrectsId = row.Id, Reason = reason,
            CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        var stored = await store.CorrectAsync(correction,
            (corrected, total) => TimeRules.CheckCorrection(corrected.CorrectsId is not null, total, minutes, reason, note), http.RequestAborted);
        return TypedResults.Created($"/api/time/{stored.Id}", View(stored, null, caller.Key, clock, options.Value.EditDays));
    }

    private static ProblemHttpResult NeverDeleted() =>
        TypedResults.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: ApiErrors.Title(StatusCodes.Status405MethodNotAllowed), detail: ApiText.TimeNeverDeleted);

    /// <summary>The caller's own entries of one month as CSV for Dutch Excel (UTF-8 with BOM, ';', Dutch headers and dates).</summary>
    private static async Task<FileContentHttpResult> Export(HttpContext http, TimeStore store, TimeProvider clock, string? month)
    {
        var caller = Caller(http);
        var first = ParseMonth(month ?? DutchTime.Today(clock.GetUtcNow()).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        var last = first.AddMonths(1).AddDays(-1);
        var rows = await store.OfAuthorAsync(caller.Key, Day(first), Day(last), http.RequestAborted);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(TimeCsv.Write(rows.OrderBy(r => r.EntryDate, StringComparer.Ordinal).ThenBy(r => r.Id).ToList()),
            "text/csv; charset=utf-8", $"tijd-{first:yyyy-MM}.csv");
    }

    /// <summary>The coach's view: per member of each team the caller coaches, minutes per activity per month. No family
    /// names, no notes, no entries. 403 for whoever coaches no team.</summary>
    private static async Task<Ok<TeamTimeTotal[]>> Team(HttpContext http, TimeStore store, TeamDirectory directory, TimeProvider clock, string? from, string? to)
    {
        var caller = Caller(http);
        var thisMonth = DutchTime.Today(clock.GetUtcNow()).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        DateOnly start, end;
        try
        {
            start = ParseMonth(from ?? thisMonth);
            end = ParseMonth(to ?? thisMonth).AddMonths(1).AddDays(-1);
        }
        catch (ApiProblem)
        {
            throw ApiProblem.BadRequest(ApiText.TimeMonthRangeInvalid);
        }
        if (end < start || end.DayNumber - start.DayNumber > MaxDays) throw ApiProblem.BadRequest(ApiText.TimeMonthRangeInvalid);
        var coached = (await directory.TeamsOfAsync(caller.Key, http.RequestAborted)).Where(t => TeamSpaceAuthorization.SeesMembersTime(t.Member.Role)).ToList();
        if (coached.Count == 0) throw ApiProblem.Forbidden(ApiText.TimeCoachOnly);
        var totals = new List<TeamTimeTotal>();
        foreach (var (team, _) in coached)
        {
            var members = (await directory.MembersAsync(team.Id, http.RequestAborted)).Where(m => TeamSpaceAuthorization.TimeCountsForTeam(m.Role)).ToList();
            var names = members.ToDictionary(m => m.MemberKey, m => m.DisplayName, StringComparer.Ordinal);
            var rows = await store.OfAuthorsAsync(names.Keys, Day(start), Day(end), http.RequestAborted);
            totals.AddRange(rows.GroupBy(r => (r.AuthorKey, Month: r.EntryDate[..7], r.Activity))
                .Select(g => new TeamTimeTotal(team.Name, names[g.Key.AuthorKey], g.Key.Month, g.Key.Activity,
                    SupporterActivity.Display.GetValueOrDefault(g.Key.Activity, g.Key.Activity), g.Sum(r => r.Minutes))));
        }
        return TypedResults.Ok(totals.OrderBy(t => t.Team, StringComparer.Ordinal).ThenBy(t => t.Supporter, StringComparer.Ordinal)
            .ThenBy(t => t.Month, StringComparer.Ordinal).ThenBy(t => t.Activity, StringComparer.Ordinal).ToArray());
    }

    /// <summary>404 when the caller sees nothing of the dossier (audited by the repository), 403 when they may not register
    /// time there now (<see cref="DossierOperation.RegisterTime"/>).</summary>
    private static async System.Threading.Tasks.Task MayRegisterForAsync(HttpContext http, FhirRepository repo, AccessScope scope, string patientId)
    {
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview))
        {
            await DossierReader.OpenAsync(http, repo, patientId); // audits the refusal and throws its 404
            throw ApiProblem.DossierNotFound(patientId);
        }
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.RegisterTime) || DossierOperations.TimeAuthor(scope) is null)
            throw ApiProblem.Forbidden(DossierOperations.Refusal(DossierOperation.RegisterTime));
    }

    /// <summary>An entry of the caller's own; anyone else's (or none) is the same 404.</summary>
    private static async Task<TimeRow> OwnEntryAsync(HttpContext http, TimeStore store, TeamCaller caller, string entryId)
    {
        if (!long.TryParse(entryId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || await store.FindAsync(id, http.RequestAborted) is not { } row || !TimeRules.IsAuthor(row.AuthorKey, caller.Key))
            throw ApiProblem.NotFound(ApiText.TimeEntryNotFound);
        return row;
    }

    private static TeamCaller Caller(HttpContext http) =>
        TeamCaller.From(http.User) ?? throw new ApiProblem(StatusCodes.Status401Unauthorized, ApiErrors.Title(StatusCodes.Status401Unauthorized));

    /// <summary>The name the family and the coach see: the account's name, else the Practitioner's (read as the caller).</summary>
    private static async Task<string> AuthorNameAsync(HttpContext http, FhirRepository repo, TeamCaller caller, string? authorRef)
    {
        if (caller.Name != caller.Key) return caller.Name;
        if (authorRef?.Split('/') is [var type, var id])
        {
            try
            {
                var who = await repo.ReadAsync(FhirHttp.Context(http), type, id, http.RequestAborted);
                if (DisplayNames.Of(FhirJson.Parse<Practitioner>(who.Stored!.Json).Name) is { } name) return name;
            }
            catch (FhirException)
            {
                // The name is a courtesy on the entry; an author the caller cannot read is registered without it.
            }
        }
        return "";
    }

    /// <summary>The family's name as shown now (kept with the entry: it stays the supporter's after the grant ends). A
    /// platform read like "my dossiers", audited in the family's trail.</summary>
    private static async Task<string?> FamilyNameAsync(HttpContext http, FhirRepository repo, AccessScope scope, string patientId)
    {
        var patient = await repo.AsPlatform(PlatformPurpose.PatientNames, FhirHttp.Context(http), scope).ReadAsync<Patient>(patientId, http.RequestAborted);
        return patient is null ? null : DisplayNames.Of(patient.Name);
    }

    private static DateOnly Today(TimeProvider clock) => DutchTime.Today(clock.GetUtcNow());

    private static DateOnly ParseDate(string? s) =>
        s is not null && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw ApiProblem.BadRequest(ApiText.DateInvalid);

    private static DateOnly ParseMonth(string s) =>
        DateOnly.TryParseExact(s + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw ApiProblem.BadRequest(ApiText.TimeMonthInvalid);

    /// <summary>The period asked for (default: this month up to today); a 400 when it is not one.</summary>
    private static (DateOnly, DateOnly) Period(TimeProvider clock, string? from, string? to)
    {
        var today = DutchTime.Today(clock.GetUtcNow());
        DateOnly? Parse(string? s, DateOnly fallback) =>
            s is null ? fallback : DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var start = Parse(from, new DateOnly(today.Year, today.Month, 1));
        var end = Parse(to, today);
        if (start is not { } s || end is not { } e || e < s || e.DayNumber - s.DayNumber > MaxDays)
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.PeriodInvalid, MaxDays));
        return (s, e);
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ApiProblem Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, detail);

    /// <summary>The sheet of a period, corrections applied: every entry (corrections as their own lines) and the totals.
    /// <paramref name="viewer"/>: the author reading their own sheet (edit periods shown), null for the family's read-only view.</summary>
    private static TimeSheet Sheet(DateOnly from, DateOnly to, IReadOnlyList<TimeRow> rows, string? viewer, TimeProvider clock, int editDays)
    {
        var corrections = rows.Where(r => r.CorrectsId is not null).GroupBy(r => r.CorrectsId!.Value).ToDictionary(g => g.Key, g => g.Sum(r => r.Minutes));
        var entries = rows.Select(r => View(r, r.CorrectsId is null ? r.Minutes + corrections.GetValueOrDefault(r.Id) : null, viewer, clock, editDays))
            .OrderByDescending(e => e.Date, StringComparer.Ordinal).ThenByDescending(e => long.Parse(e.Id, CultureInfo.InvariantCulture)).ToArray();
        var family = rows.Where(r => r.PatientId is not null).ToList();
        return new TimeSheet(Day(from), Day(to), rows.Sum(r => r.Minutes),
            family.GroupBy(r => r.PatientId!, StringComparer.Ordinal)
                .Select(g => new FamilyMinutes(g.Key, g.Sum(r => r.Minutes), g.OrderByDescending(r => r.CreatedMs).Select(r => r.FamilyName).FirstOrDefault(n => n is not null)))
                .OrderByDescending(f => f.Minutes).ThenBy(f => f.PatientId, StringComparer.Ordinal).ToArray(),
            rows.GroupBy(r => r.Activity, StringComparer.Ordinal)
                .Select(g => new ActivityMinutes(g.Key, SupporterActivity.Display.GetValueOrDefault(g.Key, g.Key), g.Sum(r => r.Minutes)))
                .OrderByDescending(a => a.Minutes).ThenBy(a => a.Activity, StringComparer.Ordinal).ToArray(),
            entries,
            rows.Where(r => r.PatientId is null).Sum(r => r.Minutes));
    }

    private static TimeEntry View(TimeRow r, int? correctedMinutes, string? viewer, TimeProvider clock, int editDays)
    {
        var created = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedMs);
        var editable = viewer is not null && TimeRules.IsAuthor(r.AuthorKey, viewer) && TimeRules.MayEdit(created, r.CorrectsId is not null, clock.GetUtcNow(), editDays);
        return new TimeEntry(r.Id.ToString(CultureInfo.InvariantCulture), r.PatientId, r.Activity, SupporterActivity.Display.GetValueOrDefault(r.Activity, r.Activity),
            r.EntryDate, r.Minutes, r.Note, r.AuthorRef, r.AuthorName.Length > 0 ? r.AuthorName : null, r.FamilyName, SupporterActivity.IsOutsideFamily(r.Activity),
            r.CorrectsId?.ToString(CultureInfo.InvariantCulture), r.Reason, correctedMinutes ?? (r.CorrectsId is null ? r.Minutes : null),
            editable ? DutchTime.Today(TimeRules.EditableUntil(created, editDays)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
    }

    internal static string DutchDate(string day) =>
        DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("d MMMM yyyy", Dutch) : day;
}
