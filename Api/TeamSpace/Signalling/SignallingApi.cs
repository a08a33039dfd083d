using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pgo.Api.Errors;
using Pgo.Shared.Contracts;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Pgo.Api.TeamSpace.Signalling;

/// <summary>
/// The landelijk coördinator's programme view under <c>/api/signalling</c>: the knelpunten of all teams bundled by theme
/// and instantie, counted; status and outcome; a CSV export. Role <c>coordinator</c> only
/// (<see cref="TeamSpaceAuthorization.MayCoordinate"/>): anyone else 403, anonymous 401.
/// </summary>
public static class SignallingApi
{
    public static IEndpointRouteBuilder MapSignallingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/signalling").WithApiErrors().AddEndpointFilter(RequireCaller).WithTags("Signalering");
        api.MapGet("/bundles", Bundles);
        api.MapGet("/bundles/{bundleId:long}", Bundle);
        api.MapPut("/bundles/{bundleId:long}", Update);
        api.MapGet("/bundles/{bundleId:long}/export", Export);
        app.MapFallback("/api/signalling/{**rest}", () => Problem(TeamError.NotFound(ApiText.TeamRouteNotFound)));
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<SignalBundleSummary>>, ProblemHttpResult>> Bundles(HttpContext http, SignalService signals)
    {
        var q = http.Request.Query;
        return Ok(await signals.BundlesAsync(Caller(http), q["status"].FirstOrDefault(), q["theme"].FirstOrDefault(), q["instantie"].FirstOrDefault(), http.RequestAborted));
    }

    private static async Task<Results<Ok<SignalBundleView>, ProblemHttpResult>> Bundle(long bundleId, HttpContext http, SignalService signals) =>
        Ok(await signals.BundleAsync(Caller(http), bundleId, http.RequestAborted));

    private static async Task<Results<Ok<SignalBundleView>, ProblemHttpResult>> Update(long bundleId, HttpContext http, SignalService signals)
    {
        // The role first: someone who may not coordinate learns nothing from how the body is read.
        if (!TeamSpaceAuthorization.MayCoordinate(Caller(http))) return Problem(TeamError.Forbidden(ApiText.SignalCoordinatorOnly));
        return Ok(await signals.UpdateAsync(Caller(http), bundleId, await BodyAsync<SignalBundleUpdate>(http), http.RequestAborted));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(long bundleId, HttpContext http, SignalService signals)
    {
        var result = await signals.ExportAsync(Caller(http), bundleId, http.RequestAborted);
        if (result.Error is { } error) return Problem(error);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(result.Value.Content, "text/csv; charset=utf-8", result.Value.FileName);
    }

    // ---------------------------------------------------------------- plumbing (as in TeamSpaceApi)

    private const string CallerItem = "Pgo.Signalling.Caller";

    private static ValueTask<object?> RequireCaller(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (TeamCaller.From(http.User) is not { } caller) return ValueTask.FromResult<object?>(Problem(TeamError.Unauthenticated()));
        http.Items[CallerItem] = caller;
        return next(context);
    }

    private static TeamCaller Caller(HttpContext http) => (TeamCaller)http.Items[CallerItem]!;

    private static async Task<T> BodyAsync<T>(HttpContext http) where T : class
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options, http.RequestAborted)
                ?? throw new TeamRefusal(TeamError.Invalid("body", ApiText.TeamJsonObjectRequired));
        }
        catch (JsonException e)
        {
            throw new TeamRefusal(TeamError.Invalid("body", ApiProblem.Text(ApiText.TeamJsonInvalid, e.Message)));
        }
    }

    private static ProblemHttpResult Problem(TeamError e) => ApiErrors.Problem(e.Status, e.Detail, e.Title, e.Extensions);

    private static Results<Ok<T>, ProblemHttpResult> Ok<T>(Outcome<T> outcome) =>
        outcome.Error is { } e ? Problem(e) : TypedResults.Ok(outcome.Value!);
}
