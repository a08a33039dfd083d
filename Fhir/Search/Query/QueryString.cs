using System.Globalization;
using System.Text;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Search.Query;

/// <summary>Query-string reading and writing, and the FHIR search value escapes (<c>\,</c> <c>\|</c> <c>\$</c> <c>\\</c>).</summary>
public static class QueryString
{
    /// <summary>
    /// Splits a URL query string (or an application/x-www-form-urlencoded body) into decoded pairs,
    /// in order; '+' is a space. A leading '?' is skipped.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? query)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(query)) return result;
        foreach (var part in query.TrimStart('?').Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            result.Add(new(Decode(key), Decode(value)));
        }
        return result;
    }

    private static string Decode(string s)
    {
        try
        {
            return Uri.UnescapeDataString(s.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            throw FhirException.BadRequest(Text.Format(FhirText.SearchMalformedQuery, s));
        }
    }

    /// <summary>Percent-encodes a key or value; leaves unreserved characters and <c>: , / *</c> readable.</summary>
    public static string Encode(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~' or ':' or ',' or '/' or '*')
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Splits a search value on <paramref name="separator"/> where it is not escaped with '\'. Parts keep their escapes.</summary>
    public static List<string> SplitUnescaped(string value, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\') { i++; continue; }
            if (value[i] == separator)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }
        parts.Add(value[start..]);
        return parts;
    }

    /// <summary>Removes the FHIR search escapes: <c>\,</c> → ',', <c>\|</c> → '|', <c>\$</c> → '$', <c>\\</c> → '\'.</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is ',' or '|' or '$' or '\\')
            {
                sb.Append(value[i + 1]);
                i++;
            }
            else sb.Append(value[i]);
        }
        return sb.ToString();
    }

    internal static string Render(SearchRequest request, int offset, int count)
    {
        var pairs = new List<KeyValuePair<string, string>>();

        foreach (var c in request.Criteria
                     .OrderBy(c => c.Key, StringComparer.Ordinal)
                     .ThenBy(c => c.RawValue, StringComparer.Ordinal))
            pairs.Add(new(c.Key, c.RawValue));

        if (request.TypeGiven)
            pairs.Add(new("_type", string.Join(',', request.Types)));

        if (request.Sort.Count > 0)
            pairs.Add(new("_sort", string.Join(',', request.Sort.Select(s => (s.Descending ? "-" : "") + s.Name))));

        foreach (var (key, specs) in new[] { ("_include", request.Includes), ("_revinclude", request.RevIncludes) })
        {
            foreach (var spec in specs
                         .Select(s => (Key: s.Iterate ? key + ":iterate" : key, Value: s.ToString()))
                         .OrderBy(s => s.Key, StringComparer.Ordinal)
                         .ThenBy(s => s.Value, StringComparer.Ordinal))
                pairs.Add(new(spec.Key, spec.Value));
        }

        if (request.Summary is { } summary)
            pairs.Add(new("_summary", summary.ToString().ToLowerInvariant()));
        if (request.Elements.Count > 0)
            pairs.Add(new("_elements", string.Join(',', request.Elements)));
        if (request.Total is { } total)
            pairs.Add(new("_total", total.ToString().ToLowerInvariant()));

        pairs.Add(new("_count", count.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("_offset", offset.ToString(CultureInfo.InvariantCulture)));

        return string.Join('&', pairs.Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
    }
}
