using System.Threading.RateLimiting;
using Pgo.Identity.Accounts;
using Microsoft.Extensions.Options;
using Pgo.Identity.Connect;

namespace Pgo.Identity.RateLimiting;

/// <summary>Limits from configuration section <c>Pgo:RateLimits</c>: requests per minute per client address.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Pgo:RateLimits";

    /// <summary>Form posts that try a secret: sign-in, codes, registration, password reset, invitations.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Token, revocation and introspection requests.</summary>
    public int TokenPerMinute { get; set; } = 60;
}

/// <summary>
/// Slows down password guessing across accounts (the lockout protects one account) and token hammering.
/// A global limiter rather than endpoint policies, because OpenIddict answers the token, revocation and
/// introspection endpoints itself, before endpoint routing would apply a policy.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Token = "token";

    /// <summary>The limiter; its <see cref="RateLimitOptions"/> are bound in IdentityHost.</summary>
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var kind = KindOf(http.Request);
                if (kind is null) return RateLimitPartition.GetNoLimiter("");
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter($"{kind}|{address}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = kind == SignIn ? limits.SignInPerMinute : limits.TokenPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    "Te veel pogingen achter elkaar. Wacht een minuut en probeer het opnieuw.", cancellationToken);
            };
        });
        return services;
    }

    public static string? KindOf(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method)) return null;
        var path = request.Path;
        if (AccountPaths.Guessable.Any(page => path.Equals(page, StringComparison.OrdinalIgnoreCase)))
            return SignIn;
        if (path.Equals(ServerSetup.TokenPath, StringComparison.OrdinalIgnoreCase)
            || path.Equals(ServerSetup.RevocationPath, StringComparison.OrdinalIgnoreCase)
            || path.Equals(ServerSetup.IntrospectionPath, StringComparison.OrdinalIgnoreCase))
            return Token;
        return null;
    }
}
