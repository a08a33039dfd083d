using System.Net;
using Pgo.Shared.Contracts;

namespace Pgo.Api.Tests.TeamSpace;

/// <summary>A team made through the API: the coach, three supporters, an expert and a guest, and three channels (Juridisch opened to the guest).</summary>
public sealed record TestTeam(long Id, long Wlz, long Pgb, long Juridisch)
{
    public string Url => $"/api/team/teams/{Id}";

    public static async Task<TestTeam> CreateAsync(TeamSpaceHost host, string slug = "testteam")
    {
        var coach = host.As(TestUser.Coach);
        var created = await coach.Post("/api/team/teams", new { name = "Testteam " + slug, slug, handle = "marieke" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Read<Pgo.Shared.Contracts.TeamView>()).Id;
        foreach (var (user, handle, role) in new[]
        {
            (TestUser.Ricardo, "ricardo", "supporter"), (TestUser.Khadija, "khadija", "supporter"), (TestUser.Sven, "sven", "supporter"),
            (TestUser.Expert, "joyce", "expert"), (TestUser.Guest, "gast", "guest"),
        })
        {
            var added = await coach.Post($"/api/team/teams/{id}/members", new { memberKey = user.FhirUser, handle, name = user.Name, role });
            added.StatusCode.ShouldBe(HttpStatusCode.OK, await added.Content.ReadAsStringAsync());
        }
        async Task<long> Channel(string name) =>
            (await (await coach.Post($"/api/team/teams/{id}/channels", new { name })).Read<Pgo.Shared.Contracts.ChannelView>()).Id;
        var team = new TestTeam(id, await Channel("Aanvragen Wlz"), await Channel("PGB en SVB"), await Channel("Juridisch"));
        (await coach.Put($"{team.Url}/channels/{team.Juridisch}/guests/gast")).StatusCode.ShouldBe(HttpStatusCode.OK);
        return team;
    }

    public async Task<Pgo.Shared.Contracts.PostView> PostAsync(HttpClient client, long channel, string body, bool confirmed = false)
    {
        var response = await client.Post($"{Url}/channels/{channel}/threads", new { body, confirmed });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Read<Pgo.Shared.Contracts.PostView>();
    }

    public async Task<Pgo.Shared.Contracts.PostView> ReplyAsync(HttpClient client, long postId, string body)
    {
        var response = await client.Post($"{Url}/posts/{postId}/replies", new { body });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Read<Pgo.Shared.Contracts.PostView>();
    }
}
