using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Pgo.Identity.Tests.Support;

/// <summary>
/// A tiny OpenID provider on a loopback port, laid out like Microsoft Entra ID (<c>{instance}{tenant}/v2.0</c>):
/// discovery, JWKS, an authorize endpoint that approves at once (answering with a form_post page, as Entra
/// does), and a token endpoint that checks the client secret and PKCE and issues an id_token signed with a
/// test key. Entra itself cannot be reached from here.
/// </summary>
public sealed class StandInEntra : IAsyncDisposable
{
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "stand-in-entra-client-secret";

    private readonly WebApplication app;
    private readonly RSA key = RSA.Create(2048);
    private readonly RSA unknownKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string Nonce, string Challenge, string RedirectUri)> codes = new();

    public string TenantId { get; } = Guid.NewGuid().ToString();
    public string KeyId { get; } = "stand-in-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The work account that signs in next.</summary>
    public (string Subject, string Email, string Name, bool EmailVerified) NextUser { get; set; } =
        ("work-" + Guid.NewGuid().ToString("N"), "p.dejong@kdc.example", "Pieter de Jong", true);

    /// <summary>Sign the id_token with a key that is not in the JWKS (an attacker's token).</summary>
    public bool SignWithUnknownKey { get; set; }

    private StandInEntra(WebApplication app, X509Certificate2 certificate)
    {
        this.app = app;
        Certificate = certificate;
    }

    /// <summary>The provider's TLS certificate (self-signed; Entra's metadata must come over HTTPS).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>What Identity's HTTP clients use in the test to trust <see cref="Certificate"/> (and nothing else extra).</summary>
    public HttpClientHandler TrustingHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None || certificate?.Thumbprint == Certificate.Thumbprint,
    };

    /// <summary>Identity's test services: its OpenID Connect back channel and Identity.Web's issuer check trust the stand-in.</summary>
    public void Trust(IServiceCollection services)
    {
        services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(TrustingHandler));
        services.Configure<Microsoft.Identity.Web.AadIssuerValidatorOptions>(options => options.HttpClientName = "stand-in-entra");
        services.Configure<OpenIdConnectOptions>("entra", options => options.BackchannelHttpHandler = TrustingHandler());
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public static async Task<StandInEntra> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var certificate = CreateCertificate();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var entra = new StandInEntra(app, certificate);
        entra.Map();
        await app.StartAsync();
        return entra;
    }

    public string Instance => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";

    public string Issuer => $"{Instance}{TenantId}/v2.0";

    /// <summary>The configuration Identity gets (section Pgo:Entra).</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Pgo:Entra:Instance"] = Instance,
        ["Pgo:Entra:TenantId"] = TenantId,
        ["Pgo:Entra:ClientId"] = ClientId,
        ["Pgo:Entra:ClientSecret"] = ClientSecret,
        ["Pgo:Entra:CallbackPath"] = "/signin-entra",
    };

    private void Map()
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = $"{Instance}{TenantId}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{Instance}{TenantId}/oauth2/v2.0/token",
            ["jwks_uri"] = $"{Instance}{TenantId}/discovery/v2.0/keys",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "form_post" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email" },
            ["tenant_region_scope"] = "EU",
        }));

        app.MapGet("/{tenant}/discovery/v2.0/keys", () =>
        {
            var parameters = key.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", kid = KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            });
        });

        app.MapGet("/{tenant}/oauth2/v2.0/authorize", (HttpRequest request) =>
        {
            var query = request.Query;
            if (query["client_id"] != ClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256")
                return Results.BadRequest("unexpected authorization request");
            var code = Guid.NewGuid().ToString("N");
            codes[code] = (query["nonce"].ToString(), query["code_challenge"].ToString(), query["redirect_uri"].ToString());
            var html = $"""
                <html><body onload="document.forms[0].submit()"><form method="post" action="{WebUtility.HtmlEncode(query["redirect_uri"])}">
                <input type="hidden" name="code" value="{code}" />
                <input type="hidden" name="state" value="{WebUtility.HtmlEncode(query["state"])}" />
                </form></body></html>
                """;
            return Results.Content(html, "text/html");
        });

        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var (id, secret) = ClientCredentials(request, form);
            if (id != ClientId || secret != ClientSecret) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            if (!codes.TryRemove(form["code"].ToString(), out var issued)) return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
            if (challenge != issued.Challenge || form["redirect_uri"] != issued.RedirectUri)
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            return Results.Json(new
            {
                token_type = "Bearer", expires_in = 3600, access_token = Guid.NewGuid().ToString("N"), id_token = IdToken(issued.Nonce),
            });
        });
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (request.Headers.Authorization.ToString() is { } header && header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }
        return (form["client_id"], form["client_secret"]);
    }

    private string IdToken(string nonce)
    {
        var user = NextUser;
        var now = DateTime.UtcNow;
        var signing = new RsaSecurityKey(SignWithUnknownKey ? unknownKey : key) { KeyId = KeyId };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = user.Subject,
                ["oid"] = user.Subject,
                ["tid"] = TenantId,
                ["ver"] = "2.0",
                ["nonce"] = nonce,
                ["name"] = user.Name,
                ["preferred_username"] = user.Email,
                ["email"] = user.Email,
                ["email_verified"] = user.EmailVerified,
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        key.Dispose();
        unknownKey.Dispose();
        Certificate.Dispose();
    }
}
