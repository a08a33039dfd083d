using Hl7.Fhir.Model;
using Pgo.Api.Access;
using Pgo.Api.Dossier;
using Pgo.Api.Errors;
using Pgo.Api.Families;
using Pgo.Api.Fhir;
using Pgo.Fhir.Rest;
using Pgo.Shared.Contracts;
using static Pgo.Fhir.Access.PgoCodes;

namespace Pgo.Api.Caseload;

/// <summary>
/// "Mijn gezinnen" in one call: for every dossier the caller has a grant on, the intensity of support (since when, contact
/// due, a trigger: <see cref="IntensityApi"/>), the last
/// contact, the open and overdue agreements and the goals in progress. Each family is read through
/// <see cref="DossierReader"/>, so the caller's scope is inside every query and every read is audited, exactly as for
/// the overview; the agreement rules are the overview's (<see cref="DossierViews"/>), so the two never disagree.
/// </summary>
public static class CaseloadApi
{
    public static IEndpointRouteBuilder MapCaseloadApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Dossier").MapGet("/caseload", Caseload);
        return app;
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<CaseloadFamily[]>> Caseload(HttpContext http, FhirRepository repo, TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<IntensityOptions> intensity)
    {
        var now = clock.GetUtcNow();
        var rows = new List<CaseloadFamily>();
        var scope = await repo.Access.CompileAsync(FhirHttp.Caller(http), http.RequestAborted);
        foreach (var dossier in await AccessApi.DossiersOfCallerAsync(http, repo, scope))
        {
            var reader = DossierReader.InScope(http, repo, scope, dossier.PatientId);
            if (reader is null) continue; // not openable: "my dossiers" lists it, the caseload has nothing to show
            rows.Add(await RowAsync(reader, dossier.Name, now, intensity.Value.WaakvlamRhythmWeeks));
        }
        // The family each dossier belongs to (issue 18), as far as the caller reads the family (Group, section netwerk).
        if (rows.Count > 0)
        {
            var families = await FamilyApi.VisibleFamiliesAsync(http, repo);
            rows = rows.Select(r => families.FirstOrDefault(f => FamilyApi.MemberIds(f).Contains(r.PatientId)) is { } family
                ? r with { FamilyId = family.Id, FamilyName = family.Name } : r).ToList();
        }
        return TypedResults.Ok(rows.OrderBy(r => r.Name, StringComparer.CurrentCulture).ThenBy(r => r.PatientId, StringComparer.Ordinal).ToArray());
    }

    private static async Task<CaseloadFamily> RowAsync(DossierReader reader, string name, DateTimeOffset now, int defaultRhythmWeeks)
    {
        // Last contact: the newest logbook note by the day it is about, the same note the waakvlam rhythm counts from.
        var newestNote = await IntensityApi.NewestLogbookNoteAsync(reader);
        var lastContact = newestNote?.Date ?? newestNote?.Meta?.LastUpdated;

        int? open = null, overdue = null;
        if (reader.CanRead(Section.Afspraken))
        {
            var agreements = (await DossierApi.OpenTasksAsync(reader)).Select(t => DossierViews.Agreement(t, now)).ToList();
            open = agreements.Count;
            overdue = agreements.Count(a => a.Overdue);
        }

        int? goals = null;
        if (reader.CanRead(Section.Doelen))
            goals = (await reader.SearchAsync<Goal>(Section.Doelen, ("lifecycle-status", "active,accepted"), ("_count", "1000"))).Count;

        // The intensity over time (issue 20): the newest recorded change (the active plan's category follows it; before any
        // change the plan's category stands), since when, the waakvlam contact rhythm and a trigger to scale up again.
        var status = await IntensityApi.StatusAsync(reader, null, newestNote, Pgo.Shared.Text.DutchTime.Today(now), defaultRhythmWeeks);
        return new CaseloadFamily(reader.PatientId, name, lastContact, open, overdue, goals, status?.Intensity, status?.IntensityName,
            IntensityStatus: status);
    }
}
