using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Profiles;

/// <summary>
/// Refuses Markdown that carries HTML or script: raw HTML blocks or inline tags (&lt;script&gt;, &lt;img onerror=…&gt;,
/// &lt;iframe&gt;) and links or images whose address is not http(s), mailto, tel or relative (javascript:, data:, vbscript:).
/// </summary>
/// <remarks>
/// Refusing at write time, rather than only sanitizing when rendering, keeps every stored note safe for any reader
/// (the Portal, an app, an export). The Portal still renders with Markdig's DisableHtml and HtmlSanitizer.
/// Parsing happens with HTML enabled, so that the parser shows us what a renderer without DisableHtml would emit.
/// </remarks>
public static class MarkdownSafety
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private static readonly string[] SafeSchemes = ["http", "https", "mailto", "tel"];

    /// <summary>What makes <paramref name="markdown"/> unsafe (a short description in the request's language, Fhir/Messages), or null when it is safe.</summary>
    public static string? Problem(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown)) return null;
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case HtmlBlock block:
                    return $"HTML ({Excerpt(block.Lines.ToString())})";
                case HtmlInline inline:
                    return $"HTML ({Excerpt(inline.Tag)})";
                case LinkInline link when UnsafeUrl(link.Url):
                    return Text.Format(link.IsImage ? FhirText.MarkdownUnsafeImage : FhirText.MarkdownUnsafeLink, Excerpt(link.Url!));
                case AutolinkInline auto when UnsafeUrl(auto.Url):
                    return Text.Format(FhirText.MarkdownUnsafeLink, Excerpt(auto.Url));
                case LinkReferenceDefinition definition when UnsafeUrl(definition.Url):
                    return Text.Format(FhirText.MarkdownUnsafeLink, Excerpt(definition.Url!));
            }
        }
        return null;
    }

    private static bool UnsafeUrl(string? url)
    {
        if (string.IsNullOrEmpty(url)) return false;
        // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
        var compact = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = compact.IndexOf(':');
        if (colon < 0) return false;
        var slash = compact.IndexOfAny(['/', '?', '#']);
        if (slash >= 0 && slash < colon) return false; // a relative path with a colon later on
        var scheme = compact[..colon];
        return !SafeSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase);
    }

    private static string Excerpt(string text)
    {
        var t = text.Trim().ReplaceLineEndings(" ");
        return t.Length <= 40 ? t : t[..40] + "…";
    }
}
