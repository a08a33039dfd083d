using Microsoft.Extensions.Options;

namespace Pgo.Api.Auth;

/// <summary>Configuration section <c>Pgo:BrowserApps</c>: SMART apps that run in a person's browser and call /fhir
/// from their own origin (the JavaScript client <c>fhirclient</c> does so), so the browser must be told by CORS.</summary>
public sealed class BrowserAppOptions
{
    public const string Section = "Pgo:BrowserApps";

    /// <summary>Origins (scheme://host[:port], no path) allowed to call /fhir from a browser. None by default; in
    /// Development the demo SMART app's origin (<see cref="BrowserApps.DevelopmentDemoAppOrigin"/>) is added.</summary>
    public List<string> Origins { get; set; } = [];
}

/// <summary>
/// Cross-origin access to /fhir for browser SMART apps. CORS widens nothing a caller may see: every request still needs
/// an access token, and no cookie is ever sent along (credentials are not allowed). It only lets a registered app's page
/// read the answer. Other paths (/api, /hubs) stay same-origin: the Portal calls them from its server.
/// </summary>
public static class BrowserApps
{
    public const string Policy = "browser-apps";

    /// <summary>The origin of Identity's Development-only client <c>pgo-demo-app</c> (its redirect URI's origin).</summary>
    public const string DevelopmentDemoAppOrigin = "http://localhost:5400";

    public static WebApplicationBuilder AddBrowserApps(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<BrowserAppOptions>().BindConfiguration(BrowserAppOptions.Section).ValidateOnStart();
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<BrowserAppOptions>>((cors, apps) => cors.AddPolicy(Policy, policy => policy
                .WithOrigins([.. AllowedOrigins(apps.Value, development)])
                .AllowAnyHeader()
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithExposedHeaders("Location", "Content-Location", "ETag", "Last-Modified")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return builder;
    }

    /// <summary>Answers CORS for /fhir only (preflights included, before authentication turns them away).</summary>
    public static WebApplication UseBrowserApps(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/fhir"), fhir => fhir.UseCors(Policy));
        return app;
    }

    public static IReadOnlyList<string> AllowedOrigins(BrowserAppOptions options, bool development)
    {
        var origins = options.Origins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/')).ToList();
        if (development) origins.Add(DevelopmentDemoAppOrigin);
        return origins.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>What is wrong with a configured origin, or null. A wildcard is never allowed; outside Development only
    /// https, except for loopback addresses (an app on the operator's own machine).</summary>
    public static string? Problem(string origin, bool development)
    {
        if (origin.Trim() == "*") return "'*' (elke website) is niet toegestaan; noem de herkomst van elke app";
        if (!Uri.TryCreate(origin.Trim().TrimEnd('/'), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || !string.IsNullOrEmpty(uri.UserInfo))
            return $"'{origin}' is geen herkomst (schema://host[:poort], zonder pad)";
        if (!development && uri.Scheme != "https" && !uri.IsLoopback) return $"'{origin}' moet https zijn buiten Development";
        return null;
    }
}
