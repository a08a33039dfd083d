using Pgo.Api.TeamSpace.Articles;
using Pgo.Api.TeamSpace.Search;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>The small text tools under the kennisbank and search: line diff, query parsing, snippets.</summary>
public class TextToolsTests
{
    [Fact]
    public void Line_diff_keeps_common_lines_and_shows_removed_before_added()
    {
        var diff = LineDiff.Compute("a\nb\nc\nd", "a\nB\nc\nd\ne");
        diff.Select(l => $"{l.Op}{l.Text}").ShouldBe([" a", "-b", "+B", " c", " d", "+e"]);
        diff.Single(l => l.Text == "B").NewLine.ShouldBe(2);
        diff.Single(l => l.Text == "b").OldLine.ShouldBe(2);
    }

    [Fact]
    public void Line_diff_of_equal_texts_has_no_changes_and_empty_texts_work()
    {
        LineDiff.Compute("x\ny", "x\ny").ShouldAllBe(l => l.Op == ' ');
        LineDiff.Compute("", "nieuw").Select(l => l.Op).ShouldBe(['+']);
        LineDiff.Compute("oud", "").Select(l => l.Op).ShouldBe(['-']);
        LineDiff.Compute("a\r\nb", "a\nb").ShouldAllBe(l => l.Op == ' ');
    }

    [Fact]
    public void Line_diff_finds_the_longest_common_part_in_the_middle()
    {
        var diff = LineDiff.Compute("1\nx\n2\ny\n3", "1\n2\nz\n3");
        diff.Where(l => l.Op == ' ').Select(l => l.Text).ShouldBe(["1", "2", "3"]);
        diff.Where(l => l.Op == '-').Select(l => l.Text).ShouldBe(["x", "y"]);
        diff.Where(l => l.Op == '+').Select(l => l.Text).ShouldBe(["z"]);
    }

    [Theory]
    [InlineData("aanvraag", "(\"aanvrag\")")]
    [InlineData("De aanvragen van het CIZ", "(\"aanvrag\" AND \"ciz\")")]
    [InlineData("\"wlz indicatie\" -svb", "(\"wlz indicatie\" NOT \"svb\")")]
    [InlineData("traplift or rolstoel -gemeente", "((\"traplift\") OR (\"rolstoel\" NOT \"gemeent\"))")]
    [InlineData("pgb or meerzorg", "((\"pgb\") OR (\"meerzorg\"))")]
    [InlineData("NEAR(a b) * \" ^ : col:x", "(\"near a\" AND \"b\" AND \"col x\")")]
    public void A_search_box_query_becomes_a_safe_FTS5_expression_over_stems(string raw, string fts) =>
        SearchQuery.Parse(raw).ToFts5().ShouldBe(fts);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("de het een")]
    [InlineData("-aanvraag")]
    [InlineData("\"\" * ^")]
    public void A_query_without_searchable_words_matches_nothing(string raw) => SearchQuery.Parse(raw).IsEmpty.ShouldBeTrue();

    [Fact]
    public void A_snippet_marks_the_original_words_and_escapes_everything_else()
    {
        var stems = SearchQuery.Parse("aanvraag").PositiveStems;
        var html = Snippets.ToHtml(Snippets.Build("Twee <b>aanvragen</b> liggen bij het CIZ & de Aanvraag van maart ook.", stems));
        html.ShouldBe("Twee &lt;b&gt;<mark>aanvragen</mark>&lt;/b&gt; liggen bij het CIZ &amp; de <mark>Aanvraag</mark> van maart ook.");
    }

    [Fact]
    public void A_snippet_of_a_long_text_is_a_window_around_the_hits()
    {
        var text = string.Join(' ', Enumerable.Repeat("woord", 100)) + " de aanvraag is binnen " + string.Join(' ', Enumerable.Repeat("woord", 100));
        var snippet = Snippets.Build(text, SearchQuery.Parse("aanvraag").PositiveStems, maxWords: 12);
        snippet.ShouldStartWith("… ");
        snippet.ShouldEndWith(" …");
        snippet.ShouldContain($"{Snippets.Open}aanvraag{Snippets.Close}");
        snippet.Split(' ').Length.ShouldBeLessThan(16);
    }

    [Fact]
    public void Mark_characters_in_stored_text_cannot_inject_markup()
    {
        Snippets.StripMarks($"a{Snippets.Open}b{Snippets.Close}c").ShouldBe("abc");
        Snippets.ToHtml("<script>").ShouldBe("&lt;script&gt;");
    }
}
