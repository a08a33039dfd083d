using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.IdentityModel.Tokens;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Auth;

/// <summary>The attacks of issue 3 on the Api side: every bad token is a 401 with an OperationOutcome.</summary>
public class AuthenticationTests(AuthenticationTests.Api api) : IClassFixture<AuthenticationTests.Api>
{
    public sealed class Api : IAsyncLifetime
    {
        public ApiFactory Factory { get; } = new();
        public ValueTask InitializeAsync() => ValueTask.CompletedTask;
        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> BadTokens() => new(["other-audience", "alg-none", "unknown-key", "expired", "patient-scope-without-fhirUser",
        "user-scope-without-fhirUser", "wrong-type", "other-issuer", "garbage"]);

    [Theory, MemberData(nameof(BadTokens))]
    public async System.Threading.Tasks.Task A_bad_token_is_refused_with_401_and_an_operation_outcome(string kind)
    {
        var token = kind switch
        {
            "other-audience" => TestTokens.Create("u1", "Person/x", "user/*.cruds", "c", audience: "another-api"),
            "alg-none" => Unsigned(),
            "unknown-key" => TestTokens.Create("u1", "Person/x", "user/*.cruds", "c",
                credentials: new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256)),
            "expired" => TestTokens.Create("u1", "Person/x", "user/*.cruds", "c", expires: DateTime.UtcNow.AddHours(-1)),
            "patient-scope-without-fhirUser" => TestTokens.Create("u1", null, "patient/*.rs", "c"),
            "user-scope-without-fhirUser" => TestTokens.Create("u1", null, "user/*.cruds", "c"),
            "wrong-type" => TestTokens.Create("u1", "Person/x", "user/*.cruds", "c", type: "JWT"),
            "other-issuer" => TestTokens.Create("u1", "Person/x", "user/*.cruds", "c", issuer: "http://evil.example"),
            _ => "not-a-token",
        };
        var response = await api.Factory.ClientFor(token).GetAsync("/fhir/Patient", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Outcome()).Issue[0].Code.ShouldBe(OperationOutcome.IssueType.Login);
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Fact]
    public async System.Threading.Tasks.Task Only_a_registered_browser_app_may_call_fhir_cross_origin_and_never_the_task_api_or_with_cookies()
    {
        var anonymous = api.Factory.ClientFor(null);
        HttpRequestMessage Preflight(string url, string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, url);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
            return request;
        }
        // The demo SMART app's origin (Development): its preflight is answered, without credentials.
        var allowed = await anonymous.SendAsync(Preflight("/fhir/Goal?patient=x", "http://localhost:5400"), Ct);
        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["http://localhost:5400"]);
        allowed.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
        // Any other site gets no CORS answer, so its page cannot read anything.
        var stranger = await anonymous.SendAsync(Preflight("/fhir/Goal?patient=x", "https://evil.example"), Ct);
        stranger.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        // The task-shaped Api is for the Portal's server, not for pages elsewhere.
        var taskApi = await anonymous.SendAsync(Preflight("/api/dossiers/x/access", "http://localhost:5400"), Ct);
        taskApi.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        // A real request still needs its token: CORS adds the header, the answer stays 401.
        var read = new HttpRequestMessage(HttpMethod.Get, "/fhir/Goal");
        read.Headers.Add("Origin", "http://localhost:5400");
        var unauthorized = await anonymous.SendAsync(read, Ct);
        unauthorized.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async System.Threading.Tasks.Task Without_a_token_everything_under_fhir_is_401_but_metadata_health_and_smart_configuration_answer()
    {
        var anonymous = api.Factory.ClientFor(null);
        foreach (var url in new[] { "/fhir/Patient", "/fhir/Patient/x", "/fhir/_history", "/fhir/Patient/x/$everything", "/api/dossiers/x/access" })
        {
            var response = await anonymous.GetAsync(url, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, url);
        }
        (await anonymous.PostAsync("/fhir/Patient", Patient("Anoniem"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/fhir/metadata", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/health", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/fhir/.well-known/smart-configuration", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async System.Threading.Tasks.Task Smart_configuration_points_at_identity_with_pkce_s256()
    {
        var json = await api.Factory.ClientFor(null).GetStringAsync("/fhir/.well-known/smart-configuration", Ct);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        root.GetProperty("authorization_endpoint").GetString().ShouldBe($"{TestTokens.Issuer}/connect/authorize");
        root.GetProperty("token_endpoint").GetString().ShouldBe($"{TestTokens.Issuer}/connect/token");
        root.GetProperty("revocation_endpoint").GetString().ShouldBe($"{TestTokens.Issuer}/connect/revoke");
        root.GetProperty("introspection_endpoint").GetString().ShouldBe($"{TestTokens.Issuer}/connect/introspect");
        root.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()).ShouldBe(["S256"]);
        root.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()).ShouldContain("patient/*.rs");
        root.GetProperty("capabilities").EnumerateArray().Select(e => e.GetString()).ShouldContain("permission-v2");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_valid_person_token_without_grants_sees_no_dossier_and_no_scope_means_nothing()
    {
        var system = api.Factory.CreateClient();
        (await system.PostAsync("/fhir/Patient", Patient("Geheim"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var person = api.Factory.ClientFor(TestTokens.Person("Person/niemand"));
        (await person.CountAsync("Patient")).ShouldBe(0);
        var noScope = api.Factory.ClientFor(TestTokens.Person("Person/niemand", "openid fhirUser"));
        (await noScope.CountAsync("Patient")).ShouldBe(0);
        (await system.CountAsync("Patient")).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_system_client_with_read_scopes_reads_but_cannot_write()
    {
        var reader = api.Factory.ClientFor(TestTokens.System("system/*.rs"));
        (await reader.GetAsync("/fhir/Patient", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await reader.PostAsync("/fhir/Patient", Patient("Systeem"));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await refused.Outcome();
    }

    private static string Unsigned()
    {
        static string B64(object o) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(o)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return B64(new { alg = "none", typ = "at+jwt" }) + "." +
               B64(new { iss = TestTokens.Issuer, aud = "pgo-api", sub = "u1", fhirUser = "Person/x", scope = "user/*.cruds", iat = now, nbf = now, exp = now + 600 }) + ".";
    }
}
