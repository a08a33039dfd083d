using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Realtime;
using Pgo.Fhir.Access;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Mapping;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Caseload;

/// <summary>
/// Intensity over time (issue 20; mapping in docs/adr/0005-dossier-mapping.md, rules in <see cref="IntensityRules"/>):
/// <c>GET /api/dossiers/{id}/intensity</c> (status and history, for whoever reads the plan) and <c>POST</c> (a new
/// intensity, by the family's supporter: <see cref="DossierOperation.SetIntensity"/>). The change and the active plan's
/// category are written in one transaction as the caller through <see cref="FhirRepository"/>, so the plan's write rule
/// and the profile decide, every read and write is audited, and a refusal stores nothing.
/// </summary>
public static class IntensityApi
{
    public static IEndpointRouteBuilder MapIntensityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Dossier");
        api.MapGet("/dossiers/{patientId}/intensity", Get);
        api.MapPost("/dossiers/{patientId}/intensity", Set);
        return app;
    }

    private const int MaxChanges = 500;

    private static async Task<Ok<IntensityOverview>> Get(HttpContext http, FhirRepository repo, TimeProvider clock, IOptions<IntensityOptions> options, string patientId)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Plan)) throw ApiProblem.NotShared(Section.Display[Section.Plan]);
        return TypedResults.Ok(await OverviewAsync(reader, DutchToday(clock), options.Value.WaakvlamRhythmWeeks));
    }

    private static async Task<Created<IntensityOverview>> Set(HttpContext http, FhirRepository repo, PersonNames people, TimeProvider clock,
        IOptions<IntensityOptions> options, string patientId, IntensityRequest request)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!DossierOperations.Allows(reader.Scope, patientId, DossierOperation.SetIntensity))
            throw ApiProblem.Forbidden(DossierOperations.Refusal(DossierOperation.SetIntensity));
        if (request.Effective is null || !DateOnly.TryParseExact(request.Effective, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var effective))
            throw ApiProblem.BadRequest(ApiText.DateInvalid);
        var to = request.Intensity?.Trim() ?? "";
        var today = DutchToday(clock);
        var changes = await ChangesAsync(reader);
        // The main plan (active, not the waakvlam-plan) and the waakvlam-plan (draft until support scales down, ADR 5).
        var plans = await reader.SearchAsync<CarePlan>(Section.Plan, ("status", "active,draft"), ("_count", "50"));
        var flame = plans.FirstOrDefault(p => PlanMapping.IntensityOf(p) == SupportIntensity.Waakvlam);
        var main = plans.Where(p => p.Status == RequestStatus.Active && PlanMapping.IntensityOf(p) != SupportIntensity.Waakvlam)
            .OrderByDescending(p => PlanMapping.IntensityOf(p) is not null).FirstOrDefault();
        var current = IntensityChange.Current(changes);
        var from = current is not null ? IntensityChange.ToOf(current)
            : flame?.Status == RequestStatus.Active ? SupportIntensity.Waakvlam : main is null ? null : PlanMapping.IntensityOf(main);
        // The history is a line: a new intensity takes effect on or after the day the current one did.
        if (current is not null && IntensityChange.EffectiveOf(current) is { } since && effective < since)
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity,
                Pgo.Fhir.Messages.Text.Format(Pgo.Fhir.Messages.FhirText.IntensityBeforeCurrent, since, IntensityRules.Name(from) ?? from));
        if (from == to) throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, Pgo.Fhir.Messages.Text.Format(Pgo.Fhir.Messages.FhirText.IntensitySame, IntensityRules.Name(to) ?? to));
        // A waakvlam family gets the default rhythm unless the supporter chose one; the profile refuses a rhythm elsewhere.
        var rhythm = request.RhythmWeeks ?? (IntensityChanges.HasRhythm(to) ? options.Value.WaakvlamRhythmWeeks : null);

        var caller = FhirHttp.Caller(http);
        var author = DossierOperations.TimeAuthor(reader.Scope)!;
        var change = IntensityChange.New(patientId, author, await people.NameAsync(caller.FhirUser, http.RequestAborted), to, from, effective,
            request.Reason ?? "", request.AgreedWithFamily, rhythm);
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = $"urn:uuid:{Guid.NewGuid():D}", Resource = change,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Basic" },
        });
        // The plans follow, so every older reader (overview, plan screen) agrees: to waakvlam, the waakvlam-plan starts on
        // the effective day; otherwise (or when there is no waakvlam-plan) the main plan's category is the new intensity.
        var effectiveIso = IntensityRules.Iso(effective);
        CarePlan? follows = null;
        if (to == SupportIntensity.Waakvlam && flame is not null)
        {
            if (flame.Status != RequestStatus.Active) PlanMapping.Start(flame, effectiveIso);
            follows = flame;
        }
        else if (main is not null)
        {
            PlanMapping.SetIntensity(main, to);
            follows = main;
        }
        if (follows?.Id is { } planId)
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{Guid.NewGuid():D}", Resource = follows,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"CarePlan/{planId}" },
            });
        // The policy (403: the plan is not the caller's to write) and the profile (422) answer through the error path; a
        // refusal of either entry stores neither.
        await repo.ProcessBundleAsync(FhirHttp.Context(http), bundle, http.RequestAborted);
        return TypedResults.Created($"/api/dossiers/{patientId}/intensity", await OverviewAsync(reader, today, options.Value.WaakvlamRhythmWeeks));
    }

    internal static async Task<List<Basic>> ChangesAsync(DossierReader reader) =>
        await reader.SearchAsync<Basic>(Section.Plan, ("code", SupportIntensity.System + "|"), ("_count", MaxChanges.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The status and history as the reader's caller sees them (plan read; logbook and events where shared).</summary>
    internal static async Task<IntensityOverview> OverviewAsync(DossierReader reader, DateOnly today, int defaultRhythmWeeks)
    {
        var changes = await ChangesAsync(reader);
        var status = (await StatusAsync(reader, changes, today, defaultRhythmWeeks))!;
        var history = IntensityChange.History(changes).Select(IntensityRules.View).ToArray();
        return new IntensityOverview(reader.PatientId, status, history, DossierOperations.Allows(reader.Scope, reader.PatientId, DossierOperation.SetIntensity));
    }

    /// <summary>The family's status: null when the plan is not shared. The last contact is the newest logbook note (by its
    /// date); the events are read only when the family is in waakvlam or afschalen and gebeurtenissen is shared.</summary>
    internal static async Task<IntensityStatus?> StatusAsync(DossierReader reader, List<Basic>? changes, DateOnly today, int defaultRhythmWeeks) =>
        reader.CanRead(Section.Plan)
            ? await StatusAsync(reader, changes, await NewestLogbookNoteAsync(reader), today, defaultRhythmWeeks)
            : null;

    /// <summary>The newest logbook note by the day it is about (its date; a note without one by when it was written): the
    /// one notion of "last contact", for the caseload's column and the waakvlam rhythm alike. Null when none or not shared.</summary>
    internal static async Task<DocumentReference?> NewestLogbookNoteAsync(DossierReader reader) =>
        reader.CanRead(Section.Logboek)
            ? (await reader.SearchAsync<DocumentReference>(Section.Logboek, ("category", $"{Section.System}|{Section.Logboek}"), ("_sort", "-date"), ("_count", "1"))).FirstOrDefault()
            : null;

    /// <summary>The status with the newest logbook note already read (the caseload reads it once per row for both uses).</summary>
    internal static async Task<IntensityStatus?> StatusAsync(DossierReader reader, List<Basic>? changes, DocumentReference? newestNote, DateOnly today, int defaultRhythmWeeks)
    {
        if (!reader.CanRead(Section.Plan)) return null;
        changes ??= await ChangesAsync(reader);
        PlanView? plan = null;
        if (IntensityChange.Current(changes) is null)
            plan = (await reader.SearchAsync<CarePlan>(Section.Plan, ("status", "active"), ("_count", "50"))).Select(DossierViews.Plan).FirstOrDefault(p => p.Intensity is not null);
        var lastContact = newestNote is null ? null : IntensityRules.ContactDayOf(newestNote);
        var first = IntensityRules.Status(changes, plan, lastContact, null, today, defaultRhythmWeeks);
        if (!IntensityChanges.WatchesTriggers(first.Intensity) || first.Since is null || !reader.CanRead(Section.Gebeurtenissen)) return first;
        var events = await reader.SearchAsync<Basic>(Section.Gebeurtenissen, ("code", EventCodes.TypeSystem + "|"), ("created", "ge" + first.Since), ("_count", "1000"));
        return IntensityRules.Status(changes, plan, lastContact, events, today, defaultRhythmWeeks);
    }

    private static DateOnly DutchToday(TimeProvider clock) => Pgo.Shared.Text.DutchTime.Today(clock.GetUtcNow());
}
