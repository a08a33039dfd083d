using System.Net;
using Pgo.Api.TeamSpace;
using Pgo.Api.TeamSpace.Posts;
using Pgo.Api.TeamSpace.Teams;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>Who may do what: the decisions of TeamSpaceAuthorization, through the API and on their own.</summary>
public class AccessTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Only_members_read_a_team_and_signing_in_is_required(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var post = await team.PostAsync(host.As(TestUser.Ricardo), team.Wlz, "Alleen voor het team");

        await (await host.Anonymous().GetAsync(team.Url)).Problem(401);
        var outsider = host.As(TestUser.Outsider);
        foreach (var url in new[] { team.Url, $"{team.Url}/members", $"{team.Url}/channels/{team.Wlz}/threads", $"{team.Url}/posts/{post.Id}",
                     $"{team.Url}/search?q=team", $"{team.Url}/articles", $"{team.Url}/unread" })
            await (await outsider.GetAsync(url)).Problem(404);
        await (await outsider.Post($"{team.Url}/channels/{team.Wlz}/threads", new { body = "ik ook" })).Problem(404);
        (await outsider.GetJson<List<TeamSummary>>("/api/team/teams")).ShouldBeEmpty();
        (await host.As(TestUser.Ricardo).GetJson<List<TeamSummary>>("/api/team/teams")).ShouldHaveSingleItem().MyRole.ShouldBe("supporter");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Guests_read_and_post_only_in_the_channels_opened_to_them(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var guest = host.As(TestUser.Guest);
        var wlzPost = await team.PostAsync(host.As(TestUser.Ricardo), team.Wlz, "Niet voor gasten");

        var view = await guest.GetJson<TeamView>(team.Url);
        view.MyRole.ShouldBe("guest");
        view.Channels.Select(c => c.Id).ShouldBe([team.Juridisch]);
        await (await guest.GetAsync($"{team.Url}/channels/{team.Wlz}/threads")).Problem(404);
        await (await guest.GetAsync($"{team.Url}/posts/{wlzPost.Id}")).Problem(404);
        await (await guest.Post($"{team.Url}/posts/{wlzPost.Id}/replies", new { body = "reactie" })).Problem(404);
        await (await guest.GetAsync($"{team.Url}/articles")).Problem(403);

        var own = await team.PostAsync(guest, team.Juridisch, "Vraag van de gast over bezwaar");
        (await guest.GetJson<List<PostView>>($"{team.Url}/channels/{team.Juridisch}/threads")).ShouldHaveSingleItem().Id.ShouldBe(own.Id);

        // Closing the channel ends access at once.
        (await host.As(TestUser.Coach).DeleteAsync($"{team.Url}/channels/{team.Juridisch}/guests/gast")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await guest.GetAsync($"{team.Url}/posts/{own.Id}")).Problem(404);
        // Only guests get channels opened; others read all channels anyway.
        await (await host.As(TestUser.Coach).Put($"{team.Url}/channels/{team.Juridisch}/guests/ricardo")).Problem(422);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Leaving_the_team_ends_access_at_once(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var sven = host.As(TestUser.Sven);
        var post = await team.PostAsync(sven, team.Wlz, "Mijn laatste bericht");

        var left = await (await sven.DeleteAsync($"{team.Url}/members/me")).Read<MemberView>();
        left.Handle.ShouldBe("sven");
        await (await sven.GetAsync($"{team.Url}/posts/{post.Id}")).Problem(404);
        await (await sven.Put($"{team.Url}/posts/{post.Id}", new { body = "toch nog even" })).Problem(404);
        (await sven.GetJson<List<TeamSummary>>("/api/team/teams")).ShouldBeEmpty();

        // The coach removes a member the same way; the last coach cannot leave.
        (await host.As(TestUser.Coach).DeleteAsync($"{team.Url}/members/ricardo")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await host.As(TestUser.Ricardo).GetAsync(team.Url)).Problem(404);
        await (await host.As(TestUser.Coach).DeleteAsync($"{team.Url}/members/me")).Problem(409);
        await (await host.As(TestUser.Khadija).DeleteAsync($"{team.Url}/members/joyce")).Problem(403);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Moderation_of_anothers_post_needs_a_reason_and_is_logged_for_the_coach(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        var post = await team.PostAsync(host.As(TestUser.Ricardo), team.Wlz, "Een bericht met een detail dat eruit moet");
        var other = await team.PostAsync(host.As(TestUser.Ricardo), team.Wlz, "Nog een bericht");

        // A supporter cannot touch another's post.
        await (await host.As(TestUser.Khadija).Put($"{team.Url}/posts/{post.Id}", new { body = "anders" })).Problem(403);
        await (await host.As(TestUser.Khadija).DeleteAsync($"{team.Url}/posts/{post.Id}")).Problem(403);
        // A moderator must say why.
        var noReason = await (await host.As(TestUser.Expert).Put($"{team.Url}/posts/{post.Id}", new { body = "Een bericht" })).Problem(400);
        noReason.GetProperty("errors").GetProperty("reason").GetArrayLength().ShouldBe(1);

        (await host.As(TestUser.Expert).Put($"{team.Url}/posts/{post.Id}", new { body = "Een bericht", reason = "detail verwijderd" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.As(TestUser.Coach).DeleteAsync($"{team.Url}/posts/{other.Id}?reason=dubbel+geplaatst")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var log = await host.As(TestUser.Coach).GetJson<List<ModerationEntry>>($"{team.Url}/moderation");
        log.Select(e => (e.PostId, e.Action, e.Moderator.Key, e.AuthorKey, e.Reason)).ShouldBe([
            (other.Id, "verwijderd", TestUser.Coach.FhirUser, TestUser.Ricardo.FhirUser, "dubbel geplaatst"),
            (post.Id, "bewerkt", TestUser.Expert.FhirUser, TestUser.Ricardo.FhirUser, "detail verwijderd"),
        ]);
        await (await host.As(TestUser.Expert).GetAsync($"{team.Url}/moderation")).Problem(403);
        await (await host.As(TestUser.Ricardo).GetAsync($"{team.Url}/moderation")).Problem(403);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Only_the_coach_manages_members_and_channels(string provider)
    {
        await using var host = TeamSpaceHost.Start(provider);
        var team = await TestTeam.CreateAsync(host);
        await (await host.As(TestUser.Ricardo).Post($"{team.Url}/members", new { memberKey = "Person/x", handle = "x1", name = "X", role = "supporter" })).Problem(403);
        await (await host.As(TestUser.Expert).Post($"{team.Url}/channels", new { name = "Nieuw" })).Problem(403);
        await (await host.As(TestUser.Coach).Post($"{team.Url}/channels", new { name = "Aanvragen Wlz" })).Problem(409);
        await (await host.As(TestUser.Coach).Post($"{team.Url}/members", new { memberKey = "Person/y", handle = "ricardo", name = "Y", role = "supporter" })).Problem(409);
        await (await host.As(TestUser.Coach).Post($"{team.Url}/members", new { memberKey = "Person/y", handle = "yy", name = "Y", role = "baas" })).Problem(400);
        (await host.As(TestUser.Guest).Post("/api/team/teams", new { name = "Eigen team" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // The last coach cannot be turned into something else.
        await (await host.As(TestUser.Coach).Post($"{team.Url}/members", new { memberKey = TestUser.Coach.FhirUser, handle = "marieke", name = "M", role = "supporter" })).Problem(409);
    }

    /// <summary>The decision table itself, without HTTP: one row per role and operation.</summary>
    [Fact]
    public void The_decision_table()
    {
        var caller = new TeamCaller("Person/a", "a", "A", []);
        TeamAccess As(string? role, params long[] guestChannels) => new(caller, 1,
            role is null ? null : new MemberRow { TeamId = 1, MemberKey = "Person/a", Handle = "a", DisplayName = "A", Role = role }, guestChannels.ToHashSet());

        var none = As(null);
        foreach (var op in Enum.GetValues<TeamOperation>()) TeamSpaceAuthorization.Can(none, op, 7, "Person/a").ShouldBeFalse(op.ToString());

        var supporter = As(TeamRoles.Supporter);
        TeamSpaceAuthorization.Can(supporter, TeamOperation.ReadChannel, 7).ShouldBeTrue();
        TeamSpaceAuthorization.Can(supporter, TeamOperation.EditOwnPost, 7, "Person/a").ShouldBeTrue();
        TeamSpaceAuthorization.Can(supporter, TeamOperation.EditOwnPost, 7, "Person/b").ShouldBeFalse();
        TeamSpaceAuthorization.Can(supporter, TeamOperation.ModeratePost, 7).ShouldBeFalse();
        TeamSpaceAuthorization.Can(supporter, TeamOperation.WriteArticles).ShouldBeTrue();
        TeamSpaceAuthorization.Can(supporter, TeamOperation.ReviewArticle).ShouldBeFalse();
        TeamSpaceAuthorization.Can(supporter, TeamOperation.ReadBottlenecks).ShouldBeFalse();

        var guest = As(TeamRoles.Guest, 7);
        TeamSpaceAuthorization.Can(guest, TeamOperation.Post, 7).ShouldBeTrue();
        TeamSpaceAuthorization.Can(guest, TeamOperation.ReadChannel, 8).ShouldBeFalse();
        TeamSpaceAuthorization.Can(guest, TeamOperation.ReadArticles).ShouldBeFalse();
        TeamSpaceAuthorization.Can(guest, TeamOperation.MarkBottleneck, 7).ShouldBeFalse();

        var expert = As(TeamRoles.Expert);
        TeamSpaceAuthorization.Can(expert, TeamOperation.ModeratePost, 7).ShouldBeTrue();
        TeamSpaceAuthorization.Can(expert, TeamOperation.ReviewArticle).ShouldBeTrue();
        TeamSpaceAuthorization.Can(expert, TeamOperation.ReadModerationLog).ShouldBeFalse();

        var coach = As(TeamRoles.Coach);
        foreach (var op in Enum.GetValues<TeamOperation>()) TeamSpaceAuthorization.Can(coach, op, 7, "Person/a").ShouldBeTrue(op.ToString());
        TeamSpaceAuthorization.Can(coach, TeamOperation.ReadChannel).ShouldBeFalse(); // a channel operation names its channel
    }
}
