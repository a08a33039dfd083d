using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Fhir.Audit;
using Pgo.Fhir.Rest;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Practice;
using Pgo.Api.Realtime;
using Pgo.Fhir.Profiles;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Evidence;

/// <summary>
/// The family's social business case (issue 21, docs/adr/0011-social-business-case.md): <c>GET
/// /api/dossiers/{id}/business-case</c> (optionally <c>?gezinstype=</c>), its CSV (<c>/business-case/export</c>) and
/// <c>POST /business-case/judgements</c> (the family or the supporter judges an item avoided, occurred or not applicable;
/// a reason is required for avoided). Everything is read and written as the caller through <see cref="FhirRepository"/>
/// (<see cref="DossierReader"/>): the consent is inside each query, every read is audited, a write is decided by the
/// ordinary write policy on section gebeurtenissen; the hours come from the practice store only when tijd is shared with
/// the caller, and that read is audited like the family's time sheet.
/// </summary>
public static class FamilyCaseApi
{
    public static IEndpointRouteBuilder MapFamilyCaseApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Businesscase");
        api.MapGet("/dossiers/{patientId}/business-case", Get);
        api.MapGet("/dossiers/{patientId}/business-case/export", Export);
        api.MapPost("/dossiers/{patientId}/business-case/judgements", Judge);
        return app;
    }

    private static async Task<Ok<FamilyCase>> Get(HttpContext http, FhirRepository repo, FamilyCaseService cases, AuditLog audit, TimeProvider clock,
        string patientId, int? gezinstype) =>
        TypedResults.Ok(await CaseAsync(http, repo, cases, audit, clock, patientId, gezinstype));

    private static async Task<FileContentHttpResult> Export(HttpContext http, FhirRepository repo, FamilyCaseService cases, AuditLog audit, TimeProvider clock,
        string patientId, int? gezinstype)
    {
        var found = await CaseAsync(http, repo, cases, audit, clock, patientId, gezinstype);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(FamilyCaseCsv.Write(found), "text/csv; charset=utf-8", $"businesscase-{found.To}.csv");
    }

    private static async Task<Created<FamilyCase>> Judge(HttpContext http, FhirRepository repo, FamilyCaseService cases, AuditLog audit, PersonNames people,
        TimeProvider clock, string patientId, JudgementRequest request)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (FamilyCaseService.Refusal(reader) is { } refused) throw refused;
        var model = FamilyCaseService.Model;
        var family = model.FamilyTypes.FirstOrDefault(f => f.Number == request.FamilyType)
            ?? throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.BusinessCaseFamilyTypeUnknown, string.Join(", ", model.FamilyTypes.Select(f => $"{f.Number} ({f.Name})"))));
        var item = family.Items.FirstOrDefault(i => i.Code == request.Item)
            ?? throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.BusinessCaseItemUnknown, request.Item, family.Name));
        var judgement = request.Judgement?.Trim();
        if (judgement is null || !BusinessCaseJudgements.Display.ContainsKey(judgement))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.BusinessCaseJudgementUnknown, string.Join(", ", BusinessCaseJudgements.Display.Keys)));
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (judgement == BusinessCaseJudgements.Voorkomen && (reason is null || reason.Length < BusinessCaseJudgements.MinReasonLength))
            throw ApiProblem.BadRequest(ApiText.BusinessCaseReasonRequired);

        var caller = FhirHttp.Caller(http);
        var author = reader.Scope.ActingAs.TryGetValue(patientId, out var acting) && acting.Count > 0 ? acting[0] : caller.FhirUser;
        var today = FamilyCaseService.Today(clock);
        var basic = BusinessCaseJudgement.New(patientId, author, await people.NameAsync(caller.FhirUser, http.RequestAborted), judgement, item.Code,
            model.Id, model.Version, family.Number, reason, today);
        // The write policy (403: gebeurtenissen is not the caller's to write) and the profile (422) answer through the error path.
        await repo.CreateAsync(FhirHttp.Context(http), "Basic", basic, null, http.RequestAborted);
        return TypedResults.Created($"/api/dossiers/{patientId}/business-case",
            await CaseAsync(http, repo, cases, audit, clock, patientId, family.Number));
    }

    private static async Task<FamilyCase> CaseAsync(HttpContext http, FhirRepository repo, FamilyCaseService cases, AuditLog audit, TimeProvider clock,
        string patientId, int? familyType)
    {
        var reader = await DossierReader.OpenAsync(http, repo, patientId);
        if (FamilyCaseService.Refusal(reader) is { } refused) throw refused;
        // The hours are not a FHIR read, yet dossier data: recorded as a search of section tijd, as the family's time sheet is.
        audit.Enqueue(new PendingAudit(FhirHttp.Context(http), reader.Scope, "search", 200, [("Basic", "praktijktijd", null)], "praktijktijd",
            clock.GetUtcNow(), PerPatient: false, Incoming: new Pgo.Fhir.Storage.ResourcePlacement("Basic", "praktijktijd", Section.Tijd, [patientId])));
        var canJudge = reader.Scope.IsUnrestricted || reader.Scope.AllPatients
            || (reader.Scope.Patients.TryGetValue(patientId, out var grant) && grant.WriteSections.Contains(Section.Gebeurtenissen));
        return await cases.ComputeAsync(reader, familyType, FamilyCaseService.Today(clock), canJudge, http.RequestAborted);
    }
}

