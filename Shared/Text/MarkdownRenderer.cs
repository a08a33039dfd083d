using Ganss.Xss;
using Markdig;

namespace Pgo.Shared.Text;

/// <summary>
/// Markdown to HTML that is safe to show: Markdig with raw HTML disabled, then HtmlSanitizer with a
/// narrow allow-list (only the elements Markdig writes, links and images over http(s) or mailto only,
/// no style, id or event attributes). Two layers on purpose: Markdig alone still turns
/// <c>[x](javascript:...)</c> into a link. One renderer for the platform: the Api's team space and the Portal's paspoort
/// (Over mij) both use it.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .DisableHtml()
        .Build();

    private static readonly string[] Tags =
    [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
        "pre", "code", "em", "strong", "del", "ins", "mark", "sub", "sup", "a", "img", "table", "thead", "tbody",
        "tfoot", "tr", "th", "td", "span", "div", "figure", "figcaption", "abbr", "cite", "kbd",
    ];

    private static readonly string[] Attributes = ["href", "src", "alt", "title", "class", "colspan", "rowspan", "align", "start"];

    private readonly HtmlSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        // From an empty slate: what is not listed here does not pass.
        var options = HtmlSanitizerOptions.Empty();
        foreach (var t in Tags) options.AllowedTags.Add(t);
        foreach (var a in Attributes) options.AllowedAttributes.Add(a);
        foreach (var s in (string[])["http", "https", "mailto"]) options.AllowedSchemes.Add(s);
        foreach (var u in (string[])["href", "src", "cite", "action", "background", "formaction", "poster", "longdesc", "xlink:href"]) options.UriAttributes.Add(u);
        options.AllowDataAttributes = false;
        _sanitizer = new HtmlSanitizer(options);
        _sanitizer.PostProcessNode += (_, e) =>
        {
            // Links leave the platform without telling the target where they came from.
            if (e.Node is AngleSharp.Html.Dom.IHtmlAnchorElement a) a.SetAttribute("rel", "nofollow noopener noreferrer");
        };
    }

    public string ToHtml(string markdown) => _sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>The text without Markdown syntax: what search indexes and snippets show.</summary>
    public static string ToPlainText(string markdown) => Markdown.ToPlainText(markdown, Pipeline).Trim();
}
