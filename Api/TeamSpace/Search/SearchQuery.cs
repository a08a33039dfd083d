namespace Pgo.Api.TeamSpace.Search;

/// <summary>
/// A search box query in the syntax of PostgreSQL's <c>websearch_to_tsquery</c>, so both providers read it
/// alike: words (all must match), "a quoted phrase", <c>or</c> between alternatives, <c>-word</c> to exclude
/// (within its alternative, as AND binds tighter than OR there). On SQLite it becomes an FTS5 expression over
/// Dutch stems; every word is quoted, so no input can be an FTS5 syntax error.
/// One deviation: an alternative with only exclusions matches nothing here (FTS5 has no pure NOT).
/// </summary>
public sealed class SearchQuery
{
    /// <summary>One alternative: phrases that must all occur, phrases that must not.</summary>
    public sealed record Group(IReadOnlyList<string[]> Required, IReadOnlyList<string[]> Excluded);

    private SearchQuery(IReadOnlyList<Group> alternatives) => Alternatives = alternatives;

    /// <summary>OR of groups; each phrase is a sequence of stems (a single word is a phrase of one).</summary>
    public IReadOnlyList<Group> Alternatives { get; }

    /// <summary>No searchable word (empty, only stop words, only exclusions): matches nothing.</summary>
    public bool IsEmpty => Alternatives.Count == 0;

    /// <summary>The stems that count as hits in a snippet.</summary>
    public IReadOnlySet<string> PositiveStems => Alternatives.SelectMany(g => g.Required).SelectMany(p => p).ToHashSet(StringComparer.Ordinal);

    public static SearchQuery Parse(string raw)
    {
        var groups = new List<Group>();
        List<string[]> required = [], excluded = [];
        void Close()
        {
            if (required.Count > 0) groups.Add(new Group(required, excluded));
            required = [];
            excluded = [];
        }

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
                if (!negate && chunk.Equals("or", StringComparison.OrdinalIgnoreCase)) { Close(); continue; }
            }

            var stems = DutchText.Words(chunk).Select(w => DutchText.StemOf(w.Folded)).OfType<string>().ToArray();
            if (stems.Length == 0) continue;
            (negate ? excluded : required).Add(stems);
        }
        Close();
        return new SearchQuery(groups);
    }

    /// <summary>The FTS5 MATCH expression (the query must not be empty).</summary>
    public string ToFts5()
    {
        var groups = Alternatives.Select(g =>
            "(" + string.Join(" AND ", g.Required.Select(Phrase)) + string.Concat(g.Excluded.Select(p => " NOT " + Phrase(p))) + ")").ToList();
        return groups.Count == 1 ? groups[0] : "(" + string.Join(" OR ", groups) + ")";
    }

    // Stems hold letters and digits only; quoting still keeps every word a plain FTS5 string.
    private static string Phrase(string[] stems) => "\"" + string.Join(' ', stems).Replace("\"", "\"\"") + "\"";
}