/// <summary>
/// A family's case as CSV for Dutch Excel (like <see cref="TimeCsv"/>): UTF-8 with BOM, ';', Dutch headers, names instead
/// of codes, amounts in whole euros per year. One line per scenario and stakeholder, then the supporter's cost and the net
/// result, then the items with their judgement and reason.
/// </summary>
public static class FamilyCaseCsv
{
    public const string HeaderLine = "scenario;belanghebbende;bedrag per jaar (euro)";

    public static byte[] Write(FamilyCase c)
    {
        var csv = new StringBuilder();
        void Line(params string[] fields) => csv.AppendJoin(';', fields).Append("\r\n");
        Line(HeaderLine);
        foreach (var s in c.Scenarios)
        {
            foreach (var p in s.Stakeholders) Line(TimeCsv.Field(s.Name), TimeCsv.Field(p.Name), Euros(p.PerYear));
            Line(TimeCsv.Field(s.Name), TimeCsv.Field(Stakeholders.SupporterCostDisplay), Euros(-s.SupporterCostPerYear));
            Line(TimeCsv.Field(s.Name), "Netto opbrengst", Euros(s.NetPerYear));
        }
        csv.Append("\r\n");
        Line("post", "belanghebbende", "oordeel", "reden", "beoordeeld op");
        foreach (var i in c.Items)
            Line(TimeCsv.Field(i.Description), TimeCsv.Field(i.StakeholderName), TimeCsv.Field(i.StatusName ?? "Nog niet beoordeeld"),
                TimeCsv.Field(i.Reason ?? (i.Source == "register" ? "Volgens het gebeurtenissenregister" : "")), TimeCsv.Field(i.JudgedOn is { } d ? PracticeTimeApi.DutchDate(d) : ""));
        csv.Append("\r\n");
        Line("periode", TimeCsv.Field($"{PracticeTimeApi.DutchDate(c.From)} tot {PracticeTimeApi.DutchDate(c.To)}"));
        Line("uren voor het gezin", c.Cost.RecordedHours.ToString("0.##", Dutch));
        Line("uren lerend netwerk (aandeel)", c.Cost.LearningNetworkHours.ToString("0.##", Dutch));
        Line("model", TimeCsv.Field($"{c.ModelTitle} (versie {c.ModelVersion.ToString(CultureInfo.InvariantCulture)}), {c.FamilyTypeName}"));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private static string Euros(decimal amount) =>
        Pgo.Shared.Evidence.BusinessCaseCalculator.Euros(amount).ToString("0", CultureInfo.InvariantCulture);
}
