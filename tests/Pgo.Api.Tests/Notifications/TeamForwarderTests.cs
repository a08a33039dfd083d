using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Notifications;
using Pgo.Api.Tests.TeamSpace;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.Notifications;

/// <summary>
/// The team space's notifications in the bell (issue 17): a mention, a reply and a new article in a followed channel each
/// reach the person's bell once, also with two forwarders at work; someone who left the team or lost the channel before
/// the forwarder came to it is told nothing; a new forwarder (a restart) goes on from the persisted cursor. SQLite and PostgreSQL.
/// </summary>
public class TeamForwarderTests
{
    private static async Task<NotificationList> BellAsync(TeamSpaceHost host, TestUser user) =>
        await host.As(user).GetJson<NotificationList>("/api/notifications?count=100");

    /// <summary>Forwards until nothing is left after the cursor (the host's own forwarder may be at it too: the keys make that harmless).</summary>
    private static async Task ForwardAllAsync(TeamNotificationForwarder forwarder)
    {
        while (await forwarder.ForwardOnceAsync(CancellationToken.None) > 0) { }
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_mention_a_reply_and_an_article_each_reach_the_bell_once(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var khadija = host.As(TestUser.Khadija);
        (await khadija.Put($"{team.Url}/channels/{team.Pgb}/follow")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var post = await team.PostAsync(ricardo, team.Wlz, "Weet @khadija hoe de herindicatie gaat?");
        var reply = await team.ReplyAsync(khadija, post.Id, "Via het CIZ, met een nieuw formulier.");
        var article = await (await host.As(TestUser.Sven).Post($"{team.Url}/articles", new { title = "PGB aanvragen", body = "Stap voor stap.", channelId = team.Pgb }))
            .Read<ArticleView>();

        // The host's forwarder and a second one (another Api instance on the same databases) both at work.
        var second = ActivatorUtilities.CreateInstance<TeamNotificationForwarder>(host.Server.Services);
        await Task.WhenAll(ForwardAllAsync(host.Service<TeamNotificationForwarder>()), ForwardAllAsync(second));
        await ForwardAllAsync(second);

        var hers = await BellAsync(host, TestUser.Khadija);
        hers.Items.Select(n => (n.Kind, n.Item, n.ActorName)).OrderBy(n => n.Kind).ShouldBe([
            (NotificationKinds.TeamArticle, $"team/{team.Id}/article/{article.Slug}", TestUser.Sven.Name),
            (NotificationKinds.TeamMention, $"team/{team.Id}/post/{post.Id}", TestUser.Ricardo.Name),
        ]);
        hers.Unread.ShouldBe(2);
        hers.Items.ShouldAllBe(n => n.PatientId == null && n.DossierName == null && !n.Read);
        var his = (await BellAsync(host, TestUser.Ricardo)).Items.ShouldHaveSingleItem();
        (his.Kind, his.Item).ShouldBe((NotificationKinds.TeamReply, $"team/{team.Id}/post/{reply.Id}"));
        // Nobody else: not the author of the article, not a member who was not named and follows nothing.
        (await BellAsync(host, TestUser.Sven)).Items.ShouldBeEmpty();
        (await BellAsync(host, TestUser.Expert)).Items.ShouldBeEmpty();

        // No text of the post or article in the bell: kind, item and actor only.
        var raw = await (await khadija.GetAsync("/api/notifications?count=100")).Content.ReadAsStringAsync();
        raw.ShouldNotContain("herindicatie");
        raw.ShouldNotContain("Stap voor stap");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_removed_member_and_a_guest_whose_channel_closed_are_told_nothing(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var forwarder = host.Service<TeamNotificationForwarder>();
        await forwarder.StopAsync(CancellationToken.None); // this test decides when forwarding happens
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        var coach = host.As(TestUser.Coach);
        (await host.As(TestUser.Khadija).Put($"{team.Url}/channels/{team.Wlz}/follow")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var post = await team.PostAsync(ricardo, team.Wlz, "Vraag aan @khadija en @sven.");
        await team.PostAsync(ricardo, team.Juridisch, "Vraag aan @gast over bezwaar.");
        (await ricardo.Post($"{team.Url}/articles", new { title = "Wlz in het kort", body = "Tekst.", channelId = team.Wlz })).StatusCode.ShouldBe(HttpStatusCode.Created);

        // Between the post and the forwarding: Khadija is removed, the guest loses Juridisch.
        (await coach.DeleteAsync($"{team.Url}/members/khadija")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await coach.DeleteAsync($"{team.Url}/channels/{team.Juridisch}/guests/gast")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ForwardAllAsync(forwarder);

        (await BellAsync(host, TestUser.Khadija)).Items.ShouldBeEmpty();
        (await BellAsync(host, TestUser.Guest)).Items.ShouldBeEmpty();
        (await BellAsync(host, TestUser.Sven)).Items.ShouldHaveSingleItem().Item.ShouldBe($"team/{team.Id}/post/{post.Id}");

        // Coming back later does not bring back what was not told then.
        (await coach.Post($"{team.Url}/members", new { memberKey = TestUser.Khadija.FhirUser, handle = "khadija", name = TestUser.Khadija.Name, role = "supporter" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await ForwardAllAsync(forwarder);
        (await BellAsync(host, TestUser.Khadija)).Items.ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_restarted_forwarder_goes_on_from_the_persisted_cursor(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var first = host.Service<TeamNotificationForwarder>();
        await first.StopAsync(CancellationToken.None);
        var team = await TestTeam.CreateAsync(host);
        var ricardo = host.As(TestUser.Ricardo);
        await team.PostAsync(ricardo, team.Wlz, "Eerst @sven.");
        await ForwardAllAsync(first);
        var store = host.Service<INotificationStore>();
        var cursor = await store.NotificationCursorAsync(TeamNotificationForwarder.Consumer);
        cursor.ShouldNotBeNull();

        // Written while no forwarder runs (the instance stopped): the next one, started fresh, picks it up.
        await team.PostAsync(ricardo, team.Wlz, "Dan @khadija.");
        var next = ActivatorUtilities.CreateInstance<TeamNotificationForwarder>(host.Server.Services);
        await next.StartAsync(CancellationToken.None);
        try
        {
            // Not reset to the newest: the started instance may already have forwarded the mention (the cursor then moved on),
            // so the proof is below: Khadija's mention reaches her bell, which a reset would have skipped.
            await ForwardAllAsync(next);
        }
        finally { await next.StopAsync(CancellationToken.None); }
        (await BellAsync(host, TestUser.Khadija)).Items.ShouldHaveSingleItem().Kind.ShouldBe(NotificationKinds.TeamMention);
        (await BellAsync(host, TestUser.Sven)).Items.ShouldHaveSingleItem();
    }
}
