using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Shared.Codes;
using Pgo.Shared.Evidence;

namespace Pgo.Api.Evidence;

/// <summary>A business-case model the caller may use: the project's own (seed 004) or a programme's stored copy.
/// <see cref="CreatedAt"/> in Dutch time; null for the project's model, which ships with the platform.</summary>
public sealed record ModelSummary(string Id, int Version, string Title, string CreatedBy, DateTimeOffset? CreatedAt, bool Project);

/// <summary>The family type (gezinstype number of the model) whose totals are asked.</summary>
public sealed record ModelTotalsRequest(int? FamilyType);

/// <summary>
/// The business-case models through the API a programme uses (issue 21, docs/adr/0011-social-business-case.md):
/// <c>GET /api/evidence/models</c> (the project's seed-004 v1 and the stored copies), <c>GET /api/evidence/models/{id}/{version}</c>
/// (the whole model as JSON), <c>POST /api/evidence/models</c> (coordinator only: a new model or a new version, validated by
/// <see cref="BusinessCaseValidation"/>, 400 with every Dutch problem and nothing stored; 409 when the id is the project's or
/// the version exists) and <c>POST /api/evidence/models/{id}/{version}/totals</c> (a family type's totals per scenario by
/// <see cref="BusinessCaseCalculator"/>). Readers: coordinator, funder, researcher and the coaches of a team; anyone else 403.
/// No family is in a model: this is project data, not a dossier.
/// </summary>
public static partial class ModelApi
{
    /// <summary>The largest model document accepted.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>What the project's own model is called in the list.</summary>
    public const string ProjectAuthor = "PGO-platform (meegeleverd)";

