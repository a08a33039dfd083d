using System.Net;
using Pgo.Api.TeamSpace.Articles;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>Knowledge articles: versions, diff, co-writing without lost edits, tags and categories, links, review date, promotion of a post.</summary>
public class KennisbankTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Every_edit_is_a_new_version_with_a_diff_and_a_stale_edit_is_refused(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var khadija = host.As(TestUser.Khadija);

        var created = await ricardo.Post($"{team.Url}/articles", new
        {
            title = "Meerzorg aanvragen", category = "Wlz", tags = new[] { "Meerzorg", "WLZ", "meerzorg" },
            body = "# Stappen\n\n1. Zorgdagboek\n2. Onderbouwing arts\n3. Aanvraag",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.Location!.ToString().ShouldBe($"{team.Url}/articles/meerzorg-aanvragen");
        var v1 = await created.Read<ArticleView>();
        (v1.Slug, v1.Version, v1.Category).ShouldBe(("meerzorg-aanvragen", 1, "Wlz"));
        v1.Tags.ShouldBe(["meerzorg", "wlz"]);
        v1.Html.ShouldContain("<h1>Stappen</h1>");

        var v2 = await (await khadija.Put($"{team.Url}/articles/meerzorg-aanvragen", new
        {
            title = "Meerzorg aanvragen", body = "# Stappen\n\n1. Zorgdagboek van twee weken\n2. Onderbouwing arts\n3. Aanvraag", tags = new[] { "meerzorg", "wlz" },
            baseVersion = 1, note = "duur van het zorgdagboek",
        })).Read<ArticleView>();
        v2.Version.ShouldBe(2);
        v2.UpdatedBy.Key.ShouldBe(TestUser.Khadija.FhirUser);
        v2.Category.ShouldBe("Wlz"); // kept when not given

        // Ricardo still had version 1 open: his edit is refused with the current text, nothing is lost.
        var stale = await (await ricardo.Put($"{team.Url}/articles/meerzorg-aanvragen", new { title = "Meerzorg", body = "Iets anders", baseVersion = 1 })).Problem(409);
        stale.GetProperty("currentVersion").GetInt32().ShouldBe(2);
        stale.GetProperty("current").GetProperty("body").GetString()!.ShouldContain("twee weken");
        await (await ricardo.Put($"{team.Url}/articles/meerzorg-aanvragen", new { title = "Meerzorg", body = "Iets anders" })).Problem(400);

        // Saving the same text again makes no new version.
        (await (await khadija.Put($"{team.Url}/articles/meerzorg-aanvragen", new
        {
            title = "Meerzorg aanvragen", body = "# Stappen\n\n1. Zorgdagboek van twee weken\n2. Onderbouwing arts\n3. Aanvraag", tags = new[] { "wlz", "meerzorg" }, baseVersion = 2,
        })).Read<ArticleView>()).Version.ShouldBe(2);

        var versions = await ricardo.GetJson<List<ArticleVersionView>>($"{team.Url}/articles/meerzorg-aanvragen/versions");
        versions.Select(v => (v.Version, v.Author.Key)).ShouldBe([(2, TestUser.Khadija.FhirUser), (1, TestUser.Ricardo.FhirUser)]);
        versions[0].Note.ShouldBe("duur van het zorgdagboek");
        (await ricardo.GetJson<ArticleVersionView>($"{team.Url}/articles/meerzorg-aanvragen/versions/1")).Body.ShouldContain("1. Zorgdagboek\n");
        await (await ricardo.GetAsync($"{team.Url}/articles/meerzorg-aanvragen/versions/9")).Problem(404);

        var diff = await ricardo.GetJson<ArticleDiff>($"{team.Url}/articles/meerzorg-aanvragen/diff?from=1&to=2");
        (diff.Added, diff.Removed).ShouldBe((1, 1));
        diff.Lines.Where(l => l.Op != ' ').Select(l => $"{l.Op}{l.Text}").ShouldBe(["-1. Zorgdagboek", "+1. Zorgdagboek van twee weken"]);
        (await ricardo.GetJson<ArticleDiff>($"{team.Url}/articles/meerzorg-aanvragen/diff")).From.ShouldBe(1); // default: previous → current
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Tags_categories_links_and_the_review_date(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        await ricardo.Post($"{team.Url}/articles", new { title = "Bezwaar Wmo", category = "Wmo", tags = new[] { "bezwaar" }, body = "Binnen zes weken." });
        var checklist = await (await ricardo.Post($"{team.Url}/articles", new
        {
            title = "Checklist 18 jaar", category = "Levensloop", tags = new[] { "18-jaar" },
            body = "Zie [[bezwaar-wmo]] en [[bezwaar-wmo|de bezwaarprocedure]].",
        })).Read<ArticleView>();
        checklist.Links.ShouldBe([new ArticleLinkView("bezwaar-wmo", "Bezwaar Wmo")]);
        checklist.Html.ShouldContain($"href=\"/team/{team.Id}/kennisbank/bezwaar-wmo\"");
        checklist.Html.ShouldContain(">de bezwaarprocedure</a>");
        (await ricardo.GetJson<ArticleView>($"{team.Url}/articles/bezwaar-wmo")).Backlinks.ShouldBe([new ArticleLinkView("checklist-18-jaar", "Checklist 18 jaar")]);

        var unknown = await (await ricardo.Post($"{team.Url}/articles", new { title = "Los", body = "Zie [[bestaat-niet]]." })).Problem(422);
        unknown.GetProperty("detail").GetString()!.ShouldContain("[[bestaat-niet]]");
        await (await ricardo.GetAsync($"{team.Url}/articles/los")).Problem(404); // nothing half-stored

        (await ricardo.GetJson<List<ArticleSummary>>($"{team.Url}/articles?tag=18-jaar")).ShouldHaveSingleItem().Slug.ShouldBe("checklist-18-jaar");
        (await ricardo.GetJson<List<ArticleSummary>>($"{team.Url}/articles?category=Wmo")).ShouldHaveSingleItem().Slug.ShouldBe("bezwaar-wmo");
        (await ricardo.GetJson<List<ArticleSummary>>($"{team.Url}/articles")).Count.ShouldBe(2);
        await (await ricardo.Post($"{team.Url}/articles", new { title = "Bezwaar Wmo", body = "dubbel" })).Problem(409);

        // Laatst gecontroleerd: set by the coach or an expert.
        await (await ricardo.PostAsync($"{team.Url}/articles/bezwaar-wmo/review", null)).Problem(403);
        var reviewed = await (await host.As(TestUser.Expert).PostAsync($"{team.Url}/articles/bezwaar-wmo/review", null)).Read<ArticleView>();
        reviewed.LastReviewedAt.ShouldNotBeNull();
        reviewed.LastReviewedBy.ShouldBe(TestUser.Expert.Name);
        (await ricardo.GetJson<List<ArticleSummary>>($"{team.Url}/articles?category=Wmo"))[0].LastReviewedAt.ShouldBe(reviewed.LastReviewedAt);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_post_becomes_an_article_in_one_step(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var post = await team.PostAsync(host.As(TestUser.Khadija), team.Pgb, "**Tip:** vraag bij de SVB om een terugbelverzoek van een behandelaar. #svb");

        var response = await host.As(TestUser.Ricardo).Post($"{team.Url}/posts/{post.Id}/promote", new { title = "SVB: sneller antwoord", category = "PGB", tags = new[] { "pgb" } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var article = await response.Read<ArticleView>();
        (article.Slug, article.Version, article.SourcePostId).ShouldBe(("svb-sneller-antwoord", 1, post.Id));
        article.Body.ShouldBe(post.Body);
        article.Tags.ShouldBe(["pgb", "svb"]);
        (await host.As(TestUser.Ricardo).GetJson<List<ArticleVersionView>>($"{team.Url}/articles/{article.Slug}/versions")).ShouldHaveSingleItem().Note.ShouldBe("Gemaakt van een bericht in de teamruimte");

        await (await host.As(TestUser.Guest).Post($"{team.Url}/posts/{post.Id}/promote", new { title = "x" })).Problem(404);
        await (await host.As(TestUser.Ricardo).Post($"{team.Url}/posts/{post.Id}/promote", new { title = "" })).Problem(400);
    }

    private static Task<List<TeamNotificationView>> NotificationsAsync(TeamSpaceHost host, TestUser user) =>
        host.As(user).GetJson<List<TeamNotificationView>>("/api/team/notifications");

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_review_request_notifies_the_coach_and_experts_not_the_requester_and_approval_ends_it(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        await ricardo.Post($"{team.Url}/articles", new { title = "Pgb aanvragen", category = "PGB", body = "Eerst het budgetplan." });

        var asked = await (await ricardo.Post($"{team.Url}/articles/pgb-aanvragen/review-request", new { note = "Klopt de termijn nog?" })).Read<ArticleView>();
        asked.ReviewRequestedAt.ShouldNotBeNull();
        (asked.ReviewRequestedBy, asked.ReviewRequestNote).ShouldBe((TestUser.Ricardo.Name, "Klopt de termijn nog?"));
        (await ricardo.GetJson<List<ArticleSummary>>($"{team.Url}/articles")).ShouldHaveSingleItem().ReviewRequested.ShouldBeTrue();

        foreach (var reviewer in new[] { TestUser.Coach, TestUser.Expert })
        {
            var told = (await NotificationsAsync(host, reviewer)).ShouldHaveSingleItem();
            (told.Kind, told.ArticleSlug, told.Actor.Key, told.Excerpt).ShouldBe((TeamNotifications.ReviewRequest, "pgb-aanvragen", TestUser.Ricardo.FhirUser, "Pgb aanvragen"));
        }
        (await NotificationsAsync(host, TestUser.Ricardo)).ShouldBeEmpty();
        (await NotificationsAsync(host, TestUser.Khadija)).ShouldBeEmpty();
        (await NotificationsAsync(host, TestUser.Guest)).ShouldBeEmpty();

        // A coach asking tells the other reviewers, not themself.
        await host.As(TestUser.Coach).Post($"{team.Url}/articles/pgb-aanvragen/review-request", new { });
        (await NotificationsAsync(host, TestUser.Coach)).Count.ShouldBe(1);
        (await NotificationsAsync(host, TestUser.Expert)).Count.ShouldBe(2);

        // Approving ends the request; the notification stays and still opens the article.
        var approved = await (await host.As(TestUser.Coach).PostAsync($"{team.Url}/articles/pgb-aanvragen/review", null)).Read<ArticleView>();
        approved.LastReviewedAt.ShouldNotBeNull();
        (approved.ReviewRequestedAt, approved.ReviewRequestedBy, approved.ReviewRequestNote).ShouldBe((null, null, null));
        (await ricardo.GetJson<List<ArticleSummary>>($"{team.Url}/articles")).ShouldHaveSingleItem().ReviewRequested.ShouldBeFalse();
        (await NotificationsAsync(host, TestUser.Expert)).Count.ShouldBe(2);

        // Guests and outsiders may not ask; a note is at most 300 characters; an unknown article is 404.
        await (await host.As(TestUser.Guest).Post($"{team.Url}/articles/pgb-aanvragen/review-request", new { })).Problem(403);
        await (await host.As(TestUser.Outsider).Post($"{team.Url}/articles/pgb-aanvragen/review-request", new { })).Problem(404);
        await (await ricardo.Post($"{team.Url}/articles/pgb-aanvragen/review-request", new { note = new string('x', 301) })).Problem(400);
        await (await ricardo.Post($"{team.Url}/articles/bestaat-niet/review-request", new { })).Problem(404);
    }
}
