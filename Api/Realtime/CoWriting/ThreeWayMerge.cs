namespace Pgo.Api.Realtime.CoWriting;

/// <summary>
/// A line-based three-way merge (diff3) of text: the version both writers started from (base), mine and theirs.
/// Where only one side changed a stretch of lines, that change is taken; where both changed the same stretch the
/// same way, once; where both changed it differently (or changed adjacent lines), it is a conflict and nothing is
/// merged. Independent of what the text belongs to (a logbook note, a plan).
/// </summary>
/// <remarks>
/// The classic algorithm (Khanna, Kunal and Pierce, "A formal investigation of diff3"): match base with each side by a
/// longest common subsequence, then walk the three texts together: lines matched in all three are stable; between
/// stable lines lies an unstable chunk, resolved as above.
/// </remarks>
public static class ThreeWayMerge
{
    /// <summary>Beyond this many line pairs (after the common start and end are taken off) no merge is tried.</summary>
    public const long MaxComparisons = 4_000_000;

    public sealed record Conflict(string Base, string Mine, string Theirs);

    /// <param name="Text">the merged text; null when there are conflicts</param>
    public sealed record Result(string? Text, IReadOnlyList<Conflict> Conflicts)
    {
        public bool Clean => Text is not null;
    }

    public static Result Merge(string @base, string mine, string theirs)
    {
        var o = Lines(@base);
        var a = Lines(mine);
        var b = Lines(theirs);
        var ma = Match(o, a);
        var mb = Match(o, b);
        if (ma is null || mb is null)
            return new Result(null, [new Conflict(@base, mine, theirs)]);

        var merged = new List<string>();
        var conflicts = new List<Conflict>();
        int lo = 0, la = 0, lb = 0;
        while (true)
        {
            // Stable: base, mine and theirs continue with the same line.
            var i = 0;
            while (lo + i < o.Length && ma[lo + i] == la + i && mb[lo + i] == lb + i) i++;
            if (i > 0)
            {
                merged.AddRange(o[lo..(lo + i)]);
                lo += i; la += i; lb += i;
                continue;
            }
            // Unstable up to the next base line matched on both sides (or the end).
            var next = lo;
            while (next < o.Length && (ma[next] < 0 || mb[next] < 0)) next++;
            var (ea, eb) = next < o.Length ? (ma[next], mb[next]) : (a.Length, b.Length);
            if (next == lo && ea == la && eb == lb) break; // the end of all three
            Resolve(o[lo..next], a[la..ea], b[lb..eb], merged, conflicts);
            lo = next; la = ea; lb = eb;
            if (lo >= o.Length && la >= a.Length && lb >= b.Length) break;
        }
        return conflicts.Count > 0 ? new Result(null, conflicts) : new Result(string.Join('\n', merged), []);
    }

    private static void Resolve(string[] o, string[] a, string[] b, List<string> merged, List<Conflict> conflicts)
    {
        if (a.SequenceEqual(o)) merged.AddRange(b);          // only theirs changed
        else if (b.SequenceEqual(o)) merged.AddRange(a);     // only mine changed
        else if (a.SequenceEqual(b)) merged.AddRange(a);     // both the same way
        else conflicts.Add(new Conflict(string.Join('\n', o), string.Join('\n', a), string.Join('\n', b)));
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n").Split('\n');

    /// <summary>For each base line, the index of the line it is matched with in <paramref name="other"/> (-1: none),
    /// by a longest common subsequence; null when the texts are too large to compare.</summary>
    internal static int[]? Match(string[] @base, string[] other)
    {
        var m = new int[@base.Length];
        Array.Fill(m, -1);
        // The common start and end need no table.
        var start = 0;
        while (start < @base.Length && start < other.Length && @base[start] == other[start]) { m[start] = start; start++; }
        var endB = @base.Length;
        var endO = other.Length;
        while (endB > start && endO > start && @base[endB - 1] == other[endO - 1]) { endB--; endO--; m[endB] = endO; }
        int n = endB - start, k = endO - start;
        if ((long)n * k > MaxComparisons) return null;
        // lcs[i, j]: length of the LCS of base[start+i..endB) and other[start+j..endO).
        var lcs = new int[n + 1, k + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = k - 1; j >= 0; j--)
                lcs[i, j] = @base[start + i] == other[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        int x = 0, y = 0;
        while (x < n && y < k)
        {
            if (@base[start + x] == other[start + y]) { m[start + x] = start + y; x++; y++; }
            else if (lcs[x + 1, y] >= lcs[x, y + 1]) x++;
            else y++;
        }
        return m;
    }
}
