using System.Globalization;
using System.Text;

namespace Pgo.Fhir.Search.Indexing;

/// <summary>
/// The normalization of string and token-text index values: lower case, diacritics removed
/// (Unicode NFD, nonspacing marks dropped), cut to <see cref="MaxLength"/> characters.
/// The query side must apply the same function to search values.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Index values longer than this are cut; search compares prefixes of at most this length.</summary>
    public const int MaxLength = 512;

    public static string Truncate(string value) => value.Length <= MaxLength ? value : value[..MaxLength];

    public static string Normalize(string value)
    {
        var span = value.AsSpan(0, Math.Min(value.Length, MaxLength));

        // Fast path: plain ASCII needs only lower-casing, and often not even that.
        var ascii = true;
        var lower = true;
        foreach (var c in span)
        {
            if (c > 0x7F) { ascii = false; break; }
            if (c is >= 'A' and <= 'Z') lower = false;
        }
        if (ascii)
        {
            if (lower) return span.Length == value.Length ? value : span.ToString();
            return string.Create(span.Length, value, static (dest, src) =>
            {
                for (var i = 0; i < dest.Length; i++)
                {
                    var c = src[i];
                    dest[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                }
            });
        }

        var decomposed = span.ToString().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        var result = sb.ToString().Normalize(NormalizationForm.FormC);
        return result.Length <= MaxLength ? result : result[..MaxLength];
    }
}
