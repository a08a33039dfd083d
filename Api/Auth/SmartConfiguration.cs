using Microsoft.Extensions.Options;
using Pgo.Api.Auth;

namespace Pgo.Api.Auth;

/// <summary>SMART App Launch 2 discovery at /fhir/.well-known/smart-configuration: where apps get tokens (Pgo.Identity).</summary>
public static class SmartConfiguration
{
    public static readonly string[] ScopesSupported =
    [
        "openid", "profile", "email", "roles", "fhirUser", "offline_access", "launch", "launch/patient",
        "patient/*.rs", "patient/*.cruds", "user/*.rs", "user/*.cruds", "system/*.rs",
    ];

    public static readonly string[] Capabilities =
    [
        "launch-standalone", "client-public", "client-confidential-symmetric", "sso-openid-connect",
        "context-standalone-patient", "permission-offline", "permission-patient", "permission-user", "permission-v2", "authorize-post",
    ];

    public static IEndpointRouteBuilder MapSmartConfiguration(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fhir/.well-known/smart-configuration", (IOptions<ApiIdentityOptions> options) =>
        {
            var identity = options.Value;
            var issuer = identity.PublicUrl is { Length: > 0 } pub ? pub.TrimEnd('/') : ApiAuthentication.Authority(identity);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = $"{issuer}/.well-known/jwks",
                ["authorization_endpoint"] = $"{issuer}/connect/authorize",
                ["token_endpoint"] = $"{issuer}/connect/token",
                ["revocation_endpoint"] = $"{issuer}/connect/revoke",
                ["introspection_endpoint"] = $"{issuer}/connect/introspect",
                ["userinfo_endpoint"] = $"{issuer}/connect/userinfo",
                ["grant_types_supported"] = new[] { "authorization_code", "refresh_token", "client_credentials" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" },
                ["response_types_supported"] = new[] { "code" },
                ["scopes_supported"] = ScopesSupported,
                ["capabilities"] = Capabilities,
                ["code_challenge_methods_supported"] = new[] { "S256" },
            });
        }).AllowAnonymous().WithTags("FHIR");
        return app;
    }
}
