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
        api.MapGet("/procedures/upcoming", Upcoming);
        return app;
    }

    public sealed record EventRequest(string? Type, string? Date, string? Description, string? Regeling, string? Instantie, string[]? Links,
        string? Status, string? Deadline, string? DeadlineKind, string? Decision, string? Outcome, string? SharePackage);

    public sealed record ProcedureView(string? Status, string? StatusName, string? Deadline, string? DeadlineKind, string? DeadlineKindName,
        int? DaysLeft, string? Decision, string? Outcome, string? OutcomeName, string? SharePackage);

    public sealed record EventView(string Id, string PatientId, string Type, string TypeName, string Date, string? Description,
        string? Regeling, string? RegelingName, string? Instantie, string? InstantieName, string[] Links, string? Author, string? AuthorName,
        ProcedureView? Procedure);

    public sealed record TypeCount(string Type, string Name, int Count);

    /// <summary>A family's events of a period (newest first) with the count per type.</summary>
    public sealed record EventRegister(string From, string To, int Total, TypeCount[] Counts, EventView[] Events);

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
            Blank(request.Decision), Blank(request.Outcome), Blank(request.SharePackage));
        var basic = CountableEvent.New(patientId, author, await people.NameAsync(caller.FhirUser, http.RequestAborted), fields);
        // The policy's refusal (403), the profile's (422: codes, dates, links outside the dossier) pass through the error path.
        var created = await repo.CreateAsync(FhirHttp.Context(http), "Basic", basic, null, http.RequestAborted);
        var view = View(FhirJson.Parse<Basic>(created.Stored!.Json), TimeRegistration.Today(clock))!;
        return TypedResults.Created($"/api/dossiers/{patientId}/events", view);
    }

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
            [.. CountableEvent.LinksOf(b)], b.Author?.Reference, b.Author?.Display, procedure);
    }

    private static string? Name(IReadOnlyDictionary<string, string> names, string? code) => code is null ? null : names.GetValueOrDefault(code, code);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static DateOnly? ParseOr(string? s, DateOnly? fallback) =>
        s is null ? fallback : DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
