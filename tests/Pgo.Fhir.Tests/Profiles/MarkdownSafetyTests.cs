using Pgo.Fhir.Profiles;

namespace Pgo.Fhir.Tests.Profiles;

public sealed class MarkdownSafetyTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("tekst <script>alert(1)</script> tekst")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("Hallo <span onmouseover=\"alert(1)\">daar</span>")]
    [InlineData("<iframe src=\"https://example.org\"></iframe>")]
    [InlineData("[klik](javascript:alert(1))")]
    [InlineData("[klik](JAVASCRIPT:alert(1))")]
    [InlineData("[klik](javascript&#58;alert(1))")]
    [InlineData("[klik](<java\tscript:alert(1)>)")]
    [InlineData("[klik][1]\n\n[1]: vbscript:msgbox(1)")]
    [InlineData("![foto](data:image/svg+xml;base64,PHN2Zz4=)")]
    [InlineData("<javascript:alert(1)>")]
    public void Script_and_html_are_found(string markdown) => MarkdownSafety.Problem(markdown).ShouldNotBeNull();

    [Theory]
    [InlineData("")]
    [InlineData("Gewone tekst met **vet** en *schuin*.")]
    [InlineData("Zie [de gemeente](https://www.leeuwarden.nl/wmo) of mail <wmo@example.nl>.")]
    [InlineData("Bel [de huisarts](tel:+31581234567).")]
    [InlineData("Een pad: [plan](plan/2026:voorjaar) en 3 < 4 > 2.")]
    [InlineData("`<script>` in code is tekst, geen HTML.")]
    [InlineData("- lijst\n- met [link](#anker)")]
    public void Ordinary_notes_pass(string markdown) => MarkdownSafety.Problem(markdown).ShouldBeNull();
}
