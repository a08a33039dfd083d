using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Pgo.Identity.Data;
using Pgo.Identity.Hosting;
using Pgo.Identity.Keys;
using Pgo.Identity.Smart;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pgo.Identity.Connect;

/// <summary>
/// The OpenID Connect / OAuth 2 server (OpenIddict; Duende IdentityServer is not in the registry this
/// project can reach). Endpoints live under <c>/connect</c>; discovery at
/// <c>/.well-known/openid-configuration</c>, keys at <c>/.well-known/jwks</c>.
/// </summary>
public static class ServerSetup
{
    public const string AuthorizationPath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string EndSessionPath = "/connect/endsession";
    public const string RevocationPath = "/connect/revoke";
    public const string IntrospectionPath = "/connect/introspect";
    public const string UserInfoPath = "/connect/userinfo";

    public static IServiceCollection AddOpenIdConnectServer(this IServiceCollection services)
    {
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(AuthorizationPath[1..])
                    .SetTokenEndpointUris(TokenPath[1..])
                    .SetEndSessionEndpointUris(EndSessionPath[1..])
                    .SetRevocationEndpointUris(RevocationPath[1..])
                    .SetIntrospectionEndpointUris(IntrospectionPath[1..])
                    .SetUserInfoEndpointUris(UserInfoPath[1..]);

                // The password grant is added in Development only (EnvironmentSetup below).
                server.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .RequireProofKeyForCodeExchange();

                server.SetAccessTokenLifetime(ApiContract.AccessTokenLifetime);
                // Rolling refresh tokens are OpenIddict's default: every use returns a new refresh token and
                // marks the old one redeemed. Presenting a redeemed one again revokes the whole chain (reuse
                // detection). No grace period: a replay is refused at once, so clients must not refresh twice
                // in parallel with the same token.
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);

                // Access tokens are signed JWTs but not encrypted: the Api is a separate service that validates
                // them itself with the public keys from the JWKS, which it could not do with encrypted tokens.
                // Codes and refresh tokens stay encrypted; only this server reads them.
                server.DisableAccessTokenEncryption();

                server.RegisterScopes([.. ScopePolicy.Advertised]);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.Email, Claims.Role, ApiContract.FhirUserClaim);
                // OpenIddict's scope checks know a fixed list only; ScopeValidation accepts the SMART grammar.
                server.DisableScopeValidation();
                server.IgnoreScopePermissions();
                server.AddEventHandler(ScopeValidation.AuthorizationRequests);
                server.AddEventHandler(ScopeValidation.TokenRequests);

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();
            })
            // Identity's own API (/api/invitations) takes this server's access tokens meant for it, and
            // checks their database entries, so a revoked token or consent stops working here at once.
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                validation.AddAudiences(ApiContract.IdentityAudience);
                validation.EnableTokenEntryValidation();
                validation.EnableAuthorizationEntryValidation();
            });

        services.AddSingleton<KeyStore>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeysSetup>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, EnvironmentSetup>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerAspNetCoreOptions>, EnvironmentSetup>();
        services.AddScoped<TokenClaims>();
        services.AddHostedService<TokenPruning>();
        return services;
    }

    /// <summary>What differs between Development and everything else.</summary>
    private sealed class EnvironmentSetup(IHostEnvironment environment, IOptions<PgoOptions> pgo) :
        IConfigureOptions<OpenIddictServerOptions>, IConfigureOptions<OpenIddictServerAspNetCoreOptions>
    {
        public void Configure(OpenIddictServerOptions options)
        {
            // S256 only: "plain" PKCE protects nothing against an attacker who sees the authorization request.
            options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);

            if (pgo.Value.Issuer is { Length: > 0 } issuer) options.Issuer = new Uri(issuer);

            // One curl for a demo user's token in Development; in any other environment the grant does not
            // exist, so even a client registered with it is refused (unsupported_grant_type).
            if (environment.IsDevelopment()) options.GrantTypes.Add(GrantTypes.Password);
        }

        public void Configure(OpenIddictServerAspNetCoreOptions options) =>
            // http://localhost in Development; elsewhere HTTPS (behind a proxy: Pgo:ForwardedHeaders).
            options.DisableTransportSecurityRequirement = environment.IsDevelopment();
    }
}
