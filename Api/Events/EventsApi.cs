using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Realtime;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Events;

/// <summary>
/// Events that count and procedures (issue 20, section gebeurtenissen; mapping and rules in <see cref="CountableEvent"/>,
/// docs/adr/0005-dossier-mapping.md). Reads and writes go through <see cref="FhirRepository"/> as the caller: the consent
/// predicate is inside every query, every read is audited, and a write is decided by the ordinary write path (who may
/// write the section, the profile's rules, references only within the dossier).
/// </summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Gebeurtenissen");
        api.MapGet("/dossiers/{patientId}/events", ForDossier);
        api.MapPost("/dossiers/{patientId}/events", Record);
        api.MapPut("/dossiers/{patientId}/events/{eventId}", Update);
        api.MapGet("/procedures/upcoming", Upcoming);
        return app;
    }

    private const int MaxEvents = 1000;

    /// <summary>How far ahead "upcoming" looks by default, and at most.</summary>
    private const int DefaultAheadDays = 60;
    private const int MaxAheadDays = 366;

    private static async Task<Ok<EventRegister>> ForDossier(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId,
        string? type, string? from, string? to)
    {
        if (type is not null && !EventCodes.TypeDisplay.ContainsKey(type))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.EventTypeUnknown, string.Join(", ", EventCodes.TypeDisplay.Keys)));
        var today = TimeRegistration.Today(clock);
        var start = ParseOr(from, new DateOnly(1900, 1, 1)); // all of a family's history
        var end = ParseOr(to, today);
        if (start is not { } s || end is not { } e || e < s) throw ApiProblem.BadRequest(ApiText.DateInvalid);
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Gebeurtenissen)) throw ApiProblem.NotShared(Section.Display[Section.Gebeurtenissen]);
        var found = await reader.SearchAsync<Basic>(Section.Gebeurtenissen,
            ("code", EventCodes.TypeSystem + "|" + (type ?? "")),
            ("created", "ge" + Iso(s)), ("created", "le" + Iso(e)),
            ("_sort", "-created"), ("_count", MaxEvents.ToString(CultureInfo.InvariantCulture)));
        var events = found.Select(b => View(b, today)).OfType<EventView>()
            .OrderByDescending(v => v.Date, StringComparer.Ordinal).ThenBy(v => v.Id, StringComparer.Ordinal).ToArray();
        var counts = events.GroupBy(v => v.Type, StringComparer.Ordinal)
            .Select(g => new TypeCount(g.Key, g.First().TypeName, g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Type, StringComparer.Ordinal).ToArray();
        return TypedResults.Ok(new EventRegister(Iso(s), Iso(e), events.Length, counts, events));
    }

    private static async Task<Created<EventView>> Record(HttpContext http, FhirRepository repo, PersonNames people, TimeProvider clock,
        string patientId, EventRequest request)
    {
        // 404 for a dossier the caller does not see (audited by the reader); the write path decides the write itself.
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Gebeurtenissen)) throw ApiProblem.NotShared(Section.Display[Section.Gebeurtenissen]);
        if (ParseOr(request.Date, null) is not { } date) throw ApiProblem.BadRequest(ApiText.DateInvalid);
        DateOnly? deadline = null;
        if (request.Deadline is not null)
            deadline = ParseOr(request.Deadline, null) ?? throw ApiProblem.BadRequest(ApiText.DateInvalid);

        var caller = FhirHttp.Caller(http);
        var author = reader.Scope.ActingAs.TryGetValue(patientId, out var acting) && acting.Count > 0 ? acting[0] : caller.FhirUser;
        var fields = new CountableEvent.Fields(request.Type ?? "", date, request.Description ?? "", Blank(request.Regeling), Blank(request.Instantie),
            request.Links?.Where(l => !string.IsNullOrWhiteSpace(l)).ToList(), Blank(request.Status), deadline, Blank(request.DeadlineKind),
            Blank(request.Decision), Blank(request.Outcome), Blank(request.SharePackage), Blank(request.Contests));
        var basic = CountableEvent.New(patientId, author, await people.NameAsync(caller.FhirUser, http.RequestAborted), fields);
        // The policy's refusal (403), the profile's (422: codes, dates, links outside the dossier) pass through the error path.
        var created = await repo.CreateAsync(FhirHttp.Context(http), "Basic", basic, null, http.RequestAborted);
        var view = View(FhirJson.Parse<Basic>(created.Stored!.Json), TimeRegistration.Today(clock))!;
        return TypedResults.Created($"/api/dossiers/{patientId}/events", view);
    }

    /// <summary>
    /// PUT: the whole event as it should be, on the version the caller saw (If-Match or <c>version</c>): a stale version is a
    /// 409 and nothing is written. The type, the dossier and who recorded it stay; everything else is replaced (a field left
    /// out is cleared). Written through <see cref="FhirRepository.UpdateAsync"/> as the caller: the write policy decides who
    /// may (write on gebeurtenissen), the profile what (codes, dates, links and the contested event within the dossier).
    /// </summary>
    private static async Task<Ok<EventView>> Update(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string eventId,
        EventUpdate request)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Gebeurtenissen)) throw ApiProblem.NotShared(Section.Display[Section.Gebeurtenissen]);
        if (await reader.ReadAsync<Basic>("Basic", eventId) is not { } current || !CountableEvent.IsEvent(current)
            || current.Subject?.Reference != $"Patient/{patientId}" || CountableEvent.TypeOf(current) is not { } type)
            throw ApiProblem.NotFound(ApiText.EventNotFound);
        var seen = SeenVersion(http, request) ?? throw ApiProblem.BadRequest(ApiText.EventVersionMissing);
        if (ParseOr(request.Date, null) is not { } date) throw ApiProblem.BadRequest(ApiText.DateInvalid);
        DateOnly? deadline = null;
        if (request.Deadline is not null)
            deadline = ParseOr(request.Deadline, null) ?? throw ApiProblem.BadRequest(ApiText.DateInvalid);
        var stored = VersionOf(current);
        if (seen != stored) throw Stale(stored);

        var fields = new CountableEvent.Fields(type, date, request.Description ?? "", Blank(request.Regeling), Blank(request.Instantie),
            request.Links?.Where(l => !string.IsNullOrWhiteSpace(l)).ToList(), Blank(request.Status), deadline, Blank(request.DeadlineKind),
            Blank(request.Decision), Blank(request.Outcome), Blank(request.SharePackage), Blank(request.Contests));
        var basic = CountableEvent.New(patientId, current.Author?.Reference, current.Author?.Display, fields, eventId);
        FhirResponse saved;
        try
        {
            // The store checks the version again inside its write transaction: of two changes on the same version one wins.
            saved = await repo.UpdateAsync(FhirHttp.Context(http), "Basic", eventId, basic, $"W/\"{seen}\"", http.RequestAborted);
        }
        catch (Pgo.Fhir.FhirException e) when (e.Status is System.Net.HttpStatusCode.PreconditionFailed or System.Net.HttpStatusCode.Conflict)
        {
            throw Stale(null);
        }
        return TypedResults.Ok(View(FhirJson.Parse<Basic>(saved.Stored!.Json), TimeRegistration.Today(clock))!);
    }

    private static ApiProblem Stale(int? now) => new(StatusCodes.Status409Conflict, ApiText.EventChangedMeanwhile, ApiText.EventChangedMeanwhileTitle,
        now is { } v ? new Dictionary<string, object?> { ["currentVersion"] = v } : null);

    /// <summary>The version the caller saw: the If-Match header (<c>W/"3"</c> or <c>3</c>), else the body's <c>version</c>.</summary>
    private static int? SeenVersion(HttpContext http, EventUpdate request)
    {
        if (http.Request.Headers.IfMatch.ToString() is { Length: > 0 } header)
        {
            var value = header.Trim();
            if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
            return int.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
        }
        return request.Version is > 0 ? request.Version : null;
    }

    private static int VersionOf(Basic b) =>
        int.TryParse(b.Meta?.VersionId, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 1;

    /// <summary>The open procedures with a deadline from today up to <paramref name="days"/> ahead (and those already past
    /// it, still open), across every family the caller may read the section of: one enforced search.</summary>
    private static async Task<Ok<EventView[]>> Upcoming(HttpContext http, FhirRepository repo, TimeProvider clock, int? days)
    {
        var ahead = days ?? DefaultAheadDays;
        if (ahead is < 0 or > MaxAheadDays) throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.EventDaysInvalid, MaxAheadDays));
        var today = TimeRegistration.Today(clock);
        var response = await repo.SearchAsync(FhirHttp.Context(http), "Basic",
            [new("code", EventCodes.TypeSystem + "|"), new("_count", MaxEvents.ToString(CultureInfo.InvariantCulture))], http.RequestAborted);
        var open = FhirJson.Parse<Bundle>(response.Json!).Entry.Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource).OfType<Basic>()
            .Where(b => CountableEvent.IsOpenProcedure(b) && CountableEvent.DeadlineOf(b) <= today.AddDays(ahead))
            .Select(b => View(b, today)).OfType<EventView>()
            .OrderBy(v => v.Procedure!.Deadline, StringComparer.Ordinal).ThenBy(v => v.Id, StringComparer.Ordinal).ToArray();
        return TypedResults.Ok(open);
    }

    /// <summary>The view of a stored event; null for a Basic that is no (valid) event.</summary>
    internal static EventView? View(Basic b, DateOnly today)
    {
        if (!CountableEvent.IsEvent(b) || CountableEvent.TypeOf(b) is not { } type || b.Subject?.Reference is not { } subject || b.Created is not { } date)
            return null;
        var regeling = CountableEvent.RegelingOf(b);
        var instantie = CountableEvent.InstantieOf(b);
        ProcedureView? procedure = null;
        if (EventCodes.IsProcedure(type))
        {
            var status = CountableEvent.StatusOf(b);
            var deadline = CountableEvent.DeadlineOf(b);
            var kind = CountableEvent.DeadlineKindOf(b);
            var outcome = CountableEvent.OutcomeOf(b);
            procedure = new ProcedureView(status, Name(EventCodes.StatusDisplay, status), deadline is { } d ? Iso(d) : null, kind,
                Name(EventCodes.DeadlineDisplay, kind), deadline is { } dl && EventCodes.IsOpen(status) ? dl.DayNumber - today.DayNumber : null,
                CountableEvent.DecisionOf(b), outcome, Name(EventCodes.OutcomeDisplay, outcome), CountableEvent.SharePackageOf(b));
        }
        return new EventView(b.Id!, subject.Split('/')[^1], type, EventCodes.TypeDisplay.GetValueOrDefault(type, type), date,
            CountableEvent.DescriptionOf(b), regeling, Name(EventCodes.RegelingDisplay, regeling), instantie, Name(EventCodes.InstantieDisplay, instantie),
            [.. CountableEvent.LinksOf(b)], b.Author?.Reference, b.Author?.Display, procedure, VersionOf(b), CountableEvent.ContestsOf(b));
    }

    private static string? Name(IReadOnlyDictionary<string, string> names, string? code) => code is null ? null : names.GetValueOrDefault(code, code);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static DateOnly? ParseOr(string? s, DateOnly? fallback) =>
        s is null ? fallback : DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
