using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Pgo.Portal.Auth;

/// <summary>
/// Sign-in through Pgo.Identity: OpenID Connect code flow with PKCE (confidential client <c>pgo-portal</c>), a cookie
/// for the Portal's own session, and the tokens kept server-side in <see cref="SessionTokens"/>. Every page needs a
/// signed-in person (fallback policy), so an anonymous visitor goes straight to Identity's sign-in page.
/// </summary>
public static class PortalAuth
{
    public static WebApplicationBuilder AddPortalAuthentication(this WebApplicationBuilder builder)
    {
        // Bound and validated at start (docs/settings.md); a missing or development secret is refused by PortalSettings.
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateOnStart()
            .PostConfigure<IConfiguration>((o, config) => o.Cluster = Pgo.Observability.ClusterSetting.Read(config).Enabled);
        builder.Services.AddSingleton<IValidateOptions<PortalOptions>, PortalSettings>();
        // Where Identity is and who the Portal is there, from PortalOptions when the scheme's options are built.
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme).Configure<IOptions<PortalOptions>>((o, portal) =>
        {
            var options = portal.Value;
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.Scope.Clear();
            foreach (var scope in options.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
        });

        builder.Services.AddHttpClient(nameof(SessionTokens));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionTokens>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "pgo.portal";
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = RestoreTokensAsync;
            })
            .AddOpenIdConnect(o =>
            {
                o.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = "role";
                o.Events.OnRedirectToIdentityProvider = ctx =>
                {
                    // Identity shows its pages in the language the person chose here.
                    ctx.ProtocolMessage.UiLocales = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
                    return Task.CompletedTask;
                };
                o.Events.OnTokenValidated = ctx =>
                {
                    var session = Guid.NewGuid().ToString("N");
                    ((ClaimsIdentity)ctx.Principal!.Identity!).AddClaim(new Claim(SessionTokens.SessionClaim, session));
                    var response = ctx.TokenEndpointResponse!;
                    var expiresIn = int.TryParse(response.ExpiresIn, out var s) ? s : 300;
                    ctx.HttpContext.RequestServices.GetRequiredService<SessionTokens>()
                        .Store(session, new TokenSet(response.AccessToken, response.RefreshToken, ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddSeconds(expiresIn)));
                    return Task.CompletedTask;
                };
            });
        return builder;
    }

    /// <summary>After a Portal restart the server-side store is empty: take the tokens saved in the cookie once;
    /// a session that ended (refresh refused, signed out) is rejected, so the person signs in again.</summary>
    private static Task RestoreTokensAsync(CookieValidatePrincipalContext ctx)
    {
        var store = ctx.HttpContext.RequestServices.GetRequiredService<SessionTokens>();
        var session = SessionTokens.SessionOf(ctx.Principal!);
        if (session is null || store.HasEnded(session)) { ctx.RejectPrincipal(); return Task.CompletedTask; }
        if (store.Has(session)) return Task.CompletedTask;
        var access = ctx.Properties.GetTokenValue("access_token");
        if (access is null) { ctx.RejectPrincipal(); return Task.CompletedTask; }
        var expires = DateTimeOffset.TryParse(ctx.Properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var e)
            ? e : ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        store.Store(session, new TokenSet(access, ctx.Properties.GetTokenValue("refresh_token"), expires));
        return Task.CompletedTask;
    }

    public static WebApplication MapPortalAuthentication(this WebApplication app)
    {
        app.MapGet("/aanmelden", (string? terug) => Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrHome(terug) }))
            .AllowAnonymous();
        app.MapPost("/afmelden", async (HttpContext http, IAntiforgery antiforgery, SessionTokens tokens) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            if (SessionTokens.SessionOf(http.User) is { } session) tokens.End(session);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        }).DisableAntiforgery();
        // The language switch: a culture cookie, then back to where the person was.
        app.MapGet("/taal", (HttpContext http, string cultuur, string? terug) =>
        {
            var culture = cultuur == "en" ? "en" : "nl";
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(LocalOrHome(terug));
        }).AllowAnonymous();
        return app;
    }

    private static string LocalOrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}

/// <summary>The Portal's refusals, at start: no client secret at all, or the development secret outside Development.</summary>
public sealed class PortalSettings(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<PortalOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalOptions options)
    {
        if (Pgo.Observability.ClusterSetting.Read(configuration).Invalid is { } invalid)
            return ValidateOptionsResult.Fail($"{invalid}: {Pgo.Observability.ClusterSetting.EnabledKey} must be true or false (the older {Pgo.Observability.ClusterSetting.Section}=true/false still counts, but not beside a different {Pgo.Observability.ClusterSetting.EnabledKey}).");
        if (string.IsNullOrWhiteSpace(options.ClientSecret))
            return ValidateOptionsResult.Fail("Pgo:ClientSecret (the secret of client pgo-portal at Identity) is not configured.");
        if (!environment.IsDevelopment() && options.ClientSecret.Contains("development-only", StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail("Pgo:ClientSecret is the development secret; configure a real one outside Development.");
        if (options.Cluster && string.IsNullOrWhiteSpace(options.DataProtectionBlobs))
            return ValidateOptionsResult.Fail("Pgo:Cluster:Enabled is set but the data-protection keys are kept in a local folder: set Pgo:DataProtectionBlobs so every instance shares them.");
        if (!environment.IsDevelopment() && options.DataProtectionBlobs is { } blobs && blobs.Contains("devstoreaccount1", StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail("Pgo:DataProtectionBlobs is the storage emulator's public development account; configure a real storage account outside Development.");
        return ValidateOptionsResult.Success;
    }
}
