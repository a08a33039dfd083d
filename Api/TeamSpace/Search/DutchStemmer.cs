using Snowball = Lucene.Net.Tartarus.Snowball.Ext;

namespace Pgo.Api.TeamSpace.Search;

/// <summary>
/// The Snowball Dutch stemmer (Martin Porter's algorithm, the one PostgreSQL's <c>dutch</c> text-search
/// configuration uses), from Lucene.Net.Analysis.Common. SQLite's FTS5 has no Dutch stemmer, so the SQLite index
/// and its queries are stemmed here; "aanvragen" and "aanvraag" both become "aanvrag" (ADR 4).
/// Input is one lower-case word (see <see cref="DutchText"/>); the result is its stem.
/// </summary>
public static class DutchStemmer
{
    // A Snowball stemmer keeps the word it works on in fields, so each thread gets its own.
    [ThreadStatic] private static Snowball.DutchStemmer? _stemmer;

    public static string Stem(string word)
    {
        if (word.Length == 0) return word;
        var stemmer = _stemmer ??= new Snowball.DutchStemmer();
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return stemmer.Current;
    }
}
