using Npgsql;
using Pgo.Api.TeamSpace.Search;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>
/// The C# Snowball Dutch stemmer against PostgreSQL's: dutch-stems.tsv holds 7,001 words from the seed documents
/// with the stem <c>ts_lexize('dutch_stem', word)</c> gave on PostgreSQL 15; the live test asks a running server.
/// </summary>
public class DutchStemmerTests
{
    private static IEnumerable<(string Word, string Stem)> Vectors() =>
        File.ReadLines(RepoFiles.Path("tests", "Pgo.Api.Tests", "TeamSpace", "dutch-stems.tsv"))
            .Select(l => l.Split('\t')).Select(p => (p[0], p[1]));

    [Fact]
    public void Every_word_of_the_seed_documents_gets_the_stem_PostgreSQL_gives_it()
    {
        var vectors = Vectors().ToList();
        vectors.Count.ShouldBeGreaterThan(7000);
        var wrong = vectors.Where(v => DutchStemmer.Stem(v.Word) != v.Stem).Select(v => $"{v.Word}: {DutchStemmer.Stem(v.Word)} (PostgreSQL: {v.Stem})").ToList();
        wrong.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("aanvraag", "aanvrag")]
    [InlineData("aanvragen", "aanvrag")]
    [InlineData("mogelijkheden", "mogelijk")]
    [InlineData("gemeenten", "gemeent")]
    [InlineData("zorgkantoren", "zorgkantor")]
    [InlineData("maan", "man")]
    [InlineData("financiële", "financiel")]
    public void Word_forms_meet_on_one_stem(string word, string stem) => DutchStemmer.Stem(word).ShouldBe(stem);

    [Fact]
    public void Stop_words_are_not_indexed_and_stems_are_what_the_index_holds()
    {
        DutchText.StemmedText("De aanvragen van het CIZ én de Wlz-indicatie").ShouldBe("aanvrag ciz wlz indicatie");
        DutchText.StemOf("het").ShouldBeNull();
    }

    [Fact]
    public async Task The_stemmer_agrees_with_a_running_PostgreSQL()
    {
        var admin = Needs.Postgres();
        var words = Vectors().Select(v => v.Word).ToArray();
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT w, (ts_lexize('dutch_stem', w))[1] FROM unnest(@words) AS w", conn);
        cmd.Parameters.AddWithValue("words", words);
        var wrong = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (reader.IsDBNull(1)) continue; // a PostgreSQL stop word
            var (word, stem) = (reader.GetString(0), reader.GetString(1));
            if (DutchStemmer.Stem(word) != stem) wrong.Add($"{word}: {DutchStemmer.Stem(word)} (PostgreSQL: {stem})");
        }
        wrong.ShouldBeEmpty();
    }
}
