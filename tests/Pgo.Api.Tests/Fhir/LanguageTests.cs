using System.Net;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Fhir;

/// <summary>The Api answers in the caller's language (Accept-Language: nl or en), Dutch when none or another is asked.</summary>
public class LanguageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Diagnostics, string? ContentLanguage)> PutWithDifferentIdAsync(string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/fhir/Patient/abc") { Content = Body(Patient("X", id: "xyz")) };
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var response = await fixture.Client.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        return ((await response.Outcome()).Issue[0].Diagnostics, response.Content.Headers.ContentLanguage.SingleOrDefault());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nl")]
    [InlineData("nl-NL,nl;q=0.9,en;q=0.8")]
    [InlineData("de-DE")]
    public async Task Without_English_in_Accept_Language_a_FHIR_diagnostic_is_Dutch(string? acceptLanguage)
    {
        var (diagnostics, language) = await PutWithDifferentIdAsync(acceptLanguage);
        language.ShouldBe("nl");
        diagnostics.ShouldBe("De id in de body (xyz) verschilt van de id in de URL (abc).");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("en-GB")]
    [InlineData("en-US,en;q=0.9,nl;q=0.5")]
    public async Task With_English_in_Accept_Language_the_same_FHIR_diagnostic_is_English(string acceptLanguage)
    {
        var (diagnostics, language) = await PutWithDifferentIdAsync(acceptLanguage);
        language.ShouldBe("en");
        diagnostics.ShouldBe("The id in the body (xyz) differs from the id in the URL (abc).");
    }

    [Fact]
    public async Task A_search_parser_error_follows_the_language_too()
    {
        async Task<string> Search(string language)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Patient?_count=veel");
            request.Headers.TryAddWithoutValidation("Accept-Language", language);
            var response = await fixture.Client.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            return (await response.Outcome()).Issue[0].Diagnostics;
        }
        (await Search("nl")).ShouldContain("geheel getal");
        (await Search("en")).ShouldContain("whole number");
    }

    [Fact]
    public async Task An_api_refusal_from_the_FHIR_engine_follows_the_language_too()
    {
        // a system client may not start a dossier: DossierOperations.StartDossierRefusal, shown as the problem's detail
        async Task<string> Start(string? language)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dossiers")
            {
                Content = new StringContent("""{"given":"Anna","family":"Jansen","relationship":"zelf"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            if (language is not null) request.Headers.TryAddWithoutValidation("Accept-Language", language);
            var response = await fixture.Client.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            return problem.RootElement.GetProperty("detail").GetString()!;
        }
        (await Start(null)).ShouldStartWith("Een dossier wordt gestart door een aangemelde persoon");
        (await Start("en")).ShouldStartWith("A dossier is started by a signed-in person");
    }
}
