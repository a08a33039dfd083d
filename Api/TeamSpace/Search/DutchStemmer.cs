using System.Text;

namespace Pgo.Api.TeamSpace.Search;

/// <summary>
/// The Snowball Dutch stemmer (Martin Porter's algorithm, the one PostgreSQL's <c>dutch</c> text-search
/// configuration uses), written from the published algorithm description. SQLite's FTS5 has no Dutch
/// stemmer, so the SQLite index and its queries are stemmed here; "aanvragen" and "aanvraag" both become "aanvrag".
/// Input is one lower-case word (see <see cref="DutchText"/>); the result is its stem.
/// </summary>
public static class DutchStemmer
{
    // 'I' and 'Y' (upper case) mark an i or y that acts as a consonant; they are no vowels.
    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y' or 'è';

    public static string Stem(string word)
    {
        if (word.Length == 0) return word;
        var w = new StringBuilder(word.Length);
        foreach (var c in word) w.Append(RemoveAccent(c));

        // Prelude: initial y, y after a vowel, and i between vowels are consonants.
        if (w[0] == 'y') w[0] = 'Y';
        for (var p = 0; p + 1 < w.Length; p++)
        {
            if (!IsVowel(w[p])) continue;
            if (w[p + 1] == 'i' && p + 2 < w.Length && IsVowel(w[p + 2])) w[p + 1] = 'I';
            else if (w[p + 1] == 'y') w[p + 1] = 'Y';
        }

        var (r1, r2) = Regions(w);
        var s = new Stemming(w, r1, r2);
        s.Step1();
        s.Step2();
        s.Step3a();
        s.Step3b();
        s.Step4();

        for (var i = 0; i < w.Length; i++)
        {
            if (w[i] == 'I') w[i] = 'i';
            else if (w[i] == 'Y') w[i] = 'y';
        }
        return w.ToString();
    }

    private static char RemoveAccent(char c) => c switch
    {
        'ä' or 'á' => 'a',
        'ë' or 'é' => 'e',
        'ï' or 'í' => 'i',
        'ö' or 'ó' => 'o',
        'ü' or 'ú' => 'u',
        _ => c,
    };

    /// <summary>R1: after the first non-vowel that follows a vowel, but at least 3 letters in; R2: the same again inside R1.</summary>
    private static (int R1, int R2) Regions(StringBuilder w)
    {
        var n = w.Length;
        if (n < 3) return (n, n);
        var p1 = AfterVowelThenConsonant(w, 0);
        // R2 starts searching where R1 was found, before R1 is moved to at least 3 letters in.
        var r2 = p1 >= n ? n : AfterVowelThenConsonant(w, p1);
        return (Math.Max(p1, 3), r2);
    }

    private static int AfterVowelThenConsonant(StringBuilder w, int from)
    {
        var i = from;
        while (i < w.Length && !IsVowel(w[i])) i++;
        while (i < w.Length && IsVowel(w[i])) i++;
        return i < w.Length ? i + 1 : w.Length;
    }

    private sealed class Stemming(StringBuilder w, int r1, int r2)
    {
        private bool _eFound;

        private bool EndsWith(string suffix)
        {
            if (w.Length < suffix.Length) return false;
            for (var i = 0; i < suffix.Length; i++)
                if (w[w.Length - suffix.Length + i] != suffix[i]) return false;
            return true;
        }

        /// <summary>The character just before position <paramref name="at"/>, or '\0' at the start.</summary>
        private char Before(int at) => at > 0 ? w[at - 1] : '\0';

        private static bool NonVowel(char c) => c != '\0' && !IsVowel(c);

        private void Cut(int count) => w.Length -= count;

        private void Undouble()
        {
            if (EndsWith("kk") || EndsWith("dd") || EndsWith("tt")) Cut(1);
        }

        /// <summary>Deletes the suffix (of <paramref name="length"/>) when in R1, after a non-vowel and not after "gem"; then undoubles.</summary>
        private bool EnEnding(int length)
        {
            var start = w.Length - length;
            if (start < r1 || !NonVowel(Before(start))) return false;
            if (start >= 3 && w[start - 3] == 'g' && w[start - 2] == 'e' && w[start - 1] == 'm') return false;
            Cut(length);
            Undouble();
            return true;
        }

        private void EEnding()
        {
            _eFound = false;
            if (!EndsWith("e")) return;
            var start = w.Length - 1;
            if (start < r1 || !NonVowel(Before(start))) return;
            Cut(1);
            _eFound = true;
            Undouble();
        }

        public void Step1()
        {
            // The longest of: heden, ene, en, se, s.
            if (EndsWith("heden"))
            {
                if (w.Length - 5 >= r1) { Cut(5); w.Append("heid"); }
            }
            else if (EndsWith("ene")) EnEnding(3);
            else if (EndsWith("en")) EnEnding(2);
            else if (EndsWith("se") || EndsWith("s"))
            {
                var length = EndsWith("se") ? 2 : 1;
                var start = w.Length - length;
                var before = Before(start);
                if (start >= r1 && NonVowel(before) && before != 'j') Cut(length);
            }
        }

        public void Step2() => EEnding();

        public void Step3a()
        {
            if (!EndsWith("heid")) return;
            var start = w.Length - 4;
            if (start < r2 || Before(start) == 'c') return;
            Cut(4);
            if (EndsWith("en")) EnEnding(2);
        }

        public void Step3b()
        {
            if (EndsWith("end") || EndsWith("ing"))
            {
                if (w.Length - 3 < r2) return;
                Cut(3);
                if (EndsWith("ig") && w.Length - 2 >= r2 && Before(w.Length - 2) != 'e') Cut(2);
                else Undouble();
            }
            else if (EndsWith("ig"))
            {
                if (w.Length - 2 >= r2 && Before(w.Length - 2) != 'e') Cut(2);
            }
            else if (EndsWith("lijk"))
            {
                if (w.Length - 4 < r2) return;
                Cut(4);
                EEnding();
            }
            else if (EndsWith("baar"))
            {
                if (w.Length - 4 >= r2) Cut(4);
            }
            else if (EndsWith("bar"))
            {
                if (w.Length - 3 >= r2 && _eFound) Cut(3);
            }
        }

        /// <summary>Undouble a vowel: consonant + aa/ee/oo/uu + consonant (not I) at the end loses one vowel (maan → man).</summary>
        public void Step4()
        {
            var n = w.Length;
            if (n < 4) return;
            var last = w[n - 1];
            if (IsVowel(last) || last == 'I') return;
            var v = w[n - 2];
            if (w[n - 3] != v || v is not ('a' or 'e' or 'o' or 'u')) return;
            if (!NonVowel(w[n - 4])) return;
            w.Remove(n - 2, 1);
        }
    }
}
