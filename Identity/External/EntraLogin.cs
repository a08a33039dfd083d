using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Identity.Web;

namespace Pgo.Identity.External;

/// <summary>
/// Sign-in with a Microsoft Entra ID work account, for professionals whose organisation uses it: an external
/// login (Microsoft.Identity.Web) next to e-mail and password. Switched on by configuration section
/// <c>Pgo:Entra</c> (Microsoft.Identity.Web's own keys: <c>Instance</c>, <c>TenantId</c> — "organizations" for
/// every organisation — <c>ClientId</c>, <c>ClientSecret</c>, <c>CallbackPath</c>), plus ours:
/// <c>AllowedTenants</c> (tenant ids; empty = any) and <c>RequireHttpsMetadata</c> (true unless testing
/// against a local stand-in provider).
/// </summary>
public sealed class EntraLogin(IConfiguration configuration)
{
    public const string Scheme = "entra";
    public const string Section = "Pgo:Entra";
    public const string DisplayName = "Microsoft Entra ID";

    public bool IsEnabled => IsConfigured(configuration);

    public IReadOnlyList<string> AllowedTenants =>
        configuration.GetSection($"{Section}:AllowedTenants").Get<string[]>() ?? [];

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:ClientId"]);
}

public static class EntraLoginSetup
{
    /// <summary>
    /// Adds the "entra" scheme; the result lands in Identity's external cookie. Registered always, because
    /// configuration can arrive after registration (tests, late providers); <see cref="RemoveWhenNotConfigured"/>
    /// takes the scheme away at start-up when <c>Pgo:Entra:ClientId</c> is missing.
    /// </summary>
    public static AuthenticationBuilder AddEntraLogin(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var section = configuration.GetSection(EntraLogin.Section);
        authentication.AddMicrosoftIdentityWebApp(section, openIdConnectScheme: EntraLogin.Scheme, cookieScheme: null, displayName: EntraLogin.DisplayName);
        authentication.Services.Configure<OpenIdConnectOptions>(EntraLogin.Scheme, options =>
        {
            // Not Identity.Web's own cookie: the external-login cookie of ASP.NET Core Identity, so that the
            // callback page can link the work account to a PGO account (and still ask for the second step).
            options.SignInScheme = IdentityConstants.ExternalScheme;
            options.CallbackPath = section["CallbackPath"] is { Length: > 0 } path ? path : "/signin-entra";
            options.ResponseType = "code";
            options.UsePkce = true;
            options.SaveTokens = false;
            options.RequireHttpsMetadata = section.GetValue("RequireHttpsMetadata", true);
            foreach (var scope in new[] { "openid", "profile", "email" }) options.Scope.Add(scope);
        });
        return authentication;
    }

    /// <summary>Without configuration there is no Entra sign-in (its options would not even validate).</summary>
    public static void RemoveWhenNotConfigured(IServiceProvider services)
    {
        if (!EntraLogin.IsConfigured(services.GetRequiredService<IConfiguration>()))
            services.GetRequiredService<IAuthenticationSchemeProvider>().RemoveScheme(EntraLogin.Scheme);
    }
}
