using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Api.Practice;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Evidence;

/// <summary>
/// <c>GET /api/programme/aggregates?from=&amp;to=</c> (JSON) and <c>GET /api/programme/aggregates.csv?from=&amp;to=</c>: the
/// programme view of pseudonymised aggregates (issue 21, docs/adr/0012). Roles coordinator, funder and researcher only
/// (<see cref="AccountRoles.Programme"/>; anyone else 403, anonymous 401); none of them has any dossier access, and this
/// answers counts only. Period: yyyy-MM-dd, default the last twelve months to today (Europe/Amsterdam).
/// </summary>
public static class ProgrammeApi
{
    public static IEndpointRouteBuilder MapProgrammeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/programme").RequireAuthorization().WithApiErrors().WithTags("Programma");
        api.MapGet("/aggregates", Aggregates);
        api.MapGet("/aggregates.csv", Csv);
        return app;
    }

    /// <summary>Whether the caller holds a programme role (the token's role claims, as Identity issues them).</summary>
    public static bool IsProgrammeRole(HttpContext http) =>
        (FhirHttp.Caller(http).Roles ?? []).Any(r => AccountRoles.Programme.Contains(r));

    private static async Task<Ok<ProgrammeAggregates>> Aggregates(HttpContext http, ProgrammeService programme, TimeProvider clock) =>
        TypedResults.Ok(await ComputeAsync(http, programme, clock));

    private static async Task<FileContentHttpResult> Csv(HttpContext http, ProgrammeService programme, TimeProvider clock)
    {
        var result = await ComputeAsync(http, programme, clock);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(ProgrammeCsv.Write(result), "text/csv; charset=utf-8", $"programma-{result.From}-{result.To}.csv");
    }

    private static async Task<ProgrammeAggregates> ComputeAsync(HttpContext http, ProgrammeService programme, TimeProvider clock)
    {
        // The role first: someone without it learns nothing, not even whether the period was well formed.
        if (!IsProgrammeRole(http)) throw ApiProblem.Forbidden(ApiText.ProgrammeRolesOnly);
        var today = DateOnly.FromDateTime(Pgo.Shared.Text.DutchTime.At(clock.GetUtcNow()).DateTime);
        var q = http.Request.Query;
        var to = Parse(q["to"].FirstOrDefault()) ?? today;
        var from = Parse(q["from"].FirstOrDefault()) ?? to.AddYears(-1).AddDays(1);
        if ((q["from"].FirstOrDefault() is { Length: > 0 } && Parse(q["from"]) is null) || (q["to"].FirstOrDefault() is { Length: > 0 } && Parse(q["to"]) is null)
            || from > to || to.DayNumber - from.DayNumber > 3660)
            throw ApiProblem.BadRequest(ApiText.ProgrammePeriodInvalid);
        var caller = FhirHttp.Caller(http);
        var scope = await programme.Repository.Access.CompileAsync(caller, http.RequestAborted);
        return await programme.ComputeAsync(FhirHttp.Context(http), scope, from, to, http.RequestAborted);
    }

    private static DateOnly? Parse(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

/// <summary>
/// The programme view as CSV for Dutch Excel (as <see cref="TimeCsv"/>): UTF-8 with a byte-order mark, ';' between fields,
/// first the model version, the period and the generation time (so a result can be reproduced), then per table its rows
/// with "&lt; 10 gezinnen" where a cell is suppressed. Decimals with a comma.
/// </summary>
public static class ProgrammeCsv
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static byte[] Write(ProgrammeAggregates a)
    {
        var csv = new StringBuilder();
        void Line(params string[] fields) => csv.AppendJoin(';', fields.Select(TimeCsv.Field)).Append("\r\n");
        Line("model", a.ModelVersion);
        Line("periode van", a.From);
        Line("periode tot en met", a.To);
        Line("gemaakt op", Pgo.Shared.Text.DutchTime.At(a.GeneratedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (Nederlandse tijd)");
        Line("minimum gezinnen per cel", a.MinimumFamilies.ToString(CultureInfo.InvariantCulture));
        Line(a.Families.Label, Cell(a.Families.Families, a.Families.Suppressed));
        foreach (var t in a.Tables)
        {
            csv.Append("\r\n");
            Line("tabel", t.Title);
            if (!t.Available) { Line("opmerking", t.Note ?? "niet beschikbaar"); continue; }
            Line("code", "omschrijving", "gezinnen", t.ValueLabel);
            foreach (var r in t.Rows.Concat(t.Total is null ? [] : [t.Total]))
                Line(r.Code, r.Label, Cell(r.Families, r.Suppressed), r.Suppressed ? SuppressedText : Value(r.Value));
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public const string SuppressedText = "< 10 gezinnen";

    private static string Cell(int? families, bool suppressed) => suppressed ? SuppressedText : families?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Value(decimal? value) => value?.ToString("0.##", Dutch) ?? "";
}
