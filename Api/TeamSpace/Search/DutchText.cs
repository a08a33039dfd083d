using Pgo.Fhir.Search;

namespace Pgo.Api.TeamSpace.Search;

/// <summary>
/// Words of Dutch text as the SQLite index sees them: runs of letters and digits, folded with the
/// platform's one <see cref="TextNormalizer"/> (lower case, no diacritics), Snowball stop words dropped,
/// each word stemmed with <see cref="DutchStemmer"/>. Index and query go through the same code, so
/// "aanvraag" and "aanvragen" meet as "aanvrag".
/// </summary>
public static class DutchText
{
    /// <summary>A word in the original text: where it stands and its folded (not yet stemmed) form.</summary>
    public readonly record struct Word(int Start, int Length, string Folded);

    public static IEnumerable<Word> Words(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !IsWordChar(text, i)) i++;
            var start = i;
            while (i < text.Length && IsWordChar(text, i)) i++;
            if (i > start) yield return new Word(start, i - start, TextNormalizer.Normalize(text[start..i]));
        }
    }

    private static bool IsWordChar(string text, int i)
    {
        var c = text[i];
        if (char.IsLetterOrDigit(c)) return true;
        // A combining accent belongs to the word it follows ("e" + U+0301 is still one word).
        return i > 0 && char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark;
    }

    /// <summary>The stem of a folded word, or null for a stop word.</summary>
    public static string? StemOf(string folded) => StopWords.Contains(folded) ? null : DutchStemmer.Stem(folded);

    /// <summary>The text as a space-separated run of stems: what goes into the FTS5 table.</summary>
    public static string StemmedText(string text) =>
        string.Join(' ', Words(text).Select(w => StemOf(w.Folded)).Where(s => s is not null));

    /// <summary>The Snowball Dutch stop list (the one PostgreSQL's 'dutch' configuration uses).</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(
        """
        de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem dan zou
        of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb hoe heeft hebben
        deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel meer doen toen moet ben zonder
        kan hun dus alles onder ja eens hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil
        kon niets uw iemand geweest andere
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);
}
