using System.Net;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>A third-party app (pgo-demo-app, explicit consent) must be allowed by the person, who sees which app and which data.</summary>
public class ConsentTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private const string Scopes = "openid fhirUser patient/Goal.rs";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Consent_screen_names_the_app_and_the_data_in_plain_Dutch()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("gulan@bilic.example");

        var response = await browser.GetAsync(DemoAppAuthorizeUrl(Oidc.Pkce.Create()));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        page.ShouldContain("Mag Voorbeeld-app van een andere partij bij uw gegevens?");
        page.ShouldContain("Doelen: lezen en zoeken, in het dossier van de cliënt");
        page.ShouldContain("Wie u bent in het dossier");
        page.ShouldContain("Ja, toestaan");
        page.ShouldContain("Nee, weigeren");
    }

    [Fact]
    public async Task Refusing_consent_tells_the_app_access_denied_and_gives_it_nothing()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("loes@sterk.example");
        var url = DemoAppAuthorizeUrl(Oidc.Pkce.Create());
        var page = await browser.GetStringAsync(url);

        var response = await browser.PostAsync("/connect/authorize", page, [.. Browser.HiddenFields(page), new("decision", "refuse")]);

        var parameters = Oidc.RedirectParameters(response);
        response.Headers.Location!.GetLeftPart(UriPartial.Path).ShouldBe(Oidc.DemoAppRedirect);
        parameters["error"].ShouldBe("access_denied");
        parameters.ShouldNotContainKey("code");
    }

    [Fact]
    public async Task Approved_consent_gives_a_code_and_is_remembered_for_the_next_time()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("ilona@dewit.example");
        var pkce = Oidc.Pkce.Create();
        var page = await browser.GetStringAsync(DemoAppAuthorizeUrl(pkce));

        var approved = await browser.PostAsync("/connect/authorize", page, [.. Browser.HiddenFields(page), new("decision", "approve")]);
        var code = Oidc.RedirectParameters(approved)["code"];
        var tokens = await Oidc.RedeemAsync(browser, code, pkce.Verifier, Oidc.DemoApp, secret: null, Oidc.DemoAppRedirect);
        tokens.Status.ShouldBe(HttpStatusCode.OK);
        tokens.Scope!.Split(' ').ShouldBe(Scopes.Split(' '), ignoreOrder: true);

        var again = await browser.GetAsync(DemoAppAuthorizeUrl(Oidc.Pkce.Create()));
        Oidc.RedirectParameters(again).ShouldContainKey("code");
    }

    [Fact]
    public async Task Consent_form_posted_without_its_antiforgery_token_is_refused()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("karin@frank.example");
        var page = await browser.GetStringAsync(DemoAppAuthorizeUrl(Oidc.Pkce.Create()));

        var forged = await browser.Http.PostAsync("/connect/authorize",
            new FormUrlEncodedContent([.. Browser.HiddenFields(page), new("decision", "approve")]), Cancel);

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        forged.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task Without_consent_prompt_none_is_answered_with_consent_required()
    {
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync("ruben@frank.example");

        var response = await browser.GetAsync(Oidc.AuthorizeUrl(Oidc.DemoApp, Oidc.DemoAppRedirect, Scopes, Oidc.Pkce.Create(), prompt: "none"));

        Oidc.RedirectParameters(response)["error"].ShouldBe("consent_required");
    }

    private static string DemoAppAuthorizeUrl(Oidc.Pkce pkce) => Oidc.AuthorizeUrl(Oidc.DemoApp, Oidc.DemoAppRedirect, Scopes, pkce);
}
