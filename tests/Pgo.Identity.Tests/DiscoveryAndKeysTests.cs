using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pgo.Identity.Keys;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

public class DiscoveryAndKeysTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    [Fact]
    public async Task Health_endpoint_answers_healthy()
    {
        using var browser = app.Browser();
        (await browser.GetStringAsync("/health")).ShouldBe("Healthy");
    }

    [Fact]
    public async Task The_token_endpoint_answers_cross_origin_only_to_a_registered_browser_app_and_never_with_cookies()
    {
        using var browser = app.Browser();
        HttpRequestMessage Preflight(string path, string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return request;
        }
        // pgo-demo-app (a public browser client, Development) is registered with http://localhost:5400/callback.
        var app5400 = await browser.Http.SendAsync(Preflight("/connect/token", "http://localhost:5400"));
        app5400.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["http://localhost:5400"]);
        app5400.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
        (await browser.Http.SendAsync(Preflight("/connect/token", "https://evil.example"))).Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        // The person's own pages (sign-in, consent) are never for other origins' scripts.
        (await browser.Http.SendAsync(Preflight("/connect/authorize", "http://localhost:5400"))).Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        (await browser.Http.SendAsync(Preflight("/aanmelden", "http://localhost:5400"))).Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Discovery_document_lists_the_endpoints_and_only_S256_for_PKCE()
    {
        using var browser = app.Browser();
        var discovery = JsonDocument.Parse(await browser.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        discovery.GetProperty("issuer").GetString().ShouldBe("http://localhost/");
        foreach (var (name, path) in new[]
        {
            ("authorization_endpoint", "/connect/authorize"), ("token_endpoint", "/connect/token"),
            ("end_session_endpoint", "/connect/endsession"), ("revocation_endpoint", "/connect/revoke"),
            ("introspection_endpoint", "/connect/introspect"), ("userinfo_endpoint", "/connect/userinfo"),
            ("jwks_uri", "/.well-known/jwks"),
        })
        {
            discovery.GetProperty(name).GetString().ShouldBe("http://localhost" + path);
        }
        Strings(discovery, "code_challenge_methods_supported").ShouldBe(["S256"]);
        Strings(discovery, "grant_types_supported").ShouldBe(
            ["authorization_code", "refresh_token", "client_credentials", "password"], ignoreOrder: true);
        Strings(discovery, "scopes_supported").ShouldContain("patient/*.rs");
        Strings(discovery, "scopes_supported").ShouldContain("fhirUser");
    }

    [Fact]
    public async Task Jwks_publishes_an_RSA_signing_key()
    {
        using var browser = app.Browser();
        var jwks = new JsonWebKeySet(await browser.GetStringAsync("/.well-known/jwks"));

        var key = jwks.Keys.ShouldHaveSingleItem();
        key.Kty.ShouldBe("RSA");
        key.Use.ShouldBe("sig");
        key.Kid.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Signing_key_survives_a_restart_on_the_same_data_directory()
    {
        var data = IdentityApp.NewDataDirectory();
        string first, second;
        await using (var before = new IdentityApp("Development", data)) first = (await SigningKeyIds(before)).Single();
        await using (var after = new IdentityApp("Development", data)) second = (await SigningKeyIds(after)).Single();

        second.ShouldBe(first);
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task A_newer_key_signs_while_the_older_one_stays_published()
    {
        var data = IdentityApp.NewDataDirectory();
        string oldKid;
        await using (var before = new IdentityApp("Development", data)) oldKid = (await SigningKeyIds(before)).Single();

        // Rotation: a key file with a later timestamp, then a restart.
        KeyStore.CreateKeyFile(Path.Combine(data, "keys"), KeyStore.SigningFilePrefix, DateTimeOffset.UtcNow.AddMinutes(1));
        await using (var after = new IdentityApp("Development", data))
        {
            var kids = await SigningKeyIds(after);
            kids.Count.ShouldBe(2);
            kids.ShouldContain(oldKid);

            using var browser = after.Browser();
            var tokens = await Oidc.PortalTokensAsync(browser, "tessa@strikwerda.example");
            var kid = new JsonWebToken(tokens.AccessToken).Kid;
            kid.ShouldNotBe(oldKid);
            kids.ShouldContain(kid);
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Keys_from_configuration_replace_the_key_files()
    {
        using var signing = RSA.Create(2048);
        using var encryption = RSA.Create(2048);
        var expectedKid = Base64UrlEncoder.Encode(new RsaSecurityKey(signing.ExportParameters(false)).ComputeJwkThumbprint());
        await using var configured = new IdentityApp("Development", settings: new Dictionary<string, string?>
        {
            ["Pgo:Keys:Signing:0"] = signing.ExportPkcs8PrivateKeyPem(),
            ["Pgo:Keys:Encryption:0"] = encryption.ExportPkcs8PrivateKeyPem(),
        });

        (await SigningKeyIds(configured)).Single().ShouldBe(expectedKid);
        Directory.GetFiles(configured.DataDirectory, "*.pem", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    private static async Task<List<string>> SigningKeyIds(IdentityApp identity)
    {
        using var browser = identity.Browser();
        return new JsonWebKeySet(await browser.GetStringAsync("/.well-known/jwks")).Keys.Select(key => key.Kid).ToList();
    }

    private static string[] Strings(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();
}
