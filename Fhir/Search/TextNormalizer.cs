using System.Globalization;
using System.Text;

namespace Pgo.Fhir.Search;

/// <summary>
/// The one normalization for string search: applied by the indexer to the stored
/// <c>idx_string.norm</c> / <c>idx_token.text</c> values and by the query parser to the search value,
/// so both sides always agree. Never normalize search text any other way.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Index values longer than this are cut; search values too, so prefixes still compare.</summary>
    public const int MaxLength = 512;

    public static string Truncate(string value) => value.Length <= MaxLength ? value : value[..MaxLength];

    /// <summary>
    /// Lower case (invariant), diacritics removed, compatibility forms folded:
    /// "Müller" → "muller", "Çelik" → "celik", "Zoë" → "zoe", "ĳssel" → "ijssel", "Straße" → "strasse".
    /// Whitespace and punctuation are kept as written (no trimming, no collapsing).
    /// </summary>
    public static string Normalize(string value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        value = Truncate(value);

        // Fast path: plain ASCII only needs lower-casing.
        var ascii = true;
        foreach (var ch in value)
        {
            if (ch > 0x7F) { ascii = false; break; }
        }
        if (ascii) return value.ToLowerInvariant();

        // FormKD splits letters from their accents (é → e + ́) and folds compatibility
        // characters (ligatures such as the Dutch ĳ, full-width letters) into plain ones.
        var decomposed = value.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(ch))
            {
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.SpacingCombiningMark:
                case UnicodeCategory.EnclosingMark:
                    continue;
            }

            // Letters that carry their "accent" in the base character and so do not decompose.
            switch (ch)
            {
                case 'ß' or 'ẞ': sb.Append("ss"); break;
                case 'æ' or 'Æ': sb.Append("ae"); break;
                case 'œ' or 'Œ': sb.Append("oe"); break;
                case 'ø' or 'Ø': sb.Append('o'); break;
                case 'đ' or 'Đ': sb.Append('d'); break;
                case 'ł' or 'Ł': sb.Append('l'); break;
                case 'ı': sb.Append('i'); break;
                case 'þ' or 'Þ': sb.Append("th"); break;
                default: sb.Append(char.ToLowerInvariant(ch)); break;
            }
        }
        return Truncate(sb.ToString().Normalize(NormalizationForm.FormC));
    }
}
