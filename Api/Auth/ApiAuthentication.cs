using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;

namespace Pgo.Api.Auth;

/// <summary>
/// Who is calling: JWT bearer validation of the access tokens Pgo.Identity issues (RS256, <c>aud</c> pgo-api,
/// <c>typ</c> at+jwt, claims sub, fhirUser, role, scope, client_id), read as they are (MapInboundClaims off).
/// Configuration (<see cref="ApiIdentityOptions"/>): <c>Pgo:Identity:Authority</c> (default http://localhost:5300; its discovery document and JWKS are
/// fetched), or <c>Pgo:Identity:SigningKeys</c> (PEM public keys) to validate without reaching Identity.
/// </summary>
public static class ApiAuthentication
{
    public const string Audience = "pgo-api";
    public const string DefaultAuthority = "http://localhost:5300";

    public static string Authority(ApiIdentityOptions identity) =>
        (identity.Authority is { Length: > 0 } a ? a : DefaultAuthority).TrimEnd('/');

    public static WebApplicationBuilder AddApiAuthentication(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        // The issuer and its keys come from Pgo:Identity (ApiIdentityOptions, bound and validated in FhirHosting).
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<ApiIdentityOptions>>((options, identity) =>
        {
            var authority = Authority(identity.Value);
            if (identity.Value.GivenSigningKeys() is { Count: > 0 } pems)
                options.TokenValidationParameters.IssuerSigningKeys = pems.Select(SigningKey).ToList();
            else
                options.Authority = authority;
            options.TokenValidationParameters.ValidIssuers = [authority, authority + "/"];
        });
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.Audience = Audience;
            options.RequireHttpsMetadata = !development;
            options.TokenValidationParameters.ValidAudience = Audience;
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];
            options.TokenValidationParameters.NameClaimType = "name";
            options.TokenValidationParameters.RoleClaimType = "role";
            options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            options.Events = new JwtBearerEvents
            {
                // Browsers cannot send headers on a WebSocket: SignalR sends the token as access_token, on /hubs and /ws (Subscription websockets) only.
                OnMessageReceived = context =>
                {
                    if ((context.HttpContext.Request.Path.StartsWithSegments("/hubs") || context.HttpContext.Request.Path.StartsWithSegments("/ws"))
                        && context.Request.Query["access_token"].FirstOrDefault() is { Length: > 0 } token)
                        context.Token = token;
                    return System.Threading.Tasks.Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    // A person's scope (patient/ or user/) without the Person it acts as cannot be scoped to a dossier.
                    var scopes = Scopes(context.Principal!);
                    if (scopes.Any(s => s.StartsWith("patient/", StringComparison.Ordinal) || s.StartsWith("user/", StringComparison.Ordinal))
                        && string.IsNullOrEmpty(context.Principal!.FindFirst("fhirUser")?.Value))
                        context.Fail("patient/ or user/ scope without a fhirUser claim");
                    return System.Threading.Tasks.Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
                        ? "Bearer"
                        : "Bearer error=\"invalid_token\"";
                    await FhirHttp.Error(HttpStatusCode.Unauthorized, OperationOutcome.IssueType.Login,
                        ApiText.NotSignedInToken).ExecuteAsync(context.HttpContext);
                },
            };
        });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>A PEM public key (or certificate's RSA key) to validate tokens with.</summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope",
        Justification = "The RSA key passes to the RsaSecurityKey, which token validation uses for the life of the process.")]
    public static SecurityKey SigningKey(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(new RsaSecurityKey(rsa.ExportParameters(false)).ComputeJwkThumbprint()) };
    }

    /// <summary>The token's scopes: one space-separated claim or several claims.</summary>
    public static IReadOnlyList<string> Scopes(System.Security.Claims.ClaimsPrincipal user) =>
        user.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
}
