namespace Pgo.Api.TeamSpace.Articles;

/// <summary>One line of a diff: ' ' kept, '-' removed, '+' added, with its line number in the old and/or new text.</summary>
public sealed record DiffLine(char Op, int? OldLine, int? NewLine, string Text);

/// <summary>
/// A line diff by longest common subsequence: common head and tail are taken off first, the middle is
/// compared with the classic dynamic programme. Above <see cref="MaxCells"/> comparisons the middle is shown
/// as removed and added as a whole (still correct, only less fine-grained).
/// </summary>
public static class LineDiff
{
    public const long MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compute(string oldText, string newText)
    {
        var a = Lines(oldText);
        var b = Lines(newText);
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head]) head++;
        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[a.Length - 1 - tail] == b[b.Length - 1 - tail]) tail++;

        var result = new List<DiffLine>();
        for (var i = 0; i < head; i++) result.Add(new(' ', i + 1, i + 1, a[i]));
        Middle(a, b, head, a.Length - tail, head, b.Length - tail, result);
        for (var k = tail; k > 0; k--) result.Add(new(' ', a.Length - k + 1, b.Length - k + 1, a[a.Length - k]));
        return result;
    }

    private static void Middle(string[] a, string[] b, int a0, int a1, int b0, int b1, List<DiffLine> result)
    {
        int n = a1 - a0, m = b1 - b0;
        if ((long)n * m > MaxCells || n == 0 || m == 0)
        {
            for (var i = a0; i < a1; i++) result.Add(new('-', i + 1, null, a[i]));
            for (var j = b0; j < b1; j++) result.Add(new('+', null, j + 1, b[j]));
            return;
        }
        // lcs[i, j]: length of the longest common subsequence of a[a0+i..] and b[b0+j..].
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                lcs[i, j] = a[a0 + i] == b[b0 + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[a0 + x] == b[b0 + y]) { result.Add(new(' ', a0 + x + 1, b0 + y + 1, a[a0 + x])); x++; y++; }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1])) { result.Add(new('-', a0 + x + 1, null, a[a0 + x])); x++; }
            else { result.Add(new('+', null, b0 + y + 1, b[b0 + y])); y++; }
        }
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
