using System.Net;
using Shouldly;

namespace Pgo.Api.Tests.Files;

/// <summary>The printable handover page shows what the caller may see, HTML-encoded.</summary>
[Collection("Files")]
public sealed class HandoverTests(FilesFixture files)
{
    private const string Jesse = "strikwerda-jesse";

    [Fact]
    public async Task The_handover_shows_the_dossier_as_the_caller_may_see_it_encoded_and_printable()
    {
        FilesHost.Require();
        var host = files.Host;
        var tessa = host.As("strikwerda-tessa");
        (await tessa.RawAsync(Jesse, Upload.Pdf(), "application/pdf", "x.pdf", "<script>alert('x')</script> verslag")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var page = await tessa.GetAsync($"/api/dossiers/{Jesse}/handover");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'none'");
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("<html lang=\"nl\">");
        html.ShouldContain("Overdracht: Jesse Strikwerda");
        foreach (var heading in new[] { "Over mij", "Netwerk", "Plan", "Doelen", "Afspraken", "Logboek (recent)", "Documenten", "Agenda" })
            html.ShouldContain($"<h2>{heading}</h2>");
        html.ShouldContain("@media print");
        html.ShouldContain("Tessa heeft twee middagen per week voor zichzelf");
        html.ShouldContain("Overzicht schulden en vrijwillig bewind");
        html.ShouldNotContain("<script>");
        html.ShouldContain("&lt;script&gt;");

        // The case manager's grant denies the finances: the same page without them.
        var casemanager = await (await host.As("casemanager-dementie-bos").GetAsync($"/api/dossiers/{Jesse}/handover")).Content.ReadAsStringAsync();
        casemanager.ShouldContain("Tessa heeft twee middagen per week voor zichzelf");
        casemanager.ShouldNotContain("Overzicht schulden");
        (await host.As("vanassen-paula").GetAsync($"/api/dossiers/{Jesse}/handover")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
