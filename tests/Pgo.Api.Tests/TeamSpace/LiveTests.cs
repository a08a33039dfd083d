using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>/hubs/team against the in-process server: new posts, edits and reactions arrive live, only for members.</summary>
public class LiveTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>A hub connection that keeps every event it receives, in order.</summary>
    private sealed class HubClient : IAsyncDisposable
    {
        private readonly Channel<(string Name, object Payload)> _events = Channel.CreateUnbounded<(string, object)>();

        public HubClient(TeamSpaceHost host, TestUser? user)
        {
            Connection = new HubConnectionBuilder()
                .WithUrl(new Uri(host.Server.BaseAddress, "/hubs/team"), o =>
                {
                    o.Transports = HttpTransportType.LongPolling;
                    o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                    if (user is not null) o.Headers[TestAuthHandler.Header] = TestAuthHandler.HeaderValue(user);
                })
                .Build();
            foreach (var name in new[] { "postCreated", "postEdited", "postDeleted", "reactionsChanged", "pinChanged" })
                Connection.On<PostView>(name, p => _events.Writer.TryWrite((name, p)));
            Connection.On<ArticleSummary>("articleChanged", a => _events.Writer.TryWrite(("articleChanged", a)));
            Connection.On<System.Text.Json.JsonElement>("teamAccessEnded", e => _events.Writer.TryWrite(("teamAccessEnded", e)));
        }

        public HubConnection Connection { get; }

        public async Task<(string Name, object Payload)> NextAsync()
        {
            using var cts = new CancellationTokenSource(Wait);
            return await _events.Reader.ReadAsync(cts.Token);
        }

        public bool TryNext(out (string Name, object Payload) next) => _events.Reader.TryRead(out next);

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task New_posts_edits_and_reactions_reach_the_members_of_the_channel(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        await using var khadija = new HubClient(host, TestUser.Khadija);
        await khadija.Connection.StartAsync();
        await khadija.Connection.InvokeAsync("JoinChannel", team.Id, team.Wlz);

        var ricardo = host.As(TestUser.Ricardo);
        var post = await team.PostAsync(ricardo, team.Wlz, "Live: nieuwe **tip**");
        var created = await khadija.NextAsync();
        created.Name.ShouldBe("postCreated");
        var view = (PostView)created.Payload;
        (view.Id, view.Body).ShouldBe((post.Id, "Live: nieuwe **tip**"));
        view.Html.ShouldContain("<strong>tip</strong>");

        await ricardo.Put($"{team.Url}/posts/{post.Id}", new { body = "Live: aangepast" });
        var edited = await khadija.NextAsync();
        (edited.Name, ((PostView)edited.Payload).Body).ShouldBe(("postEdited", "Live: aangepast"));

        await host.As(TestUser.Sven).Put($"{team.Url}/posts/{post.Id}/reactions/{Uri.EscapeDataString("💡")}");
        var reacted = await khadija.NextAsync();
        reacted.Name.ShouldBe("reactionsChanged");
        ((PostView)reacted.Payload).Reactions.ShouldHaveSingleItem().Emoji.ShouldBe("💡");

        // A post in a channel the client did not join does not arrive.
        await team.PostAsync(ricardo, team.Pgb, "Ander kanaal");
        await team.ReplyAsync(ricardo, post.Id, "Antwoord in het gevolgde kanaal");
        var reply = await khadija.NextAsync();
        ((PostView)reply.Payload).Body.ShouldBe("Antwoord in het gevolgde kanaal");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Joining_a_channel_checks_membership(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var other = await TestTeam.CreateAsync(host, "ander-team");

        await using var outsider = new HubClient(host, TestUser.Outsider);
        await outsider.Connection.StartAsync();
        (await Should.ThrowAsync<HubException>(() => outsider.Connection.InvokeAsync("JoinChannel", team.Id, team.Wlz))).Message.ShouldContain("niet voor je opengesteld");

        await using var guest = new HubClient(host, TestUser.Guest);
        await guest.Connection.StartAsync();
        await Should.ThrowAsync<HubException>(() => guest.Connection.InvokeAsync("JoinChannel", team.Id, team.Wlz));
        await guest.Connection.InvokeAsync("JoinChannel", team.Id, team.Juridisch);

        // A channel id is only valid within its own team (Ricardo is a member of both teams).
        await using var ricardo = new HubClient(host, TestUser.Ricardo);
        await ricardo.Connection.StartAsync();
        await Should.ThrowAsync<HubException>(() => ricardo.Connection.InvokeAsync("JoinChannel", team.Id, other.Wlz));

        await using var anonymous = new HubClient(host, null);
        await Should.ThrowAsync<Exception>(async () =>
        {
            await anonymous.Connection.StartAsync();
            await anonymous.Connection.InvokeAsync("JoinChannel", team.Id, team.Wlz);
        });
    }

    [Fact]
    public async Task An_anonymous_negotiate_is_refused_at_the_door_with_401()
    {
        await using var host = TeamSpaceHost.Start("sqlite");

        var negotiate = await host.Anonymous().PostAsync("/hubs/team/negotiate?negotiateVersion=1", null);

        negotiate.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        await using var anonymous = new HubClient(host, null);
        (await Should.ThrowAsync<HttpRequestException>(() => anonymous.Connection.StartAsync())).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Leaving_the_team_removes_the_connection_from_the_channel_groups(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        await using var sven = new HubClient(host, TestUser.Sven);
        await using var khadija = new HubClient(host, TestUser.Khadija);
        foreach (var c in new[] { sven, khadija })
        {
            await c.Connection.StartAsync();
            await c.Connection.InvokeAsync("JoinChannel", team.Id, team.Wlz);
        }

        await host.As(TestUser.Sven).DeleteAsync($"{team.Url}/members/me");
        (await sven.NextAsync()).Name.ShouldBe("teamAccessEnded");

        // The post request returns after its group send was handed to every connection in the group (TeamLive awaits
        // it), and a hub call's answer comes after anything sent on that connection before it. So once Sven's own call
        // has returned, a copy of the post would already be in his queue: proof by order, no waiting on a timer.
        await team.PostAsync(host.As(TestUser.Ricardo), team.Wlz, "Na het vertrek van Sven");
        (await khadija.NextAsync()).Name.ShouldBe("postCreated");
        await sven.Connection.InvokeAsync("LeaveChannel", team.Id, team.Wlz);
        sven.TryNext(out var late).ShouldBeFalse($"Sven received {late.Name}");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Kennisbank_changes_reach_full_members_and_a_guest_cannot_join(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        await using var khadija = new HubClient(host, TestUser.Khadija);
        await khadija.Connection.StartAsync();
        await khadija.Connection.InvokeAsync("JoinKennisbank", team.Id);

        await using var guest = new HubClient(host, TestUser.Guest);
        await guest.Connection.StartAsync();
        await Should.ThrowAsync<HubException>(() => guest.Connection.InvokeAsync("JoinKennisbank", team.Id));
        await using var outsider = new HubClient(host, TestUser.Outsider);
        await outsider.Connection.StartAsync();
        await Should.ThrowAsync<HubException>(() => outsider.Connection.InvokeAsync("JoinKennisbank", team.Id));

        var ricardo = host.As(TestUser.Ricardo);
        await ricardo.Post($"{team.Url}/articles", new { title = "Live artikel", body = "Versie een." });
        var created = await khadija.NextAsync();
        created.Name.ShouldBe("articleChanged");
        ((ArticleSummary)created.Payload).ShouldSatisfyAllConditions(a => a.Slug.ShouldBe("live-artikel"), a => a.Version.ShouldBe(1));

        await ricardo.Put($"{team.Url}/articles/live-artikel", new { title = "Live artikel", body = "Versie twee.", baseVersion = 1 });
        ((ArticleSummary)(await khadija.NextAsync()).Payload).Version.ShouldBe(2);
        await ricardo.Post($"{team.Url}/articles/live-artikel/review-request", new { });
        ((ArticleSummary)(await khadija.NextAsync()).Payload).ReviewRequested.ShouldBeTrue();
        await host.As(TestUser.Coach).PostAsync($"{team.Url}/articles/live-artikel/review", null);
        var reviewed = (ArticleSummary)(await khadija.NextAsync()).Payload;
        (reviewed.ReviewRequested, reviewed.LastReviewedAt is not null).ShouldBe((false, true));

        // The guest heard none of it (a hub call's answer comes after anything sent on that connection before it).
        await guest.Connection.InvokeAsync("JoinChannel", team.Id, team.Juridisch);
        guest.TryNext(out var leaked).ShouldBeFalse($"The guest received {leaked.Name}");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Leaving_the_team_ends_the_kennisbank_group(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        await using var sven = new HubClient(host, TestUser.Sven);
        await using var khadija = new HubClient(host, TestUser.Khadija);
        foreach (var c in new[] { sven, khadija })
        {
            await c.Connection.StartAsync();
            await c.Connection.InvokeAsync("JoinKennisbank", team.Id);
        }

        await host.As(TestUser.Sven).DeleteAsync($"{team.Url}/members/me");
        var ended = await sven.NextAsync();
        ended.Name.ShouldBe("teamAccessEnded");
        var payload = (System.Text.Json.JsonElement)ended.Payload;
        payload.GetProperty("teamId").GetInt64().ShouldBe(team.Id);
        payload.GetProperty("channelId").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null); // the whole team

        await host.As(TestUser.Ricardo).Post($"{team.Url}/articles", new { title = "Na het vertrek", body = "Alleen voor de leden." });
        (await khadija.NextAsync()).Name.ShouldBe("articleChanged");
        await sven.Connection.InvokeAsync("LeaveKennisbank", team.Id);
        sven.TryNext(out var late).ShouldBeFalse($"Sven received {late.Name}");
        // Joining again is refused now that he is no member.
        await Should.ThrowAsync<HubException>(() => sven.Connection.InvokeAsync("JoinKennisbank", team.Id));
    }
}
