using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Text;
using static Pgo.Fhir.Access.PgoCodes;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Pgo.Api.Dossier;

/// <summary>
/// The measurement plan of a family (issue 20): <c>GET /api/dossiers/{id}/measurement-plan</c> (who reads metingen),
/// <c>POST</c> the same path (plan the 0-, 1- and 2-meting per instrument in one transaction), <c>PUT …/{taskId}</c> (a new
/// due day) and <c>POST …/{taskId}/cancel</c> (with a reason): who writes metingen. Every read and write goes through the
/// repository as the caller, so the consent decides inside the query and everything is audited; the plan lives in
/// metingen (<see cref="SectionClassifier"/>), so it widens nobody's view. A response of the instrument and moment
/// completes the planned meting (<see cref="CompleteAsync"/>, run by the platform after the response is stored).
/// </summary>
public static class MeasurementPlanApi
{
    public static IEndpointRouteBuilder MapMeasurementPlanApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dossiers/{patientId}/measurement-plan").RequireAuthorization().WithApiErrors().WithTags("Meetplan");
        api.MapGet("", Read);
        api.MapPost("", Plan);
        api.MapPut("/{taskId}", Change);
        api.MapPost("/{taskId}/cancel", Cancel);
        return app;
    }

    private static async Task<Ok<MeasurementPlanView>> Read(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Metingen)) throw ApiProblem.NotShared(Section.Display[Section.Metingen]);
        return TypedResults.Ok(await ViewAsync(http, repo, reader, clock));
    }

    private static async Task<MeasurementPlanView> ViewAsync(HttpContext http, FhirRepository repo, DossierReader reader, TimeProvider clock)
    {
        var tasks = await PlannedAsync(reader);
        var titles = await TitlesAsync(repo, http.RequestAborted);
        var today = DutchTime.Today(clock.GetUtcNow());
        var items = tasks.Select(t => MeasurementPlan.View(t, today, titles))
            .OrderBy(v => v.Due, StringComparer.Ordinal).ThenBy(v => v.InstrumentTitle, StringComparer.CurrentCulture).ThenBy(v => v.Id, StringComparer.Ordinal).ToArray();
        var canPlan = reader.Scope.CanWrite('c', "Task", "", Section.Metingen, [reader.PatientId]);
        return new MeasurementPlanView(reader.PatientId, canPlan, items);
    }

    internal static Task<List<FhirTask>> PlannedAsync(DossierReader reader) =>
        reader.SearchAsync<FhirTask>(Section.Metingen, ("code", $"{MeasurementPlanCodes.System}|{MeasurementPlanCodes.Planned}"), ("_count", "200"));

    /// <summary>The titles of the instruments (every Questionnaire, retired ones too: an old plan keeps its name).</summary>
    private static async Task<Dictionary<string, string>> TitlesAsync(FhirRepository repo, CancellationToken ct) =>
        (await repo.AsPlatform(PlatformPurpose.Terminology).SearchAsync("Questionnaire", [new("_count", "500")], ct))
            .Select(s => FhirJson.Parse(s.Json)).OfType<Questionnaire>().Where(q => q.Id is not null)
            .ToDictionary(q => q.Id!, q => q.Title ?? q.Id!, StringComparer.Ordinal);

    private static async Task<HashSet<string>> ActiveInstrumentsAsync(FhirRepository repo, CancellationToken ct) =>
        (await repo.AsPlatform(PlatformPurpose.Terminology).SearchAsync("Questionnaire", [new("status", "active"), new("_count", "500")], ct))
            .Select(s => FhirJson.Parse(s.Json)).OfType<Questionnaire>().Select(q => q.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static async Task<Created<MeasurementPlanView>> Plan(HttpContext http, FhirRepository repo, TimeProvider clock, IOptions<MeasurementOptions> options,
        string patientId, MeasurementPlanRequest? request)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Metingen)) throw ApiProblem.NotShared(Section.Display[Section.Metingen]);
        var now = clock.GetUtcNow();
        var today = DutchTime.Today(now);
        DateOnly start = today;
        if (request?.Start is { } s && (!DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start)
                || start < today.AddYears(-3) || start > today.AddYears(3)))
            throw ApiProblem.BadRequest(ApiText.MeasurementPlanDueInvalid);
        var instruments = request?.Instruments is { Length: > 0 } chosen ? chosen.Distinct(StringComparer.Ordinal).ToArray() : options.Value.Instruments.ToArray();
        var active = await ActiveInstrumentsAsync(repo, http.RequestAborted);
        if (instruments.Length > 5 || instruments.Any(i => !active.Contains(i))) throw ApiProblem.BadRequest(ApiText.MeasurementPlanInstrumentUnknown);
        if ((await PlannedAsync(reader)).Any(t => MeasurementPlan.IsOpen(t) && instruments.Contains(MeasurementPlanCodes.IdOf(MeasurementPlanCodes.QuestionnaireOf(t)))))
            throw new ApiProblem(StatusCodes.Status409Conflict, ApiText.MeasurementPlanExists);
        var owner = OwnerOf(reader.Scope, patientId) ?? throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.MeasurementPlanNoOwner);
        var tasks = Build(patientId, instruments, start, owner, http.User.FindFirst("name")?.Value, now, options.Value);
        await WriteAsync(repo, FhirHttp.Context(http), tasks, http.RequestAborted);
        return TypedResults.Created($"/api/dossiers/{patientId}/measurement-plan", await ViewAsync(http, repo, reader, clock));
    }

    /// <summary>The Tasks of a plan: per instrument a 0-, 1- and 2-meting.</summary>
    public static List<FhirTask> Build(string patientId, IEnumerable<string> instruments, DateOnly start, string owner, string? ownerName, DateTimeOffset now, MeasurementOptions options) =>
        instruments.SelectMany(i => MeasurementPlan.Moments(start, options).Select(m => MeasurementPlan.Planned(patientId, i, m.Moment, m.Due, owner, ownerName, now))).ToList();

    /// <summary>All of a plan in one transaction, as <paramref name="ctx"/>'s caller: the repository's policy decides (write on
    /// metingen) and a refusal of one stores none.</summary>
    public static async System.Threading.Tasks.Task WriteAsync(FhirRepository repo, FhirContext ctx, IEnumerable<FhirTask> tasks, CancellationToken ct)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        // Created by the server (a person may not choose ids): POST entries.
        foreach (var t in tasks)
        {
            t.Id = null;
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{Guid.NewGuid():D}", Resource = t, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Task" },
            });
        }
        await repo.ProcessBundleAsync(ctx, bundle, ct);
    }

    /// <summary>Who guides the metingen: the caller's own record in the dossier (a supporter's Practitioner first).</summary>
    private static string? OwnerOf(AccessScope scope, string patientId)
    {
        if (!scope.ActingAs.TryGetValue(patientId, out var records) || records.Count == 0) return null;
        return records.FirstOrDefault(r => r.StartsWith("Practitioner/", StringComparison.Ordinal)) ?? records[0];
    }

    private static async Task<Ok<MeasurementPlanView>> Change(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string taskId,
        PlannedMeasurementChange change)
    {
        var (reader, task) = await OpenTaskAsync(http, repo, patientId, taskId);
        var today = DutchTime.Today(clock.GetUtcNow());
        if (change.Due is not { } d || !DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due)
            || due > today.AddYears(3) || due < today.AddYears(-3))
            throw ApiProblem.BadRequest(ApiText.MeasurementPlanDueInvalid);
        task.Restriction = new FhirTask.RestrictionComponent { Period = new Period { End = MeasurementPlan.Day(due) } };
        await UpdateAsync(http, repo, task, change.Version);
        return TypedResults.Ok(await ViewAsync(http, repo, reader, clock));
    }

    private static async Task<Ok<MeasurementPlanView>> Cancel(HttpContext http, FhirRepository repo, TimeProvider clock, string patientId, string taskId,
        PlannedMeasurementCancel cancel)
    {
        var reason = cancel.Reason?.Trim() ?? "";
        if (reason.Length is < 1 or > MeasurementPlanCodes.MaxReasonLength || reason.Contains('<', StringComparison.Ordinal) || reason.Contains('>', StringComparison.Ordinal))
            throw ApiProblem.BadRequest(ApiText.MeasurementPlanReasonInvalid);
        var (reader, task) = await OpenTaskAsync(http, repo, patientId, taskId);
        task.Status = FhirTask.TaskStatus.Cancelled;
        task.StatusReason = new CodeableConcept { Text = reason };
        task.LastModified = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        await UpdateAsync(http, repo, task, cancel.Version);
        return TypedResults.Ok(await ViewAsync(http, repo, reader, clock));
    }

    private static async Task<(DossierReader Reader, FhirTask Task)> OpenTaskAsync(HttpContext http, FhirRepository repo, string patientId, string taskId)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (!reader.CanRead(Section.Metingen)) throw ApiProblem.NotShared(Section.Display[Section.Metingen]);
        var task = await reader.ReadAsync<FhirTask>("Task", taskId);
        if (task is null || !MeasurementPlanCodes.IsPlanned(task) || task.For?.Reference != $"Patient/{patientId}")
            throw ApiProblem.NotFound(ApiText.MeasurementPlanNotFound);
        if (!MeasurementPlan.IsOpen(task)) throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.MeasurementPlanNotOpen);
        return (reader, task);
    }

    private static async System.Threading.Tasks.Task UpdateAsync(HttpContext http, FhirRepository repo, FhirTask task, int? version)
    {
        var ifMatch = version is { } v ? $"W/\"{v.ToString(CultureInfo.InvariantCulture)}\"" : null;
        task.Meta = null;
        await repo.UpdateAsync(FhirHttp.Context(http), "Task", task.Id!, task, ifMatch, http.RequestAborted);
    }

    // ---------------------------------------------------------------- completion

    private static readonly CallerContext Platform = CallerContext.System("meetplan");

    /// <summary>
    /// After a response is stored: the open planned meting of its dossier, instrument and moment (the earliest when the
    /// response names no moment) is completed by the platform, with the response as its output. Nothing else is read or
    /// told: the completion is a new version of the Task, in metingen like the response.
    /// </summary>
    public static async Task<bool> CompleteAsync(FhirRepository repo, string patientId, string responseId, TimeProvider clock, CancellationToken ct)
    {
        var platform = repo.AsPlatform(PlatformPurpose.MeasurementPlan);
        if (await platform.ReadAsync<QuestionnaireResponse>(responseId, ct) is not { } response) return false;
        if (response.Status is not (QuestionnaireResponse.QuestionnaireResponseStatus.Completed or QuestionnaireResponse.QuestionnaireResponseStatus.Amended)) return false;
        var open = (await platform.SearchAsync("Task", [new("patient", $"Patient/{patientId}"),
                new("code", $"{MeasurementPlanCodes.System}|{MeasurementPlanCodes.Planned}"), new("status", string.Join(",", DossierViews.OpenTaskStatuses)), new("_count", "200")], ct))
            .Where(s => !s.Deleted).Select(s => FhirJson.Parse<FhirTask>(s.Json))
            .Where(t => MeasurementPlan.Fulfils(response, t))
            .OrderBy(t => MeasurementPlan.DueOf(t) ?? DateOnly.MaxValue).FirstOrDefault();
        if (open is null) return false;
        MeasurementPlan.Complete(open, response, clock.GetUtcNow());
        var version = open.Meta?.VersionId;
        open.Meta = null;
        await repo.UpdateAsync(new FhirContext(Platform, "urn:pgo:meetplan"), "Task", open.Id!, open, version is null ? null : $"W/\"{version}\"", ct);
        return true;
    }
}
