using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Fhir;

namespace Pgo.Api.Errors;

/// <summary>
/// How an error reaches the user of <c>/api</c> (Errors/README.md tells the whole path): handlers throw
/// <see cref="ApiProblem"/> (or let a <see cref="FhirException"/> of the FHIR engine through), this endpoint filter
/// on every <c>/api</c> group turns it into a ProblemDetails with the title from <see cref="Title"/>, and an
/// unexpected exception becomes a 500 ProblemDetails without internals (logged). Nothing else translates exceptions.
/// </summary>
public static class ApiErrors
{
    /// <summary>The one table from HTTP status to the title the user reads (Dutch; English by Accept-Language).</summary>
    public static string Title(int status) => status switch
    {
        400 => ApiText.Title400,
        401 => ApiText.Title401,
        403 => ApiText.Title403,
        404 => ApiText.Title404,
        409 => ApiText.Title409,
        412 => ApiText.Title412,
        413 => ApiText.Title413,
        415 => ApiText.Title415,
        422 => ApiText.Title422,
        500 => ApiText.Title500,
        503 => ApiText.Title503,
        _ => ApiText.TitleOther,
    };

    /// <summary>The ProblemDetails of a refusal: the only place an <c>/api</c> error response is built.</summary>
    public static ProblemHttpResult Problem(int status, string detail, string? title = null, IReadOnlyDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title ?? Title(status),
            extensions: extensions is null ? null : new Dictionary<string, object?>(extensions));

    public static ProblemHttpResult Problem(ApiProblem e) => Problem(e.Status, e.Detail, e.Title, e.Extensions);

    /// <summary>Applies the error path to a group of <c>/api</c> routes and names the problems it can answer in OpenAPI.</summary>
    public static TBuilder WithApiErrors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(HandleErrors).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>The endpoint filter: every refusal becomes its ProblemDetails; nothing unexpected escapes as a bare 500.</summary>
    public static async ValueTask<object?> HandleErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiProblem e)
        {
            return Problem(e);
        }
        catch (FhirException e)
        {
            // The FHIR engine's refusal, in its own (localized) words. /api speaks of things, not versions: deleted is not found.
            return Problem(e.Status == HttpStatusCode.Gone ? StatusCodes.Status404NotFound : (int)e.Status, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return Problem(e.StatusCode, e.Message);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception e) when (StoreUnavailable.Is(e))
        {
            StoreUnavailable.Answered(context.HttpContext, e);
            return Problem(StatusCodes.Status503ServiceUnavailable, ApiText.StoreUnavailable);
        }
        catch (Exception e)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors));
            logger.LogError(e, "Unexpected error in {Method} {Path}", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return Problem(StatusCodes.Status500InternalServerError, ApiText.Unexpected);
        }
    }
}
