using Pgo.Api.TeamSpace.Search;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>Full-text search with Dutch word forms: PostgreSQL's dutch configuration and SQLite FTS5 over C# stems behave alike.</summary>
public class SearchTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Aanvraag_finds_aanvragen_with_the_original_word_highlighted(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var post = await team.PostAsync(ricardo, team.Wlz, "Twee aanvragen voor meerzorg liggen al weken bij het zorgkantoor.");
        await team.PostAsync(ricardo, team.Wlz, "Iets heel anders over vervoer.");

        var hits = await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=aanvraag");
        var hit = hits.ShouldHaveSingleItem();
        hit.Kind.ShouldBe("post");
        hit.Id.ShouldBe(post.Id);
        hit.Snippet.ShouldContain("<mark>aanvragen</mark>");
        hit.Url.ShouldBe($"{team.Url}/posts/{post.Id}");
        // And the other way round, and with capitals.
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=AANVRAGEN")).ShouldHaveSingleItem();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Results_are_ranked_and_filtered_by_channel_tag_author_and_kind(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var khadija = host.As(TestUser.Khadija);
        var once = await team.PostAsync(ricardo, team.Wlz, "Het zorgkantoor belde terug over iets anders.");
        var often = await team.PostAsync(khadija, team.Pgb, "Zorgkantoor, zorgkantoor en nog eens het zorgkantoor: drie keer gebeld. #pgb");
        var article = await (await khadija.Post($"{team.Url}/articles", new
        {
            title = "Het zorgkantoor bellen", body = "Tips voor een gesprek met het zorgkantoor.", tags = new[] { "zorgkantoor" },
        })).Read<Pgo.Shared.Contracts.ArticleView>();

        var all = await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=zorgkantoren");
        all.Count.ShouldBe(3);
        all[0].Kind.ShouldBe("article");     // the word in the title weighs most
        all[0].Url.ShouldBe($"{team.Url}/articles/{article.Slug}");
        all[1].Id.ShouldBe(often.Id);        // three times beats once
        all[2].Id.ShouldBe(once.Id);
        all.ShouldAllBe(h => h.Rank > 0);

        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=zorgkantoor&channel={team.Wlz}")).ShouldHaveSingleItem().Id.ShouldBe(once.Id);
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=zorgkantoor&tag=PGB")).ShouldHaveSingleItem().Id.ShouldBe(often.Id);
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=zorgkantoor&author=@khadija")).Select(h => h.Kind).ShouldBe(["article", "post"]);
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=zorgkantoor&kind=article")).ShouldHaveSingleItem().Title.ShouldBe("Het zorgkantoor bellen");
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=zorgkantoor -gebeld")).Count.ShouldBe(2);
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=\"drie keer\"")).ShouldHaveSingleItem().Id.ShouldBe(often.Id);
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=vervoer or terug")).ShouldHaveSingleItem().Id.ShouldBe(once.Id);
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=de het een")).ShouldBeEmpty();
        await (await ricardo.GetAsync($"{team.Url}/search?q=zorgkantoor&author=niemand")).Problem(404);
        await (await ricardo.GetAsync($"{team.Url}/search?q=zorgkantoor&kind=plaatje")).Problem(400);
        await (await ricardo.GetAsync($"{team.Url}/search?q=")).Problem(400);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Search_shows_only_what_the_caller_may_read_and_follows_edits_and_deletes(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var other = await TestTeam.CreateAsync(host, "ander-team");
        var ricardo = host.As(TestUser.Ricardo);
        var wlz = await team.PostAsync(ricardo, team.Wlz, "Bezwaar tegen het besluit van het CIZ.");
        var juridisch = await team.PostAsync(ricardo, team.Juridisch, "Bezwaar tegen de gemeente, voor de gast zichtbaar.");
        await other.PostAsync(ricardo, other.Wlz, "Bezwaar in een ander team.");
        await ricardo.Post($"{team.Url}/articles", new { title = "Bezwaar maken", body = "Binnen zes weken." });

        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=bezwaar")).Count.ShouldBe(3);
        var guest = await host.As(TestUser.Guest).GetJson<List<SearchResultView>>($"{team.Url}/search?q=bezwaar");
        guest.ShouldHaveSingleItem().Id.ShouldBe(juridisch.Id); // not the Wlz channel, not the kennisbank, not the other team
        await (await host.As(TestUser.Guest).GetAsync($"{team.Url}/search?q=bezwaar&channel={team.Wlz}")).Problem(404);

        await ricardo.Put($"{team.Url}/posts/{wlz.Id}", new { body = "Beroep bij de rechtbank." });
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=bezwaar")).Count.ShouldBe(2);
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=rechtbank")).ShouldHaveSingleItem().Id.ShouldBe(wlz.Id);
        await ricardo.DeleteAsync($"{team.Url}/posts/{wlz.Id}");
        (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=rechtbank")).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Markup_in_posts_never_reaches_a_snippet_as_markup(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        await team.PostAsync(ricardo, team.Wlz, "De aanvraag <script>alert(1)</script> en <img src=x onerror=alert(1)>");
        var hit = (await ricardo.GetJson<List<SearchResultView>>($"{team.Url}/search?q=aanvraag")).ShouldHaveSingleItem();
        hit.Snippet.ShouldContain("<mark>aanvraag</mark>");
        hit.Snippet.ShouldNotContain("<script");
        hit.Snippet.ShouldNotContain("<img");
        hit.Snippet.Replace("<mark>", "").Replace("</mark>", "").ShouldNotContain("<");
    }
}
