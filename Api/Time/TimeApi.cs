using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using static Pgo.Fhir.Access.PgoCodes;
using Pgo.Shared.Text;

namespace Pgo.Api.Time;

/// <summary>
/// Time registration per family per activity (section tijd; mapping and rules in <see cref="TimeRegistration"/>,
/// docs/adr/0005-dossier-mapping.md). Reads and writes go through <see cref="FhirRepository"/> as the caller, so the
/// consent predicate is inside every query and every access is audited; the family reads its supporters' time, only a
/// supporter (ondersteuner or invaller) with write on tijd registers it.
/// </summary>
public static class TimeApi
{
    public static IEndpointRouteBuilder MapTimeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Tijd");
        api.MapGet("/dossiers/{patientId}/time", ForDossier);
        api.MapPost("/dossiers/{patientId}/time", Register);
        api.MapGet("/time", AcrossFamilies);
        return app;
    }

    public sealed record TimeRequest(string? Activity, string? Date, int Minutes, string? Note);

    public sealed record TimeEntry(string Id, string PatientId, string Activity, string ActivityName, string Date, int Minutes, string? Note,
        string? Author, string? AuthorName);

    public sealed record FamilyMinutes(string PatientId, int Minutes);

    public sealed record ActivityMinutes(string Activity, string Name, int Minutes);

    /// <summary>The entries of a period (newest first) with the totals per family and per activity.</summary>
    public sealed record TimeSheet(string From, string To, int TotalMinutes, FamilyMinutes[] Families, ActivityMinutes[] Activities, TimeEntry[] Entries);

    /// <summary>How far back one call reaches; a longer period is asked in parts.</summary>
    private const int MaxDays = 366;

    private const int MaxEntries = 1000;

    private static async Task<Ok<TimeSheet>> ForDossier(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string? from, string? to)
    {
        var (start, end) = Period(clock, from, to);
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Tijd)) throw ApiProblem.NotShared(Section.Display[Section.Tijd]);
        var found = await reader.SearchAsync<Basic>(Section.Tijd, Query(start, end));
        return TypedResults.Ok(Sheet(start, end, found));
    }

    /// <summary>The caller's caseload: every time registration the caller may read in the period, one enforced search.</summary>
    private static async Task<Ok<TimeSheet>> AcrossFamilies(HttpContext http, FhirRepository repo, TimeProvider clock, string? from, string? to)
    {
        var (start, end) = Period(clock, from, to);
        var response = await repo.SearchAsync(FhirHttp.Context(http), "Basic",
            Query(start, end).Select(q => new KeyValuePair<string, string>(q.Key, q.Value)).ToList(), http.RequestAborted);
        var found = FhirJson.Parse<Bundle>(response.Json!).Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource).OfType<Basic>();
        return TypedResults.Ok(Sheet(start, end, found));
    }

    private static async Task<Created<TimeEntry>> Register(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, TimeRequest request)
    {
        var caller = FhirHttp.Caller(http);
        var scope = await repo.Access.CompileAsync(caller, http.RequestAborted);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview))
        {
            await DossierReader.OpenAsync(http, repo, patientId); // audits the refusal and throws its 404
            throw ApiProblem.DossierNotFound(patientId);
        }
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.RegisterTime) || DossierOperations.TimeAuthor(scope) is not { } author)
            throw ApiProblem.Forbidden(DossierOperations.Refusal(DossierOperation.RegisterTime));
        if (request.Date is null || !DateOnly.TryParseExact(request.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw ApiProblem.BadRequest(ApiText.DateInvalid);

        var ctx = FhirHttp.Context(http);
        string? authorName = null;
        try
        {
            var who = await repo.ReadAsync(ctx, author.Split('/')[0], author.Split('/')[1], http.RequestAborted);
            authorName = DisplayNames.Of(FhirJson.Parse<Practitioner>(who.Stored!.Json).Name);
        }
        catch (FhirException)
        {
            // The name is a courtesy on the entry; an author the caller cannot read is registered without it.
        }
        var entry = TimeRegistration.New(patientId, author, authorName, request.Activity ?? "", date, request.Minutes, request.Note);
        // The profile's refusal (422, TimeRegistration) or the policy's (403) passes through the error path.
        var created = await repo.CreateAsync(ctx, "Basic", entry, null, http.RequestAborted);
        var view = View(FhirJson.Parse<Basic>(created.Stored!.Json))!;
        return TypedResults.Created($"/api/dossiers/{patientId}/time", view);
    }

    /// <summary>The period asked for (default: this month up to today); a 400 when it is not one.</summary>
    private static (DateOnly, DateOnly) Period(TimeProvider clock, string? from, string? to)
    {
        var today = TimeRegistration.Today(clock);
        DateOnly? Parse(string? s, DateOnly fallback) =>
            s is null ? fallback : DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var start = Parse(from, new DateOnly(today.Year, today.Month, 1));
        var end = Parse(to, today);
        if (start is not { } s || end is not { } e || e < s || e.DayNumber - s.DayNumber > MaxDays)
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.PeriodInvalid, MaxDays));
        return (s, e);
    }

    private static (string Key, string Value)[] Query(DateOnly from, DateOnly to) =>
    [
        ("code", SupporterActivity.System + "|"),
        ("created", "ge" + from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("created", "le" + to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("_sort", "-created"),
        ("_count", MaxEntries.ToString(CultureInfo.InvariantCulture)),
    ];

    private static TimeSheet Sheet(DateOnly from, DateOnly to, IEnumerable<Basic> found)
    {
        var entries = found.Select(View).OfType<TimeEntry>().OrderByDescending(e => e.Date, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
        return new TimeSheet(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            entries.Sum(e => e.Minutes),
            entries.GroupBy(e => e.PatientId, StringComparer.Ordinal).Select(g => new FamilyMinutes(g.Key, g.Sum(e => e.Minutes)))
                .OrderByDescending(f => f.Minutes).ThenBy(f => f.PatientId, StringComparer.Ordinal).ToArray(),
            entries.GroupBy(e => e.Activity, StringComparer.Ordinal).Select(g => new ActivityMinutes(g.Key, g.First().ActivityName, g.Sum(e => e.Minutes)))
                .OrderByDescending(a => a.Minutes).ThenBy(a => a.Activity, StringComparer.Ordinal).ToArray(),
            entries);
    }

    /// <summary>The view of a stored registration; null for a Basic that is no (valid) time registration.</summary>
    private static TimeEntry? View(Basic b)
    {
        if (!TimeRegistration.IsTimeEntry(b) || TimeRegistration.ActivityOf(b) is not { } activity || TimeRegistration.MinutesOf(b) is not { } minutes
            || b.Subject?.Reference is not { } subject || b.Created is not { } date)
            return null;
        return new TimeEntry(b.Id!, subject.Split('/')[^1], activity, SupporterActivity.Display.GetValueOrDefault(activity, activity), date, minutes,
            TimeRegistration.NoteOf(b), b.Author?.Reference, b.Author?.Display);
    }
}
