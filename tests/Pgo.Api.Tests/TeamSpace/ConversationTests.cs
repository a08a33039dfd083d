using System.Net;
using System.Net.Http.Json;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>Threads, replies, edits, deletes, reactions, pins, unread markers, mentions and notifications, on SQLite and PostgreSQL.</summary>
public class ConversationTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_thread_with_replies_reads_back_in_order_with_rendered_html(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var khadija = host.As(TestUser.Khadija);

        var root = await team.PostAsync(ricardo, team.Wlz, "Hoe onderbouw je **meerzorg**? #Meerzorg #wlz");
        root.Html.ShouldContain("<strong>meerzorg</strong>");
        root.Tags.ShouldBe(["meerzorg", "wlz"]);
        root.Author.ShouldBe(new PersonRef(TestUser.Ricardo.FhirUser, TestUser.Ricardo.Name));
        var reply = await team.ReplyAsync(khadija, root.Id, "Met een zorgdagboek van twee weken.");
        var replyToReply = await team.ReplyAsync(ricardo, reply.Id, "Dank je!");
        replyToReply.ThreadId.ShouldBe(root.Id); // a reply to a reply stays in the thread of the root

        var thread = await ricardo.GetJson<ThreadView>($"{team.Url}/posts/{reply.Id}/thread");
        thread.Root.Id.ShouldBe(root.Id);
        thread.Root.ReplyCount.ShouldBe(2);
        thread.Replies.Select(r => r.Body).ShouldBe(["Met een zorgdagboek van twee weken.", "Dank je!"]);

        var threads = await khadija.GetJson<List<PostView>>($"{team.Url}/channels/{team.Wlz}/threads");
        threads.ShouldHaveSingleItem().Id.ShouldBe(root.Id);
        (await khadija.GetJson<List<PostView>>($"{team.Url}/channels/{team.Pgb}/threads")).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Author_edits_and_deletes_own_post_and_the_thread_keeps_its_place(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var post = await team.PostAsync(ricardo, team.Wlz, "Eerste versie");
        await team.ReplyAsync(host.As(TestUser.Khadija), post.Id, "Een antwoord");

        var edited = await (await ricardo.Put($"{team.Url}/posts/{post.Id}", new { body = "Tweede versie" })).Read<PostView>();
        edited.Body.ShouldBe("Tweede versie");
        edited.EditedAt.ShouldNotBeNull();
        edited.EditedBy.ShouldBe(TestUser.Ricardo.FhirUser);

        var deleted = await (await ricardo.DeleteAsync($"{team.Url}/posts/{post.Id}")).Read<PostView>();
        deleted.Deleted.ShouldBeTrue();
        deleted.Body.ShouldBeEmpty();
        deleted.Html.ShouldBeEmpty();
        // The root is gone as text, the thread with its reply stays.
        var thread = await ricardo.GetJson<ThreadView>($"{team.Url}/posts/{post.Id}/thread");
        thread.Root.Deleted.ShouldBeTrue();
        thread.Replies.ShouldHaveSingleItem();
        (await (await ricardo.Put($"{team.Url}/posts/{post.Id}", new { body = "weer terug" })).Problem(409)).GetProperty("title").GetString().ShouldBe("Conflict");
        (await host.As(TestUser.Coach).GetJson<List<ModerationEntry>>($"{team.Url}/moderation")).ShouldBeEmpty(); // own edits are no moderation
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Reactions_and_pins(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var post = await team.PostAsync(host.As(TestUser.Ricardo), team.Wlz, "Nuttige tip");
        var url = $"{team.Url}/posts/{post.Id}";

        await host.As(TestUser.Khadija).Put($"{url}/reactions/{Uri.EscapeDataString("👍")}");
        await host.As(TestUser.Sven).Put($"{url}/reactions/{Uri.EscapeDataString("👍")}");
        var twice = await (await host.As(TestUser.Sven).Put($"{url}/reactions/{Uri.EscapeDataString("👍")}")).Read<PostView>();
        twice.Reactions.ShouldHaveSingleItem().Count.ShouldBe(2);
        var removed = await (await host.As(TestUser.Sven).DeleteAsync($"{url}/reactions/{Uri.EscapeDataString("👍")}")).Read<PostView>();
        removed.Reactions.ShouldHaveSingleItem().By.ShouldBe([TestUser.Khadija.FhirUser]);
        await (await host.As(TestUser.Sven).Put($"{url}/reactions/banaan")).Problem(400);

        // Only the coach or an expert pins.
        await (await host.As(TestUser.Ricardo).Put($"{url}/pin")).Problem(403);
        (await (await host.As(TestUser.Expert).Put($"{url}/pin")).Read<PostView>()).PinnedAt.ShouldNotBeNull();
        (await host.As(TestUser.Sven).GetJson<List<PostView>>($"{team.Url}/channels/{team.Wlz}/pinned")).ShouldHaveSingleItem().Id.ShouldBe(post.Id);
        await host.As(TestUser.Coach).DeleteAsync($"{url}/pin");
        (await host.As(TestUser.Sven).GetJson<List<PostView>>($"{team.Url}/channels/{team.Wlz}/pinned")).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Unread_markers_count_posts_by_others_after_the_last_read_post(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var khadija = host.As(TestUser.Khadija);
        var first = await team.PostAsync(ricardo, team.Wlz, "een");
        await team.ReplyAsync(ricardo, first.Id, "twee");
        await team.PostAsync(khadija, team.Wlz, "eigen bericht telt niet");

        Unread(await khadija.GetJson<List<UnreadView>>($"{team.Url}/unread"), team.Wlz).ShouldBe(2);
        Unread(await ricardo.GetJson<List<UnreadView>>($"{team.Url}/unread"), team.Wlz).ShouldBe(1);

        var marked = await (await khadija.PostAsync($"{team.Url}/channels/{team.Wlz}/read", null)).Read<UnreadView>();
        marked.Unread.ShouldBe(0);
        await team.PostAsync(ricardo, team.Wlz, "drie");
        Unread(await khadija.GetJson<List<UnreadView>>($"{team.Url}/unread"), team.Wlz).ShouldBe(1);
        // A marker never moves back.
        await khadija.PostAsync($"{team.Url}/channels/{team.Wlz}/read?upTo={first.Id}", null);
        Unread(await khadija.GetJson<List<UnreadView>>($"{team.Url}/unread"), team.Wlz).ShouldBe(1);
        // The guest sees only the channel opened to it.
        (await host.As(TestUser.Guest).GetJson<List<UnreadView>>($"{team.Url}/unread")).Select(u => u.ChannelId).ShouldBe([team.Juridisch]);
    }

    private static int Unread(List<UnreadView> unread, long channel) => unread.Single(u => u.ChannelId == channel).Unread;

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Mentions_and_replies_notify_members_who_may_read_the_channel(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        // @gast cannot read Aanvragen Wlz: no notification, nothing leaks. @onbekend is nobody.
        var post = await team.PostAsync(ricardo, team.Wlz, "Vraag aan @khadija en @Sven. Ook @gast en @onbekend. En @ricardo zelf.");
        await team.ReplyAsync(host.As(TestUser.Khadija), post.Id, "Goede vraag!");

        var khadija = await host.As(TestUser.Khadija).GetJson<List<TeamNotificationView>>("/api/team/notifications");
        khadija.ShouldHaveSingleItem().Kind.ShouldBe("mention");
        khadija[0].Actor.Key.ShouldBe(TestUser.Ricardo.FhirUser);
        khadija[0].Excerpt.ShouldStartWith("Vraag aan @khadija");
        (await host.As(TestUser.Sven).GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldHaveSingleItem();
        (await host.As(TestUser.Guest).GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldBeEmpty();
        var mine = (await ricardo.GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldHaveSingleItem();
        mine.Kind.ShouldBe("reply");

        // An edit that adds a mention notifies only the newly mentioned.
        await ricardo.Put($"{team.Url}/posts/{post.Id}", new { body = "Vraag aan @khadija, @sven en @joyce." });
        (await host.As(TestUser.Expert).GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldHaveSingleItem();
        (await host.As(TestUser.Khadija).GetJson<List<TeamNotificationView>>("/api/team/notifications")).Count.ShouldBe(1);

        // Read, then the unread list is empty.
        (await host.As(TestUser.Sven).PostAsync("/api/team/notifications/read", JsonContent.Create(new { }))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.As(TestUser.Sven).GetJson<List<TeamNotificationView>>("/api/team/notifications?unread=true")).ShouldBeEmpty();
        (await host.As(TestUser.Sven).GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldHaveSingleItem().Read.ShouldBeTrue();

        // Leaving the team hides its notifications at once.
        (await host.As(TestUser.Khadija).DeleteAsync($"{team.Url}/members/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.As(TestUser.Khadija).GetJson<List<TeamNotificationView>>("/api/team/notifications")).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Bottlenecks_are_bundled_by_instantie_and_theme_for_the_coach(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        async Task Signal(TestUser user, string body, string instantie, string theme, int families)
        {
            var post = await team.PostAsync(host.As(user), team.Pgb, body);
            var marked = await (await host.As(user).Put($"{team.Url}/posts/{post.Id}/bottleneck",
                new { instantie, theme, families, summary = "Uitbetaling loopt maanden achter." })).Read<PostView>();
            marked.Bottleneck.ShouldNotBeNull().Instantie.ShouldBe(instantie.ToLowerInvariant());
            marked.Bottleneck.Families.ShouldBe(families);
            marked.Bottleneck.BundleStatus.ShouldBe("nieuw");
        }
        await Signal(TestUser.Ricardo, "SVB betaalt twee maanden te laat.", "svb", "pgb", 1);
        await Signal(TestUser.Khadija, "Ook hier: SVB te laat.", "SVB", "PGB", 2);
        await Signal(TestUser.Sven, "CIZ doet er tien weken over.", "ciz", "wlz-indicatie", 1);

        var bundles = await host.As(TestUser.Coach).GetJson<List<BottleneckBundle>>($"{team.Url}/bottlenecks");
        bundles.Select(b => (b.Instantie, b.Theme, b.Count)).ShouldBe([("svb", "pgb", 2), ("ciz", "wlz-indicatie", 1)]);
        bundles[0].Posts.Select(p => p.Excerpt).ShouldBe(["Ook hier: SVB te laat.", "SVB betaalt twee maanden te laat."]);
        bundles[0].Posts[0].Url.ShouldStartWith($"{team.Url}/posts/");
        (bundles[0].InstantieName, bundles[0].ThemeName, bundles[0].Families, bundles[0].Status).ShouldBe(("SVB", "Pgb en SVB", 3, "nieuw"));

        await (await host.As(TestUser.Ricardo).GetAsync($"{team.Url}/bottlenecks")).Problem(403);
        var post = await team.PostAsync(host.As(TestUser.Ricardo), team.Pgb, "x");
        await (await host.As(TestUser.Ricardo).Put($"{team.Url}/posts/{post.Id}/bottleneck", new { instantie = "rijkswaterstaat", theme = "pgb", families = 1, summary = "Een knelpunt." })).Problem(400);
    }
}
