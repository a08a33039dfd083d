using Microsoft.AspNetCore.SignalR.Client;
using Pgo.Api.Realtime;
using Pgo.Api.Tests.Fhir;
using static Pgo.Api.Tests.Realtime.LiveFamily;

namespace Pgo.Api.Tests.Realtime;

/// <summary>
/// Scale-out: two real Api processes on one database and one Redis (PGO_TEST_REDIS, started by ./pgo test). A change
/// written through one reaches a client of the other, and presence shown on one is seen on the other.
/// </summary>
public class TwoInstanceTests
{
    [Fact]
    public async Task A_change_written_through_one_instance_reaches_a_client_of_the_other()
    {
        var redis = Needs.Redis();
        var dataDir = Directory.CreateTempSubdirectory("pgo-two-instances-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["SignalR__Redis"] = redis,
                // No polling to fall back on: what reaches the other instance comes through Redis.
                ["Realtime__PollInterval"] = "00:10:00",
            };
            using var a = await ApiProcess.StartAsync(dataDir, environment);
            using var b = await ApiProcess.StartAsync(dataDir, environment);
            await SeedAsync(a.Client);

            await using var parentOnB = LiveClient.Remote(b.Client.BaseAddress!, TestTokens.Person(Parent));
            await using var parentOnA = LiveClient.Remote(a.Client.BaseAddress!, TestTokens.Person(Parent));
            var joined = await parentOnB.StartAndJoinAsync(Child);
            await parentOnA.StartAndJoinAsync(Child);

            await PutAsync(a.Client, Goal("rt-goal", "Geschreven via instantie A"));
            var change = await parentOnB.NextChangeAsync();
            (change.ResourceType, change.Id, change.Version).ShouldBe(("Goal", "rt-goal", 2));
            change.Cursor.ShouldBeGreaterThan(joined.Cursor);
            (await parentOnA.NextChangeAsync()).Cursor.ShouldBe(change.Cursor);

            // Presence through the backplane: the parent on B views the goal, the supporter on A edits it; B sees both.
            await using var supporterOnA = LiveClient.Remote(a.Client.BaseAddress!, TestTokens.Person(Supporter));
            await supporterOnA.StartAndJoinAsync(Child);
            await parentOnB.Connection.InvokeAsync("SetPresence", Child, "Goal/rt-goal", "viewing");
            await supporterOnA.Connection.InvokeAsync("SetPresence", Child, "Goal/rt-goal", "editing");
            PresenceMessage? seen = null;
            while (seen is null || seen.People.Count < 2)
            {
                var (name, body) = await parentOnB.NextAsync();
                if (name == LiveEvents.Presence) seen = System.Text.Json.JsonSerializer.Deserialize<PresenceMessage>(body, System.Text.Json.JsonSerializerOptions.Web);
            }
            seen.People.ShouldBe([new PresenceEntry(Parent, PresenceBoard.Viewing), new PresenceEntry(Supporter, PresenceBoard.Editing)]);
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