    public static IEndpointRouteBuilder MapModelApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/evidence/models").RequireAuthorization().WithApiErrors().WithTags("Businesscase");
        api.MapGet("", List);
        api.MapGet("/{id}/{version:int}", One);
        api.MapPost("", Add).Accepts<BusinessCaseModel>("application/json");
        api.MapPost("/{id}/{version:int}/totals", Totals);
        return app;
    }

    private static async Task<Ok<ModelSummary[]>> List(HttpContext http, ModelStore store, TeamDirectory directory)
    {
        await MayReadAsync(http, directory);
        var seed = BusinessCaseModels.Seed004;
        var stored = await store.ListAsync(http.RequestAborted);
        return TypedResults.Ok(new[] { new ModelSummary(seed.Id, seed.Version, seed.Title, ProjectAuthor, null, true) }
            .Concat(stored.Select(r => new ModelSummary(r.Id, r.Version, r.Title, r.CreatedBy,
                Pgo.Shared.Text.DutchTime.At(DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedMs)), false)))
            .ToArray());
    }

    private static async Task<ContentHttpResult> One(HttpContext http, ModelStore store, TeamDirectory directory, string id, int version)
    {
        await MayReadAsync(http, directory);
        var (_, json) = await FindAsync(http, store, id, version);
        return TypedResults.Text(json, "application/json; charset=utf-8");
    }

    private static async Task<Ok<BusinessCaseResult>> Totals(HttpContext http, ModelStore store, TeamDirectory directory, string id, int version,
        ModelTotalsRequest? request)
    {
        await MayReadAsync(http, directory);
        var (model, _) = await FindAsync(http, store, id, version);
        if (request?.FamilyType is not { } number || model.FamilyTypes.All(f => f.Number != number))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.BusinessCaseFamilyTypeUnknown,
                string.Join(", ", model.FamilyTypes.Select(f => $"{f.Number} ({f.Name})"))));
        return TypedResults.Ok(BusinessCaseCalculator.Compute(model, number));
    }

    private static async Task<Created<ModelSummary>> Add(HttpContext http, ModelStore store, TimeProvider clock)
    {
        var caller = TeamCaller.From(http.User) ?? throw new ApiProblem(StatusCodes.Status401Unauthorized, ApiErrors.Title(StatusCodes.Status401Unauthorized));
        // The role first: someone without it learns nothing about the document or the stored models.
        if (!caller.Roles.Contains(AccountRoles.Coordinator)) throw ApiProblem.Forbidden(ApiText.ModelCoordinatorOnly);

        var text = await ReadBodyAsync(http);
        var (model, problems) = BusinessCaseModels.Parse(text);
        var all = problems.ToList();
        if (model is not null && !IdShape().IsMatch(model.Id)) all.Add(new("id", ApiText.ModelIdShape));
        if (all.Count > 0 || model is null)
            throw new ApiProblem(StatusCodes.Status400BadRequest,
                ApiProblem.Text(ApiText.ModelInvalid, string.Join(" ", all.Select(p => p.Message))), null,
                new Dictionary<string, object?> { ["problems"] = all.Select(p => new { path = p.Path, message = p.Message }).ToArray() });
        if (string.Equals(model.Id, BusinessCaseModels.Seed004.Id, StringComparison.OrdinalIgnoreCase))
            throw new ApiProblem(StatusCodes.Status409Conflict, ApiProblem.Text(ApiText.ModelIdIsProject, model.Id));

        var row = new ModelRow
        {
            Id = model.Id, Version = model.Version, Title = model.Title.Trim(), Json = BusinessCaseModels.Serialize(model),
            CreatedByKey = caller.Key, CreatedBy = caller.Name, CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        if (!await store.InsertAsync(row, http.RequestAborted))
            throw new ApiProblem(StatusCodes.Status409Conflict, ApiProblem.Text(ApiText.ModelVersionExists, model.Id, model.Version));
        return TypedResults.Created($"/api/evidence/models/{row.Id}/{row.Version}",
            new ModelSummary(row.Id, row.Version, row.Title, row.CreatedBy, Pgo.Shared.Text.DutchTime.At(DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs)), false));
    }

    /// <summary>Coordinator, funder and researcher (<see cref="AccountRoles.Programme"/>) and whoever coaches a team.</summary>
    private static async Task MayReadAsync(HttpContext http, TeamDirectory directory)
    {
        var caller = TeamCaller.From(http.User) ?? throw new ApiProblem(StatusCodes.Status401Unauthorized, ApiErrors.Title(StatusCodes.Status401Unauthorized));
        if (caller.Roles.Any(r => AccountRoles.Programme.Contains(r))) return;
        var teams = await directory.TeamsOfAsync(caller.Key, http.RequestAborted);
        // A coach of any team: the decision is TeamSpaceAuthorization's, as for the instruments.
        if (teams.Any(t => TeamSpaceAuthorization.Can(new TeamAccess(caller, t.Team.Id, t.Member, new HashSet<long>()), TeamOperation.ReadBusinessCaseModels))) return;
        throw ApiProblem.Forbidden(ApiText.ModelReadersOnly);
    }

    private static async Task<(BusinessCaseModel Model, string Json)> FindAsync(HttpContext http, ModelStore store, string id, int version)
    {
        var seed = BusinessCaseModels.Seed004;
        if (id == seed.Id && version == seed.Version) return (seed, BusinessCaseModels.Serialize(seed));
        var row = IdShape().IsMatch(id) ? await store.FindAsync(id, version, http.RequestAborted) : null;
        if (row is null) throw ApiProblem.NotFound(ApiProblem.Text(ApiText.ModelNotFound, id, version));
        var (model, problems) = BusinessCaseModels.Parse(row.Json);
        // A stored row passed the same validation; a row that no longer does is refused, never computed.
        if (model is null) throw new InvalidOperationException($"Stored model {id} v{version} is invalid: {string.Join(" ", problems.Select(p => p.Message))}");
        return (model, row.Json);
    }

    private static async Task<string> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes) throw ApiProblem.BadRequest(ApiText.ModelTooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw ApiProblem.BadRequest(ApiText.ModelTooLarge);
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A model's id: lower-case letters, digits and hyphens, at most 64 (it is part of the model's address).</summary>
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex IdShape();
}
