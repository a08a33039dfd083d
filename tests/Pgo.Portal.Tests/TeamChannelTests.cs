using System.Text.Json;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Issue 17 in the team space: a channel shows how many posts are unread (kept by the Api, so on every device) and
/// opening it clears the mark; a channel can be followed, and then a new kennisbank article there is a notification. Works
/// in a channel of its own in the demo team "Copiloten Noord", so no other test's channels change.</summary>
public sealed class TeamChannelTests(PortalStack stack)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Created(long Id, string Slug);

    /// <summary>A different bondgenoot of the demo team per width: Identity takes each authenticator code once per account,
    /// and an account signed in too often within a minute runs out of codes that are still valid.</summary>
    private static DemoUser Bondgenoot(string name) => DemoUsers.All.Single(u => u.Email == $"{name}@bondgenoten.example");

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonSerializer.Deserialize<T>(body, Web)!;
    }

    /// <summary>A fresh channel in the demo team, made by its coach, with <paramref name="posts"/> threads by the coach.</summary>
    private async Task<(long Team, Created Channel)> ChannelAsync(HttpClient coach, string tag, int posts)
    {
        var team = (await ReadAsync<List<Created>>(await coach.GetAsync("/api/team/teams"))).Single(t => t.Slug == "copiloten-noord").Id;
        var channel = await ReadAsync<Created>(await coach.PostJsonAsync($"/api/team/teams/{team}/channels", new { name = $"Zz test {tag}", description = "Voor een test." }));
        for (var i = 1; i <= posts; i++)
            await ReadAsync<JsonElement>(await coach.PostJsonAsync($"/api/team/teams/{team}/channels/{channel.Id}/threads", new { body = $"Vraag {i} over de Wlz." }));
        return (team, channel);
    }

    /// <summary>Waits until the person's bell holds <paramref name="item"/> in the given read state (the forwarder polls each second).</summary>
    private static async Task BellItemAsync(HttpClient person, string item, bool read)
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var bell = await ReadAsync<JsonElement>(await person.GetAsync("/api/notifications?count=100"));
            var found = bell.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("item").GetString() == item).ToList();
            if (found.Count == 1 && found[0].GetProperty("read").GetBoolean() == read)
            {
                found[0].GetProperty("kind").GetString().ShouldBe("team-artikel");
                return;
            }
            found.Count.ShouldBeLessThanOrEqualTo(1, bell.ToString());
            if (DateTimeOffset.UtcNow > until) throw new ShouldAssertException($"{item} (read: {read}) did not come to the bell: {bell}");
            await Task.Delay(200);
        }
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task A_channel_shows_its_unread_posts_until_it_is_opened(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coach = await stack.ApiAsAsync(DemoUsers.Coach);
        var (team, channel) = await ChannelAsync(coach, tag, posts: 2);

        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(Bondgenoot(width < 600 ? "sven" : "khadija"));
        await page.OpenAsync("/team", "[data-testid=threads]");
        var item = $"[data-testid=channel-{channel.Slug}]";
        await page.ExpectAsync($"{item} [data-testid=channel-unread]");
        (await page.InnerTextAsync($"{item} [data-testid=channel-unread]")).ShouldBe("2 ongelezen");
        (await page.Locator(item).GetByRole(AriaRole.Button).TextContentAsync())!.ShouldContain("2 ongelezen"); // in the button's name
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // Opening the channel reads it: the mark goes, and stays gone after a reload (the Api keeps the marker).
        await page.Locator(item).GetByRole(AriaRole.Button).ClickAsync();
        await page.ExpectAsync($"#kanaal-kop >> text=Zz test {tag}");
        await page.WaitForSelectorAsync($"{item} [data-testid=channel-unread]", new() { State = WaitForSelectorState.Detached });
        await page.OpenAsync("/team", item);
        (await page.Locator($"{item} [data-testid=channel-unread]").CountAsync()).ShouldBe(0);

        // With another channel open, a new post by someone else brings the mark back at once, without a reload (the team hub).
        await page.Locator("[data-testid=channels] li").First.GetByRole(AriaRole.Button).ClickAsync();
        await page.ExpectAsync($"[data-testid=channels] li:first-child button[aria-current=true]");
        await ReadAsync<JsonElement>(await coach.PostJsonAsync($"/api/team/teams/{team}/channels/{channel.Id}/threads", new { body = "Nog een vraag." }));
        await page.ExpectAsync($"{item} [data-testid=channel-unread]");
        (await page.InnerTextAsync($"{item} [data-testid=channel-unread]")).ShouldBe("1 ongelezen");
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Following_a_channel_tells_of_a_new_article_there(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coach = await stack.ApiAsAsync(DemoUsers.Coach);
        var (team, channel) = await ChannelAsync(coach, tag, posts: 0);
        var member = Bondgenoot(width < 600 ? "hans" : "ilse");

        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(member);
        await page.OpenAsync("/team", "[data-testid=threads]");
        await page.Locator($"[data-testid=channel-{channel.Slug}]").GetByRole(AriaRole.Button).ClickAsync();
        await page.ExpectAsync($"#kanaal-kop >> text=Zz test {tag}");
        var toggle = page.Locator("[data-testid=follow-channel]");
        (await toggle.GetAttributeAsync("aria-pressed")).ShouldBe("false");
        await toggle.ClickAsync();
        await page.ExpectAsync("[data-testid=follow-channel][aria-pressed=true]");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // The coach writes an article for the channel: the bondgenoot, who follows it, is told; the text of the article is not in it.
        var slug = $"artikel-{tag}";
        await ReadAsync<JsonElement>(await coach.PostJsonAsync($"/api/team/teams/{team}/articles",
            new { title = $"Artikel {tag}", body = "Geheime inhoud die niet in een melding hoort.", slug, channelId = channel.Id }));
        using var follower = await stack.ApiAsAsync(member);
        var told = await ReadAsync<List<JsonElement>>(await follower.GetAsync("/api/team/notifications?unread=true"));
        var article = told.Where(n => n.GetProperty("articleSlug").GetString() == slug).ShouldHaveSingleItem();
        article.GetProperty("kind").GetString().ShouldBe("article");
        article.ToString().ShouldNotContain("Geheime inhoud");

        // It reaches the bell (the Api's forwarder), and opening the article from there marks it read.
        var item = $"team/{team}/article/{slug}";
        await BellItemAsync(follower, item, read: false);
        await page.OpenAsync($"/team?team={team}&artikel={slug}", $"article >> text=Artikel {tag}");
        await BellItemAsync(follower, item, read: true);

        // Following is kept by the Api: after a reload the toggle is still on; turning it off is kept too.
        await page.ReloadAsync();
        await page.Locator($"[data-testid=channel-{channel.Slug}]").GetByRole(AriaRole.Button).ClickAsync();
        await page.ExpectAsync("[data-testid=follow-channel][aria-pressed=true]");
        await page.Locator("[data-testid=follow-channel]").ClickAsync();
        await page.ExpectAsync("[data-testid=follow-channel][aria-pressed=false]");
        var view = await ReadAsync<JsonElement>(await follower.GetAsync($"/api/team/teams/{team}"));
        view.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == channel.Id).GetProperty("following").GetBoolean().ShouldBeFalse();
    }
}
