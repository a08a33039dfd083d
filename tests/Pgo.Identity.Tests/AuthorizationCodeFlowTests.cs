using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

public class AuthorizationCodeFlowTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Signed_out_person_is_sent_to_the_Dutch_sign_in_page_first()
    {
        using var browser = app.Browser();
        var response = await browser.GetAsync(Oidc.AuthorizeUrl(pkce: Oidc.Pkce.Create()));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/aanmelden");
        var page = await browser.GetStringAsync(response.Headers.Location.PathAndQuery);
        page.ShouldContain("<html lang=\"nl\">");
        page.ShouldContain("Wachtwoord");
    }

    [Fact]
    public async Task Code_flow_with_PKCE_gives_the_Portal_a_signed_access_token_for_the_Api()
    {
        using var browser = app.Browser();
        var tokens = await Oidc.PortalTokensAsync(browser, "tessa@strikwerda.example");

        // What the Api will do: validate with the published keys, the issuer and its own audience.
        var jwks = new JsonWebKeySet(await browser.GetStringAsync("/.well-known/jwks"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = "http://localhost/",
            ValidAudience = "pgo-api",
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        validation.IsValid.ShouldBeTrue(validation.Exception?.Message);

        var access = new JsonWebToken(tokens.AccessToken);
        access.Alg.ShouldBe("RS256");
        access.Audiences.ShouldBe(["pgo-api"]);
        access.Subject.ShouldNotBeNullOrEmpty();
        access.GetClaim("fhirUser").Value.ShouldBe("Person/strikwerda-tessa");
        access.GetClaim("name").Value.ShouldBe("Tessa Strikwerda");
        access.GetClaim("email").Value.ShouldBe("tessa@strikwerda.example");
        access.GetClaim("role").Value.ShouldBe("regiehouder");
        access.GetClaim("scope").Value.Split(' ').ShouldBe(Oidc.PortalScopes.Split(' '), ignoreOrder: true);
        (access.ValidTo - access.IssuedAt).ShouldBe(TimeSpan.FromMinutes(10));

        var identity = new JsonWebToken(tokens.IdToken!);
        identity.Audiences.ShouldBe(["pgo-portal"]);
        identity.GetClaim("nonce").Value.ShouldBe("nonce-456");
        identity.GetClaim("fhirUser").Value.ShouldBe("Person/strikwerda-tessa");
    }

    [Fact]
    public async Task Refresh_token_works_once_and_its_replay_is_refused_and_ends_the_whole_chain()
    {
        using var browser = app.Browser();
        var first = await Oidc.PortalTokensAsync(browser, "karin@frank.example");

        var second = await Oidc.RefreshAsync(browser, first.RefreshToken);
        second.Status.ShouldBe(HttpStatusCode.OK);
        second.RefreshToken.ShouldNotBe(first.RefreshToken);
        new JsonWebToken(second.AccessToken).GetClaim("fhirUser").Value.ShouldBe("Person/frank-karin");

        var replay = await Oidc.RefreshAsync(browser, first.RefreshToken);
        replay.Status.ShouldBe(HttpStatusCode.BadRequest);
        replay.Error.ShouldBe("invalid_grant");

        // Reuse detection: the replay revoked the chain, so the refresh token handed out meanwhile dies too.
        var afterReplay = await Oidc.RefreshAsync(browser, second.RefreshToken);
        afterReplay.Error.ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Userinfo_returns_what_the_scopes_allow()
    {
        using var browser = app.Browser();
        var tokens = await Oidc.PortalTokensAsync(browser, "ruben@frank.example", scope: "openid fhirUser");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new("Bearer", tokens.AccessToken);
        var response = await browser.Http.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var info = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        info.GetProperty("fhirUser").GetString().ShouldBe("Person/frank-ruben");
        info.TryGetProperty("email", out _).ShouldBeFalse();
        info.TryGetProperty("name", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task End_session_with_the_id_token_signs_out_and_returns_to_the_Portal()
    {
        using var browser = app.Browser();
        var tokens = await Oidc.PortalTokensAsync(browser, "luc@vanassen.example");

        var response = await browser.GetAsync(
            $"/connect/endsession?id_token_hint={tokens.IdToken}&post_logout_redirect_uri={Uri.EscapeDataString(Oidc.PortalLogoutRedirect)}&state=bye");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.GetLeftPart(UriPartial.Path).ShouldBe(Oidc.PortalLogoutRedirect);
        var again = await browser.GetAsync(Oidc.AuthorizeUrl(pkce: Oidc.Pkce.Create()));
        again.Headers.Location!.AbsolutePath.ShouldBe("/aanmelden");
    }
}
