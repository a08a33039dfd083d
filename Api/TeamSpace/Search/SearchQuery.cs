using System.Text;

namespace Pgo.Api.TeamSpace.Search;

/// <summary>
/// A search box query in the syntax of PostgreSQL's <c>websearch_to_tsquery</c>, so both providers read it
/// alike: words (all must match), "a quoted phrase", <c>or</c> between alternatives, <c>-word</c> to exclude.
/// On SQLite it becomes an FTS5 expression over Dutch stems; every word is quoted, so no input can be an
/// FTS5 syntax error.
/// </summary>
public sealed class SearchQuery
{
    private SearchQuery(List<List<string[]>> alternatives, List<string[]> excluded)
    {
        Alternatives = alternatives;
        Excluded = excluded;
    }

    /// <summary>OR of AND-groups; each item is a phrase of stems (a single word is a phrase of one).</summary>
    public IReadOnlyList<List<string[]>> Alternatives { get; }

    public IReadOnlyList<string[]> Excluded { get; }

    /// <summary>No searchable word (empty, or only stop words): matches nothing.</summary>
    public bool IsEmpty => Alternatives.Count == 0;

    /// <summary>The stems that count as hits in a snippet.</summary>
    public IReadOnlySet<string> PositiveStems => Alternatives.SelectMany(g => g).SelectMany(p => p).ToHashSet(StringComparer.Ordinal);

    public static SearchQuery Parse(string raw)
    {
        var alternatives = new List<List<string[]>>();
        var excluded = new List<string[]>();
        var current = new List<string[]>();
        var i = 0;
        while (i < raw.Length)
        {
            if (char.IsWhiteSpace(raw[i])) { i++; continue; }
            var negate = false;
            if (raw[i] == '-' && i + 1 < raw.Length && !char.IsWhiteSpace(raw[i + 1])) { negate = true; i++; }

            string chunk;
            if (raw[i] == '"')
            {
                var end = raw.IndexOf('"', i + 1);
                if (end < 0) end = raw.Length;
                chunk = raw[(i + 1)..end];
                i = Math.Min(end + 1, raw.Length);
            }
            else
            {
                var start = i;
                while (i < raw.Length && !char.IsWhiteSpace(raw[i]) && raw[i] != '"') i++;
                chunk = raw[start..i];
                if (!negate && chunk.Equals("or", StringComparison.OrdinalIgnoreCase))
                {
                    if (current.Count > 0) { alternatives.Add(current); current = []; }
                    continue;
                }
            }

            var stems = DutchText.Words(chunk).Select(w => DutchText.StemOf(w.Folded)).OfType<string>().ToArray();
            if (stems.Length == 0) continue;
            if (negate) excluded.Add(stems);
            else current.Add(stems);
        }
        if (current.Count > 0) alternatives.Add(current);
        return new SearchQuery(alternatives, excluded);
    }

    /// <summary>The FTS5 MATCH expression (the query must not be empty).</summary>
    public string ToFts5()
    {
        var sb = new StringBuilder();
        if (Alternatives.Count > 1) sb.Append('(');
        sb.AppendJoin(" OR ", Alternatives.Select(group => "(" + string.Join(" AND ", group.Select(Phrase)) + ")"));
        if (Alternatives.Count > 1) sb.Append(')');
        foreach (var phrase in Excluded) sb.Append(" NOT ").Append(Phrase(phrase));
        return sb.ToString();
    }

    // Stems hold letters and digits only; quoting still keeps every word a plain FTS5 string.
    private static string Phrase(string[] stems) => "\"" + string.Join(' ', stems).Replace("\"", "\"\"") + "\"";
}
