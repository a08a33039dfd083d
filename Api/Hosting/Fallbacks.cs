namespace Pgo.Api.Hosting;

/// <summary>The answer for an unknown route under a prefix (/fhir, /api/team, /api/signalling), so a client gets an
/// OperationOutcome or ProblemDetails rather than an empty 404.</summary>
public static class Fallbacks
{
    /// <summary>
    /// Maps <paramref name="pattern"/> as a fallback answered by <paramref name="answer"/>. Through the
    /// <see cref="RequestDelegate"/> overload on purpose: the Request Delegate Generator (Pgo.Api.csproj) intercepts the
    /// <see cref="Delegate"/> overload and drops its pattern (dotnet/aspnetcore#65992), which turned every prefix's
    /// fallback into a catch-all and made unknown routes ambiguous (500).
    /// </summary>
    public static IEndpointConventionBuilder MapFallbackAnswer(this IEndpointRouteBuilder app, string pattern, Func<IResult> answer)
    {
        RequestDelegate handler = http => answer().ExecuteAsync(http);
        return app.MapFallback(pattern, handler);
    }
}
