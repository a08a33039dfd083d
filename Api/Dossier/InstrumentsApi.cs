using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Dossier;

/// <summary>
/// Measurement instruments (issue 20): the active Questionnaires a family or supporter picks from when filling in a
/// measurement, and a team coach's way to add one without a deploy. <c>GET /api/instruments</c> (every signed-in person:
/// Questionnaires are directory resources), <c>POST /api/instruments</c> (<see cref="InstrumentRequest"/>; a coach of a
/// team-space team, decided by <see cref="TeamSpaceAuthorization"/>, operation <see cref="TeamOperation.ManageInstruments"/>),
/// <c>POST /api/instruments/{id}/retire</c> (status retired; answers given stay readable; never deleted). Stored by the
/// platform through the repository, the path the project questionnaires take at start-up (<see cref="ProjectTerminology"/>),
/// with the coach named in the audit record's caller (<c>system:instrumenten:Person/…</c>). Bad input answers 400 and
/// stores nothing.
/// </summary>
public static class InstrumentsApi
{
    public const string TeamSystem = PgoCodes.Base + "/team-space-team";
    private static readonly string[] Scales = ["cijfer", "likert", "ja-nee"];

    public static IEndpointRouteBuilder MapInstrumentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithApiErrors().WithTags("Meetinstrumenten");
        api.MapGet("/instruments", List);
        api.MapPost("/instruments", Add);
        api.MapPost("/instruments/{id}/retire", Retire);
        return app;
    }

    private static async Task<Ok<InstrumentView[]>> List(FhirRepository repo, CancellationToken ct)
    {
        var found = await repo.AsPlatform(PlatformPurpose.Terminology).SearchAsync("Questionnaire",
            [new("status", "active"), new("_count", "200")], ct);
        return TypedResults.Ok(found.Select(s => FhirJson.Parse(s.Json)).OfType<Questionnaire>()
            .Select(View).OrderBy(v => !v.Project).ThenBy(v => v.Title, StringComparer.CurrentCulture).ToArray());
    }

    private static async Task<Created<InstrumentView>> Add(HttpContext http, FhirRepository repo, TeamDirectory teams, TimeProvider clock, InstrumentRequest request, CancellationToken ct)
    {
        var (caller, team) = await CoachAsync(http, teams, null, ct);
        var title = request.Title?.Trim() ?? "";
        if (title.Length is < 1 or > 120 || Unsafe(title)) throw ApiProblem.BadRequest(ApiText.InstrumentTitleInvalid);
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (description is { Length: > 500 } || (description is not null && Unsafe(description))) throw ApiProblem.BadRequest(ApiText.InstrumentDescriptionInvalid);
        var options = request.Scale switch
        {
            "cijfer" => ProjectQuestionnaires.Grades(),
            "likert" => ProjectQuestionnaires.Agreement(),
            "ja-nee" => ProjectQuestionnaires.YesNo(),
            _ => throw ApiProblem.BadRequest(ApiText.InstrumentScaleInvalid),
        };
        var items = (request.Items ?? []).Select(i => i?.Trim() ?? "").ToArray();
        if (items.Length is < 1 or > 30 || items.Any(i => i.Length is < 1 or > 200 || Unsafe(i))) throw ApiProblem.BadRequest(ApiText.InstrumentItemsInvalid);

        var id = "instrument-" + Guid.NewGuid().ToString("N")[..12];
        var questionnaire = ProjectQuestionnaires.Build(id, title, description ?? "", options,
            items.Select((text, i) => ($"vraag-{(i + 1).ToString(CultureInfo.InvariantCulture)}", text)).ToArray());
        questionnaire.Name = "Instrument" + id["instrument-".Length..];
        if (description is null) questionnaire.Description = null;
        questionnaire.Publisher = caller.Name;
        questionnaire.Identifier = [new Identifier(TeamSystem, team.ToString(CultureInfo.InvariantCulture))];
        questionnaire.Date = clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await repo.UpdateAsync(Context(http, caller), "Questionnaire", id, questionnaire, null, ct);
        return TypedResults.Created($"/api/instruments/{id}", View(questionnaire));
    }

    private static async Task<Ok<InstrumentView>> Retire(HttpContext http, FhirRepository repo, TeamDirectory teams, string id, CancellationToken ct)
    {
        if (ProjectQuestionnaires.IsProject(id)) throw ApiProblem.Forbidden(ApiText.InstrumentProjectFixed);
        var stored = await repo.AsPlatform(PlatformPurpose.Terminology).ReadAsync<Questionnaire>(id, ct);
        var team = stored?.Identifier.FirstOrDefault(i => i.System == TeamSystem)?.Value;
        if (stored is null || team is null || !long.TryParse(team, CultureInfo.InvariantCulture, out var teamId)) throw ApiProblem.NotFound(ApiText.InstrumentNotFound);
        var (caller, _) = await CoachAsync(http, teams, teamId, ct);
        stored.Status = PublicationStatus.Retired;
        stored.Meta = null;
        await repo.UpdateAsync(Context(http, caller), "Questionnaire", id, stored, null, ct);
        return TypedResults.Ok(View(stored));
    }

    /// <summary>The caller as coach of a team (of <paramref name="teamId"/> when given): the decision is TeamSpaceAuthorization's.</summary>
    private static async Task<(TeamCaller Caller, long Team)> CoachAsync(HttpContext http, TeamDirectory teams, long? teamId, CancellationToken ct)
    {
        if (TeamCaller.From(http.User) is not { } caller) throw ApiProblem.Forbidden(ApiText.InstrumentCoachOnly);
        foreach (var (team, member) in await teams.TeamsOfAsync(caller.Key, ct))
        {
            if (teamId is { } wanted && team.Id != wanted) continue;
            if (TeamSpaceAuthorization.Can(new TeamAccess(caller, team.Id, member, new HashSet<long>()), TeamOperation.ManageInstruments))
                return (caller, team.Id);
        }
        throw ApiProblem.Forbidden(ApiText.InstrumentCoachOnly);
    }

    private static FhirContext Context(HttpContext http, TeamCaller caller) =>
        new(CallerContext.System($"instrumenten:{caller.Key}"), "urn:pgo:instruments") { RequestId = http.TraceIdentifier };

    private static bool Unsafe(string text) => text.Contains('<', StringComparison.Ordinal) || text.Contains('>', StringComparison.Ordinal);

    private static InstrumentView View(Questionnaire q)
    {
        var first = q.Item.FirstOrDefault()?.AnswerOption.FirstOrDefault()?.Value;
        var scale = first switch
        {
            Integer => "cijfer",
            Coding c when c.System == PgoCodes.YesNo.System => "ja-nee",
            _ => "likert",
        };
        return new InstrumentView(q.Id!, q.Title ?? q.Id!, q.Description, scale, q.Item.Select(i => i.Text ?? i.LinkId ?? "").ToArray(), ProjectQuestionnaires.IsProject(q.Id!));
    }
}
