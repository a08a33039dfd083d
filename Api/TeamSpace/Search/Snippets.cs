using System.Net;
using System.Text;

namespace Pgo.Api.TeamSpace.Search;

/// <summary>
/// Highlighted snippets in the original words. Text is marked with two control characters, HTML-encoded
/// as a whole, and only then are the marks turned into &lt;mark&gt; elements: whatever the text holds, the
/// only markup in a snippet is &lt;mark&gt;.
/// </summary>
public static class Snippets
{
    public const char Open = '\u0002';
    public const char Close = '\u0003';
    private const string Ellipsis = "…";

    /// <summary>Marked text (from here or from PostgreSQL's ts_headline) to safe HTML.</summary>
    public static string ToHtml(string marked) =>
        WebUtility.HtmlEncode(marked).Replace(Open.ToString(), "<mark>").Replace(Close.ToString(), "</mark>");

    /// <summary>Removes the mark characters from stored text so that only the snippet code places them.</summary>
    public static string StripMarks(string text) =>
        text.IndexOfAny([Open, Close]) < 0 ? text : text.Replace(Open.ToString(), "").Replace(Close.ToString(), "");

    /// <summary>
    /// The window of about <paramref name="maxWords"/> words holding the most distinct hits (words whose
    /// stem is in <paramref name="stems"/>), each hit marked; the start of the text when nothing hits.
    /// </summary>
    public static string Build(string text, IReadOnlySet<string> stems, int maxWords = 30)
    {
        var words = DutchText.Words(text).ToList();
        if (words.Count == 0) return "";
        var hit = words.Select(w => DutchText.StemOf(w.Folded) is { } s && stems.Contains(s)).ToArray();

        // Best window: the most hits, earliest on a tie.
        int bestStart = 0, bestHits = -1, hits = 0;
        for (var i = 0; i < words.Count; i++)
        {
            if (hit[i]) hits++;
            if (i >= maxWords && hit[i - maxWords]) hits--;
            var start = Math.Max(0, i - maxWords + 1);
            if (hits > bestHits) { bestHits = hits; bestStart = start; }
        }
        // Start a little before the first hit in the window, so the hit is not the first word.
        var firstHit = Array.FindIndex(hit, bestStart, h => h);
        if (firstHit > bestStart + 3) bestStart = Math.Max(0, firstHit - 3);
        var end = Math.Min(words.Count, bestStart + maxWords);

        var sb = new StringBuilder();
        if (bestStart > 0) sb.Append(Ellipsis).Append(' ');
        var from = bestStart == 0 ? 0 : words[bestStart].Start;
        for (var i = bestStart; i < end; i++)
        {
            var w = words[i];
            sb.Append(text, from, w.Start - from);
            if (hit[i]) sb.Append(Open).Append(text, w.Start, w.Length).Append(Close);
            else sb.Append(text, w.Start, w.Length);
            from = w.Start + w.Length;
        }
        if (end < words.Count) sb.Append(' ').Append(Ellipsis);
        else sb.Append(text, from, text.Length - from);
        return Collapse(sb.ToString());
    }

    private static string Collapse(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}
