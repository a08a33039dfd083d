using Pgo.Api.Realtime.CoWriting;

namespace Pgo.Api.Tests.Realtime;

/// <summary>The line-based three-way merge behind co-writing: it merges what does not overlap and refuses what does.</summary>
public class ThreeWayMergeTests
{
    private static string T(params string[] lines) => string.Join('\n', lines);

    [Fact]
    public void Edits_to_different_lines_are_both_kept()
    {
        var result = ThreeWayMerge.Merge(T("a", "b", "c", "d", "e"), T("a", "B", "c", "d", "e"), T("a", "b", "c", "D", "e"));
        result.Text.ShouldBe(T("a", "B", "c", "D", "e"));
        result.Conflicts.ShouldBeEmpty();
    }

    [Fact]
    public void Insertions_and_deletions_on_each_side_merge()
    {
        var result = ThreeWayMerge.Merge(T("# Notitie", "een", "twee", "drie", "vier"),
            T("# Notitie", "nieuw bovenaan", "een", "twee", "drie", "vier"),
            T("# Notitie", "een", "twee", "drie"));
        result.Text.ShouldBe(T("# Notitie", "nieuw bovenaan", "een", "twee", "drie"));
    }

    [Fact]
    public void Only_one_side_changed_gives_that_side()
    {
        ThreeWayMerge.Merge(T("a", "b"), T("a", "b"), T("x", "b", "c")).Text.ShouldBe(T("x", "b", "c"));
        ThreeWayMerge.Merge(T("a", "b"), T("x", "b", "c"), T("a", "b")).Text.ShouldBe(T("x", "b", "c"));
    }

    [Fact]
    public void The_same_edit_on_both_sides_appears_once()
    {
        ThreeWayMerge.Merge(T("a", "b", "c"), T("a", "X", "c"), T("a", "X", "c")).Text.ShouldBe(T("a", "X", "c"));
    }

    [Fact]
    public void Different_edits_of_the_same_line_are_a_conflict_with_both_versions()
    {
        var result = ThreeWayMerge.Merge(T("a", "b", "c"), T("a", "mijn b", "c"), T("a", "hun b", "c"));
        result.Clean.ShouldBeFalse();
        result.Text.ShouldBeNull();
        result.Conflicts.ShouldHaveSingleItem().ShouldBe(new ThreeWayMerge.Conflict("b", "mijn b", "hun b"));
    }

    [Fact]
    public void Edits_of_adjacent_lines_are_a_conflict_like_in_diff3()
    {
        ThreeWayMerge.Merge(T("a", "b", "c", "d"), T("a", "B", "c", "d"), T("a", "b", "C", "d")).Clean.ShouldBeFalse();
    }

    [Fact]
    public void Different_insertions_at_the_same_place_are_a_conflict()
    {
        var result = ThreeWayMerge.Merge(T("a", "b"), T("a", "mijn", "b"), T("a", "hun", "b"));
        result.Conflicts.ShouldHaveSingleItem().ShouldBe(new ThreeWayMerge.Conflict("", "mijn", "hun"));
    }

    [Fact]
    public void Appends_at_the_end_by_both_sides_conflict_but_an_append_and_an_edit_merge()
    {
        ThreeWayMerge.Merge(T("a", "b"), T("a", "b", "mijn"), T("a", "b", "hun")).Clean.ShouldBeFalse();
        ThreeWayMerge.Merge(T("a", "b", "c"), T("A", "b", "c"), T("a", "b", "c", "hun")).Text.ShouldBe(T("A", "b", "c", "hun"));
    }

    [Fact]
    public void Windows_line_ends_are_read_as_lines_and_empty_texts_work()
    {
        ThreeWayMerge.Merge("a\r\nb\r\nc", "A\r\nb\r\nc", "a\nb\nC").Text.ShouldBe(T("A", "b", "C"));
        ThreeWayMerge.Merge("", "", "nieuw").Text.ShouldBe("nieuw");
        ThreeWayMerge.Merge("", "", "").Text.ShouldBe("");
    }

    [Fact]
    public void Markdown_paragraphs_edited_far_apart_merge()
    {
        var @base = T("# Overleg", "", "Jesse slaapt slecht.", "", "## Afspraken", "- Ricardo belt de huisarts", "- Tessa plant de dagbesteding");
        var mine = T("# Overleg", "", "Jesse slaapt slecht sinds de verhuizing.", "", "## Afspraken", "- Ricardo belt de huisarts", "- Tessa plant de dagbesteding");
        var theirs = T("# Overleg", "", "Jesse slaapt slecht.", "", "## Afspraken", "- Ricardo belt de huisarts", "- Tessa plant de dagbesteding", "- Elise zoekt een logeeradres");
        ThreeWayMerge.Merge(@base, mine, theirs).Text.ShouldBe(T("# Overleg", "", "Jesse slaapt slecht sinds de verhuizing.", "", "## Afspraken",
            "- Ricardo belt de huisarts", "- Tessa plant de dagbesteding", "- Elise zoekt een logeeradres"));
    }

    [Fact]
    public void A_merge_of_random_edits_to_separate_lines_keeps_every_edit()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var lines = Enumerable.Range(0, 30).Select(i => $"regel {i}").ToArray();
            var mine = (string[])lines.Clone();
            var theirs = (string[])lines.Clone();
            // Lines 0, 4, 8, ... may change on one side, lines 2, 6, 10, ... on the other: never adjacent.
            var mineLines = Enumerable.Range(0, 30).Where(i => i % 4 == 0 && random.Next(2) == 0).ToList();
            var theirLines = Enumerable.Range(0, 30).Where(i => i % 4 == 2 && random.Next(2) == 0).ToList();
            foreach (var i in mineLines) mine[i] = $"mijn {i}";
            foreach (var i in theirLines) theirs[i] = $"hun {i}";
            var merged = ThreeWayMerge.Merge(string.Join('\n', lines), string.Join('\n', mine), string.Join('\n', theirs)).Text!.Split('\n');
            merged.Length.ShouldBe(30);
            for (var i = 0; i < 30; i++)
                merged[i].ShouldBe(mineLines.Contains(i) ? $"mijn {i}" : theirLines.Contains(i) ? $"hun {i}" : $"regel {i}");
        }
    }

    [Fact]
    public void Texts_too_large_to_compare_are_a_conflict_not_a_guess()
    {
        var big = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"regel {i}"));
        var mine = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"mijn {i}"));
        var theirs = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"hun {i}"));
        ThreeWayMerge.Merge(big, mine, theirs).Clean.ShouldBeFalse();
    }
}
