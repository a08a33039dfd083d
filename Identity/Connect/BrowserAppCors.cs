using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Connect;

/// <summary>
/// A SMART app that runs in a browser (the JavaScript client <c>fhirclient</c>) redeems its code at the token endpoint
/// from its own page, so that endpoint must answer cross-origin. Allowed: exactly the origins of the registered public
/// browser apps' redirect URIs (<see cref="Clients"/>), nothing else and never with cookies. The person's sign-in and
/// consent stay on Identity's own pages (plain navigation, no CORS).
/// </summary>
public static class BrowserAppCors
{
    public const string Policy = "browser-apps";

    /// <summary>The machine endpoints a browser app calls with fetch.</summary>
    private static readonly string[] Paths =
        [ServerSetup.TokenPath, ServerSetup.RevocationPath, ServerSetup.UserInfoPath, "/.well-known"];

    public static IServiceCollection AddBrowserAppCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ClientOptions>, IHostEnvironment>((cors, clients, environment) =>
            cors.AddPolicy(Policy, policy => policy
                .WithOrigins([.. Origins(clients.Value, environment)])
                .WithHeaders("Content-Type", "Authorization", "Accept")
                .WithMethods("GET", "POST")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    /// <summary>After routing, before authentication (OpenIddict answers token requests inside it).</summary>
    public static WebApplication UseBrowserAppCors(this WebApplication app)
    {
        app.UseWhen(http => Paths.Any(p => http.Request.Path.StartsWithSegments(p)), machine => machine.UseCors(Policy));
        return app;
    }

    /// <summary>The origins of the public clients that run in a browser, from their registered redirect URIs.</summary>
    public static IReadOnlyList<string> Origins(ClientOptions options, IHostEnvironment environment) =>
        Clients.For(options, environment)
            .Where(c => c.ClientType == ClientTypes.Public && c.ApplicationType == ApplicationTypes.Web)
            .SelectMany(c => c.RedirectUris)
            .Select(uri => uri.GetLeftPart(UriPartial.Authority))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}
