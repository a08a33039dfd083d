using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Pgo.Shared.Text;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>
/// Markdown from any member is rendered for everyone: whatever is written, the HTML that comes out holds nothing
/// that runs. Each vector is rendered, parsed as a browser would (AngleSharp) and searched for executable content.
/// </summary>
public class MarkdownSafetyTests
{
    private static readonly MarkdownRenderer Renderer = new();

    public static readonly TheoryData<string> Vectors =
    [
        // Raw HTML (DisableHtml keeps it as text; the sanitizer is the second wall).
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"x\" onerror=\"alert(1)\"/>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">klik</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<body onload=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
        "<form action=\"javascript:alert(1)\"><input type=submit></form>",
        "<button formaction=\"javascript:alert(1)\">x</button>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<link rel=stylesheet href=\"javascript:alert(1)\">",
        "<style>@import 'javascript:alert(1)';</style>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<div style=\"width: expression(alert(1))\">x</div>",
        "<p style=\"behavior:url(x.htc)\">x</p>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=alert(1)></video>",
        "<marquee onstart=alert(1)>x</marquee>",
        "<isindex action=javascript:alert(1) type=image>",
        "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        // Markdown links and images.
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](  javascript:alert(1)  )",
        "[x](javascript&#58;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&colon;alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](data:text/html,<script>alert(1)</script>)",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x\" onerror=\"alert(1)](https://example.org/x.png)",
        "[x](https://example.org \"title\" onclick=\"alert(1)\")",
        "[x](https://example.org\" onmouseover=\"alert(1))",
        // Autolinks and reference-style links.
        "<javascript:alert(1)>",
        "<vbscript:msgbox(1)>",
        "<data:text/html,<script>alert(1)</script>>",
        "[klik hier][1]\n\n[1]: javascript:alert(1)",
        "[klik hier][a]\n\n[a]: vbscript:msgbox(1) \"titel\"",
        "![plaatje][p]\n\n[p]: data:image/svg+xml,<svg onload=alert(1)>",
        // Nested tricks, code spans, unicode.
        "[<img src=x onerror=alert(1)>](https://example.org)",
        "[![x](javascript:alert(1))](javascript:alert(2))",
        "`<img src=x onerror=alert(1)>`",
        "```html\n<script>alert(1)</script>\n```",
        "    <script>alert(1)</script>",
        "> <img src=x onerror=alert(1)>",
        "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
        "* [ ] <img src=x onerror=alert(1)>",
        "[x](\u006A\u0061vascript:alert(1))",
        "[x](ｊａｖａｓｃｒｉｐｔ:alert(1))",
        "[x](java\u0000script:alert(1))",
        "[x](\u202Ejavascript:alert(1))",
        "<a href=\"\u2028javascript:alert(1)\">x</a>",
        "[x](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
        "<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>",
        "*<img src=x onerror=alert(1)>*",
        "[x](https://example.org)<script>alert(1)</script>",
        "{onclick=alert(1)}\n# Kop {onclick=alert(1)}",
        "# Kop {#x onclick=\"alert(1)\" style=\"color:red\"}",
        "[x](https://example.org){onclick=\"alert(1)\"}",
        "![x](https://example.org/x.png){onerror=\"alert(1)\"}",
    ];

    private static readonly string[] ForbiddenElements =
        ["script", "iframe", "object", "embed", "form", "meta", "base", "style", "link", "svg", "math", "input", "button", "frame", "frameset", "applet", "noscript", "template", "textarea", "select", "video", "audio", "source"];

    private static readonly string[] UrlAttributes = ["href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background", "data", "cite", "longdesc"];

    [Fact]
    public void The_corpus_holds_at_least_fifty_vectors() => Vectors.Count.ShouldBeGreaterThanOrEqualTo(50);

    [Theory, MemberData(nameof(Vectors))]
    public void No_vector_renders_to_executable_content(string markdown)
    {
        var html = Renderer.ToHtml(markdown);
        var document = new HtmlParser().ParseDocument($"<!DOCTYPE html><html><body>{html}</body></html>");
        var problems = new List<string>();
        foreach (var element in document.Body!.Descendants<IElement>())
        {
            var name = element.LocalName.ToLowerInvariant();
            if (ForbiddenElements.Contains(name)) problems.Add($"<{name}>");
            foreach (var attribute in element.Attributes)
            {
                var attr = attribute.Name.ToLowerInvariant();
                if (attr.StartsWith("on", StringComparison.Ordinal)) problems.Add($"{name}[{attr}]");
                if (attr is "style" or "srcdoc" or "formaction" or "id" or "name") problems.Add($"{name}[{attr}]");
                if (UrlAttributes.Contains(attr) && !IsSafeUrl(attribute.Value)) problems.Add($"{name}[{attr}={attribute.Value}]");
            }
        }
        problems.ShouldBeEmpty($"Markdown: {markdown}\nHTML: {html}");
    }

    /// <summary>What a browser would make of the URL: control characters and whitespace dropped, case folded; only http(s), mailto and relative URLs pass.</summary>
    private static bool IsSafeUrl(string value)
    {
        var folded = new string(value.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c) && c is not ('\u200B' or '\u202E' or '\u2028' or '\u2029')).ToArray()).ToLowerInvariant();
        var colon = folded.IndexOf(':');
        var slash = folded.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon)) return true; // relative
        var scheme = folded[..colon];
        return scheme is "http" or "https" or "mailto";
    }

    [Fact]
    public void Ordinary_Markdown_still_renders()
    {
        var html = Renderer.ToHtml("""
            # Meerzorg

            Een **vet** woord, een *schuin* woord en een [link](https://www.rijksoverheid.nl/meerzorg).

            | stap | wie |
            |------|-----|
            | zorgdagboek | gezin |

            - een
            - twee

            `code` en ~~doorgestreept~~.
            """);
        var document = new HtmlParser().ParseDocument(html);
        document.QuerySelector("h1")!.TextContent.ShouldBe("Meerzorg");
        document.QuerySelector("strong")!.TextContent.ShouldBe("vet");
        var link = document.QuerySelector("a")!;
        link.GetAttribute("href").ShouldBe("https://www.rijksoverheid.nl/meerzorg");
        link.GetAttribute("rel").ShouldBe("nofollow noopener noreferrer");
        document.QuerySelectorAll("td").Length.ShouldBe(2);
        document.QuerySelectorAll("li").Length.ShouldBe(2);
        document.QuerySelector("del")!.TextContent.ShouldBe("doorgestreept");
    }

    [Fact]
    public void A_script_written_in_a_post_stays_visible_as_text()
    {
        var html = Renderer.ToHtml("Pas op voor <script>alert(1)</script> in berichten.");
        new HtmlParser().ParseDocument(html).Body!.TextContent.ShouldContain("<script>alert(1)</script>");
    }
}
