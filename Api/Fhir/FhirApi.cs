using System.Net;
using Hl7.Fhir.Model;
using Pgo.Api.Errors;
using Pgo.Api.Hosting;
using Pgo.Fhir;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Fhir;

/// <summary>The FHIR R4 REST endpoint at /fhir. Routes are listed here; the handlers only translate HTTP.</summary>
public static class FhirApi
{
    public static IEndpointRouteBuilder MapFhirApi(this IEndpointRouteBuilder app)
    {
        // Everything under /fhir needs an authenticated caller, except the CapabilityStatement and SMART discovery.
        var fhir = app.MapGroup("/fhir").AddEndpointFilter(CountInteraction).AddEndpointFilter(HandleErrors).WithTags("FHIR").RequireAuthorization();

        fhir.MapGet("/metadata", Metadata).AllowAnonymous().Counted("capabilities", "CapabilityStatement");
        fhir.MapPost("/", Bundle).Counted("batch-transaction");
        fhir.MapGet("/", SystemSearch).Counted("search-system");
        fhir.MapGet("/_history", SystemHistory).Counted("history-system");

        fhir.MapGet("/{type}", Search).Counted("search-type");
        fhir.MapPost("/{type}/_search", SearchPost).Counted("search-type");
        fhir.MapPost("/{type}", Create).Counted("create");
        fhir.MapPut("/{type}", ConditionalUpdate).Counted("conditional-update");
        fhir.MapDelete("/{type}", ConditionalDelete).Counted("conditional-delete");
        fhir.MapGet("/{type}/_history", TypeHistory).Counted("history-type");

        fhir.MapGet("/{type}/{id}", Read).Counted("read");
        fhir.MapPut("/{type}/{id}", Update).Counted("update");
        fhir.MapDelete("/{type}/{id}", Delete).Counted("delete");
        fhir.MapGet("/{type}/{id}/_history", InstanceHistory).Counted("history-instance");
        fhir.MapGet("/{type}/{id}/_history/{vid}", VRead).Counted("vread");
        fhir.MapPost("/$import", Import).Counted("operation-import");
        fhir.MapGet("/Patient/{id}/$everything", Everything).Counted("operation-everything", "Patient");
        fhir.MapPost("/Patient/{id}/$everything", Everything).Counted("operation-everything", "Patient");

        // Anything else under /fhir: an OperationOutcome rather than an empty 404.
        app.MapFallbackAnswer("/fhir/{**rest}", () =>
            FhirHttp.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotSupported, FhirText.InteractionNotSupported));
        return app;
    }

    private static IResult Metadata(HttpContext http) =>
        FhirHttp.Write(http, new FhirResponse { Resource = CapabilityStatementBuilder.Build(FhirHttp.Context(http).BaseUrl, typeof(FhirApi).Assembly.GetName().Version?.ToString() ?? "0") });

    private static async Task<IResult> Read(HttpContext http, FhirRepository repo, string type, string id) =>
        FhirHttp.Write(http, await repo.ReadAsync(FhirHttp.Context(http), type, id, http.RequestAborted));

    private static async Task<IResult> VRead(HttpContext http, FhirRepository repo, string type, string id, string vid) =>
        FhirHttp.Write(http, await repo.VReadAsync(FhirHttp.Context(http), type, id, vid, http.RequestAborted));

    private static async Task<IResult> Create(HttpContext http, FhirRepository repo, string type)
    {
        var resource = await FhirHttp.ReadResourceAsync(http);
        var ifNoneExist = http.Request.Headers["If-None-Exist"].FirstOrDefault();
        return FhirHttp.Write(http, await repo.CreateAsync(FhirHttp.Context(http), type, resource, ifNoneExist, http.RequestAborted), honourReturnPreference: true);
    }

    private static async Task<IResult> Update(HttpContext http, FhirRepository repo, string type, string id)
    {
        var resource = await FhirHttp.ReadResourceAsync(http);
        var ifMatch = http.Request.Headers.IfMatch.FirstOrDefault();
        return FhirHttp.Write(http, await repo.UpdateAsync(FhirHttp.Context(http), type, id, resource, ifMatch, http.RequestAborted), honourReturnPreference: true);
    }

    private static async Task<IResult> ConditionalUpdate(HttpContext http, FhirRepository repo, string type)
    {
        var criteria = http.Request.QueryString.Value?.TrimStart('?');
        if (string.IsNullOrEmpty(criteria)) throw FhirException.BadRequest(ApiText.FhirConditionalUpdateNeedsCriteria);
        var resource = await FhirHttp.ReadResourceAsync(http);
        return FhirHttp.Write(http, await repo.ConditionalUpdateAsync(FhirHttp.Context(http), type, criteria, resource, http.RequestAborted), honourReturnPreference: true);
    }

    private static async Task<IResult> Delete(HttpContext http, FhirRepository repo, string type, string id) =>
        FhirHttp.Write(http, await repo.DeleteAsync(FhirHttp.Context(http), type, id, http.Request.Headers.IfMatch.FirstOrDefault(), http.RequestAborted));

    private static async Task<IResult> ConditionalDelete(HttpContext http, FhirRepository repo, string type)
    {
        var criteria = http.Request.QueryString.Value?.TrimStart('?');
        if (string.IsNullOrEmpty(criteria)) throw FhirException.BadRequest(ApiText.FhirConditionalDeleteNeedsCriteria);
        return FhirHttp.Write(http, await repo.ConditionalDeleteAsync(FhirHttp.Context(http), type, criteria, http.RequestAborted));
    }

    private static async Task<IResult> Search(HttpContext http, FhirRepository repo, string type) =>
        FhirHttp.Write(http, await repo.SearchAsync(FhirHttp.Context(http), type, FhirHttp.Query(http), http.RequestAborted));

    private static async Task<IResult> SystemSearch(HttpContext http, FhirRepository repo) =>
        FhirHttp.Write(http, await repo.SearchAsync(FhirHttp.Context(http), null, FhirHttp.Query(http), http.RequestAborted));

    /// <summary>POST [type]/_search: parameters in an application/x-www-form-urlencoded body, plus any in the URL.</summary>
    private static async Task<IResult> SearchPost(HttpContext http, FhirRepository repo, string type)
    {
        var query = FhirHttp.Query(http).ToList();
        query.AddRange(await FhirHttp.ReadSearchFormAsync(http));
        return FhirHttp.Write(http, await repo.SearchAsync(FhirHttp.Context(http), type, query, http.RequestAborted));
    }

    private static async Task<IResult> SystemHistory(HttpContext http, FhirRepository repo) =>
        FhirHttp.Write(http, await repo.HistoryAsync(FhirHttp.Context(http), null, null, FhirHttp.Query(http), http.RequestAborted));

    private static async Task<IResult> TypeHistory(HttpContext http, FhirRepository repo, string type) =>
        FhirHttp.Write(http, await repo.HistoryAsync(FhirHttp.Context(http), type, null, FhirHttp.Query(http), http.RequestAborted));

    private static async Task<IResult> InstanceHistory(HttpContext http, FhirRepository repo, string type, string id) =>
        FhirHttp.Write(http, await repo.HistoryAsync(FhirHttp.Context(http), type, id, FhirHttp.Query(http), http.RequestAborted));

    private static async Task<IResult> Everything(HttpContext http, FhirRepository repo, string id) =>
        FhirHttp.Write(http, await repo.EverythingAsync(FhirHttp.Context(http), id, FhirHttp.Query(http), http.RequestAborted));

    /// <summary>POST /fhir/$import: NDJSON, one new resource per line, stored all or nothing (docs/adr/0015-bulk-import.md).</summary>
    private static async Task<IResult> Import(HttpContext http, FhirRepository repo)
    {
        var ctx = FhirHttp.Context(http);
        // Who may import is decided before the body is read: a refused caller does not get to send 256 MB first.
        if (!ctx.Caller.IsSystem || ctx.Caller.FhirUser is not null)
            return FhirHttp.Write(http, await repo.ImportAsync(ctx, [], http.RequestAborted));
        var lines = await FhirHttp.ReadNdjsonAsync(http);
        return FhirHttp.Write(http, await repo.ImportAsync(ctx, lines, http.RequestAborted));
    }

    private static async Task<IResult> Bundle(HttpContext http, FhirRepository repo)
    {
        var resource = await FhirHttp.ReadResourceAsync(http);
        if (resource is not Hl7.Fhir.Model.Bundle bundle)
            throw FhirException.BadRequest(Text.Format(FhirText.BaseOnlyBundle, resource.TypeName));
        return FhirHttp.Write(http, await repo.ProcessBundleAsync(FhirHttp.Context(http), bundle, http.RequestAborted));
    }

    /// <summary>The FHIR interaction a route is (FHIR's names, http://hl7.org/fhir/R4/http.html), and its resource type when
    /// the route fixes it; otherwise the type comes from the route's {type}.</summary>
    private sealed record FhirInteraction(string Name, string? Type);

    private static RouteHandlerBuilder Counted(this RouteHandlerBuilder route, string interaction, string? type = null) =>
        route.WithMetadata(new FhirInteraction(interaction, type));

    /// <summary>Counts the interaction as pgo.fhir.interactions (Api/Hosting/ApiMetrics.cs): its name and resource type
    /// from the route, never the id or the query.</summary>
    private static ValueTask<object?> CountInteraction(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var interaction = http.GetEndpoint()?.Metadata.GetMetadata<FhirInteraction>();
        ApiMetrics.CountFhirInteraction(interaction?.Name ?? "other", interaction?.Type ?? http.Request.RouteValues["type"] as string);
        return next(context);
    }

    /// <summary>Every refusal becomes an OperationOutcome with the right status; nothing unexpected escapes as a bare 500.</summary>
    private static async ValueTask<object?> HandleErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (FhirException e)
        {
            return FhirHttp.Error(e.Status, e.Code, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return FhirHttp.Error((HttpStatusCode)e.StatusCode, OperationOutcome.IssueType.Invalid, e.Message);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception e) when (StoreUnavailable.Is(e))
        {
            StoreUnavailable.Answered(context.HttpContext, e);
            return FhirHttp.Error(HttpStatusCode.ServiceUnavailable, OperationOutcome.IssueType.Transient, ApiText.StoreUnavailable);
        }
        catch (Exception e)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<FhirRepository>>();
            logger.LogError(e, "Unexpected error in {Method} {Path}", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return FhirHttp.Error(HttpStatusCode.InternalServerError, OperationOutcome.IssueType.Exception,
                ApiText.FhirUnexpected);
        }
    }
}
