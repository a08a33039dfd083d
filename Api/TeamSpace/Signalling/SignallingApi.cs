using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Hosting;
using Pgo.Shared.Contracts;

using static Pgo.Api.TeamSpace.TeamSpaceApi;

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
        app.MapFallbackAnswer("/api/signalling/{**rest}", () => Problem(TeamError.NotFound(ApiText.TeamRouteNotFound)));
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
}
