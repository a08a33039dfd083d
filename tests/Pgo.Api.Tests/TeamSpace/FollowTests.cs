using System.Net;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>Issue 17: channels a member follows, and a new kennisbank article in a followed channel as a notification, on SQLite and PostgreSQL.</summary>
public class FollowTests
{
    private static Task<List<TeamNotificationView>> NotificationsAsync(TeamSpaceHost host, TestUser user) =>
        host.As(user).GetJson<List<TeamNotificationView>>("/api/team/notifications");

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Nobody_follows_a_channel_until_they_choose_to_and_only_a_channel_they_read(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var khadija = host.As(TestUser.Khadija);

        (await khadija.GetJson<TeamView>(team.Url)).Channels.ShouldAllBe(c => !c.Following);
        (await (await khadija.Put($"{team.Url}/channels/{team.Wlz}/follow")).Read<ChannelView>()).Following.ShouldBeTrue();
        (await khadija.Put($"{team.Url}/channels/{team.Wlz}/follow")).StatusCode.ShouldBe(HttpStatusCode.OK); // twice is once
        (await khadija.GetJson<TeamView>(team.Url)).Channels.Where(c => c.Following).Select(c => c.Id).ShouldBe([team.Wlz]);
        // Following is one's own: another member's view is unchanged.
        (await host.As(TestUser.Sven).GetJson<TeamView>(team.Url)).Channels.ShouldAllBe(c => !c.Following);

        (await (await khadija.DeleteAsync($"{team.Url}/channels/{team.Wlz}/follow")).Read<ChannelView>()).Following.ShouldBeFalse();
        (await khadija.GetJson<TeamView>(team.Url)).Channels.ShouldAllBe(c => !c.Following);

        // A guest follows only a channel opened to them; a closed one, or another team, is "not found".
        var guest = host.As(TestUser.Guest);
        await (await guest.Put($"{team.Url}/channels/{team.Wlz}/follow")).Problem(404);
        (await (await guest.Put($"{team.Url}/channels/{team.Juridisch}/follow")).Read<ChannelView>()).Following.ShouldBeTrue();
        await (await host.As(TestUser.Outsider).Put($"{team.Url}/channels/{team.Wlz}/follow")).Problem(404);
        await (await khadija.Put($"{team.Url}/channels/999999/follow")).Problem(404);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_new_article_in_a_followed_channel_notifies_followers_who_read_the_kennisbank_once(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        foreach (var (user, channel) in new[]
        {
            (TestUser.Khadija, team.Wlz), (TestUser.Ricardo, team.Wlz), (TestUser.Sven, team.Pgb),
            (TestUser.Guest, team.Juridisch), (TestUser.Expert, team.Juridisch),
        })
        {
            (await host.As(user).Put($"{team.Url}/channels/{channel}/follow")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var article = await (await ricardo.Post($"{team.Url}/articles", new
        {
            title = "Meerzorg aanvragen", body = "Eerst een zorgdagboek.", channelId = team.Wlz,
        })).Read<ArticleView>();

        var told = (await NotificationsAsync(host, TestUser.Khadija)).ShouldHaveSingleItem();
        (told.Kind, told.ArticleSlug, told.Excerpt, told.ChannelId, told.PostId).ShouldBe(("article", article.Slug, "Meerzorg aanvragen", team.Wlz, (long?)null));
        told.Actor.Key.ShouldBe(TestUser.Ricardo.FhirUser);
        (await NotificationsAsync(host, TestUser.Ricardo)).ShouldBeEmpty(); // not the author
        (await NotificationsAsync(host, TestUser.Sven)).ShouldBeEmpty(); // follows another channel

        // An edit is no new article; an article without a channel tells nobody.
        (await ricardo.Put($"{team.Url}/articles/{article.Slug}", new { title = "Meerzorg aanvragen", body = "Eerst twee weken zorgdagboek.", baseVersion = 1 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ricardo.Post($"{team.Url}/articles", new { title = "Zonder kanaal", body = "Algemeen." })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await NotificationsAsync(host, TestUser.Khadija)).Count.ShouldBe(1);

        // A post promoted to an article belongs to the post's channel: the expert is told, the guest (no kennisbank) is not.
        var post = await team.PostAsync(ricardo, team.Juridisch, "Bezwaar maken: binnen zes weken.");
        (await ricardo.Post($"{team.Url}/posts/{post.Id}/promote", new { title = "Bezwaar maken" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await NotificationsAsync(host, TestUser.Expert)).ShouldHaveSingleItem().ArticleSlug.ShouldBe("bezwaar-maken");
        (await NotificationsAsync(host, TestUser.Guest)).ShouldBeEmpty();

        // Writing for a channel that is not there is refused, and nothing is saved.
        await (await ricardo.Post($"{team.Url}/articles", new { title = "Nergens", body = "Tekst.", channelId = 999999 })).Problem(404);
        await (await ricardo.GetAsync($"{team.Url}/articles/nergens")).Problem(404);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_member_who_left_is_not_told_of_an_article_in_a_channel_they_followed(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        (await host.As(TestUser.Khadija).Put($"{team.Url}/channels/{team.Wlz}/follow")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.As(TestUser.Coach).DeleteAsync($"{team.Url}/members/khadija")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await host.As(TestUser.Ricardo).Post($"{team.Url}/articles", new { title = "Wlz-indicatie", body = "Via het CIZ.", channelId = team.Wlz }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var rows = await host.Service<Pgo.Api.TeamSpace.Data.TeamSpaceDatabase>().ReadAsync(c =>
            Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM ts_notification WHERE recipient_key = @k", new { k = TestUser.Khadija.FhirUser }), default);
        rows.ShouldBe(0);
    }
}
