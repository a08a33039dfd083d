using System.Text.Json;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Issue 19 in the team space's conversation: a post shows live in another supporter's open channel; the guard warns
/// about a client of another member's caseload and the coach asks for an edit; one's own posts are edited and deleted; the
/// mention picker inserts a handle; Enter searches what is typed and a hit opens its thread. Each test works in a channel of
/// its own in the demo team "Copiloten Noord" (made by the coach through the Api), so no other test's channels change.</summary>
public sealed class TeamThreadTests(PortalStack stack)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Created(long Id, string Slug);

    /// <summary>A different bondgenoot per test and width: Identity takes each authenticator code once per account.</summary>
    private static DemoUser Bondgenoot(string name) => DemoUsers.All.Single(u => u.Email == $"{name}@bondgenoten.example");

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonSerializer.Deserialize<T>(body, Web)!;
    }

    /// <summary>A fresh channel in the demo team, made by its coach.</summary>
    private static async Task<(long Team, Created Channel)> ChannelAsync(HttpClient coach, string tag)
    {
        var team = (await ReadAsync<List<Created>>(await coach.GetAsync("/api/team/teams"))).Single(t => t.Slug == "copiloten-noord").Id;
        var channel = await ReadAsync<Created>(await coach.PostJsonAsync($"/api/team/teams/{team}/channels", new { name = $"Zz draad {tag}", description = "Voor een test." }));
        return (team, channel);
    }

    /// <summary>Opens the team screen and the test's channel.</summary>
    private static async Task OpenChannelAsync(IPage page, Created channel, string tag)
    {
        await page.OpenAsync("/team", "[data-testid=threads]");
        await page.Locator($"[data-testid=channel-{channel.Slug}]").GetByRole(AriaRole.Button).ClickAsync();
        await page.ExpectAsync($"#kanaal-kop >> text=Zz draad {tag}");
    }

    private static async Task<List<JsonElement>> ThreadsAsync(HttpClient client, long team, long channel) =>
        await ReadAsync<List<JsonElement>>(await client.GetAsync($"/api/team/teams/{team}/channels/{channel}/threads"));

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task A_post_appears_live_in_another_supporters_open_channel(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coach = await stack.ApiAsAsync(DemoUsers.Coach);
        var (_, channel) = await ChannelAsync(coach, tag);

        await using var readerContext = await stack.NewContextAsync(width);
        var reader = await readerContext.SignInAsync(Bondgenoot(width < 600 ? "ricardo" : "ilse"));
        await OpenChannelAsync(reader, channel, tag);
        await using var writerContext = await stack.NewContextAsync(width);
        var writer = await writerContext.SignInAsync(Bondgenoot(width < 600 ? "elise" : "hans"));
        await OpenChannelAsync(writer, channel, tag);

        // The writer starts a thread with a title and Markdown; the reader, who has the channel open, sees it without a reload,
        // with the title and the excerpt rendered (bold, not raw asterisks).
        await writer.FillAsync("#post-text-title", $"Vervoer naar dagbesteding {tag}");
        await writer.FillAsync("#post-text", "Wie weet hoe de **gemeente** het vervoer regelt?");
        await writer.ClickAsync("[data-testid=post-text-send]");
        await writer.ExpectAsync($"[data-testid=threads] >> text=Vervoer naar dagbesteding {tag}");
        await reader.ExpectAsync($"[data-testid=threads] >> text=Vervoer naar dagbesteding {tag}");
        (await reader.InnerTextAsync("[data-testid=threads]")).ShouldNotContain("**");
        (await reader.Locator("[data-testid=threads] strong >> text=gemeente").CountAsync()).ShouldBe(1);
        (await reader.SeriousViolationsAsync()).ShouldBeEmpty();

        // The reader opens the thread and replies; the writer, with the thread open, sees the reply come in and reacts to it;
        // the reader sees the reaction counted, live too.
        await writer.ClickAsync($"[data-testid=threads] button >> text=Vervoer naar dagbesteding {tag}");
        await writer.ExpectAsync("[data-testid=thread]");
        await reader.ClickAsync($"[data-testid=threads] button >> text=Vervoer naar dagbesteding {tag}");
        await reader.ExpectAsync("[data-testid=thread]");
        await reader.FillAsync("#reply-text", $"Bij ons via de Wmo-taxi {tag}.");
        await reader.ClickAsync("[data-testid=reply-text-send]");
        var reply = $"[data-testid=thread] [data-testid=post]:has-text('Wmo-taxi {tag}')";
        await writer.ExpectAsync(reply);
        var thumbs = writer.Locator(reply).Locator("[data-testid=reaction]").First;
        (await thumbs.GetAttributeAsync("aria-pressed")).ShouldBe("false");
        await thumbs.ClickAsync();
        await writer.ExpectAsync($"{reply} [data-testid=reaction][aria-pressed=true]");
        await reader.ExpectAsync($"{reply} [data-testid=reaction] .team-reaction-count >> text=1");
        (await writer.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task The_guard_warns_about_a_client_of_another_members_caseload_and_the_coach_asks_for_an_edit(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coachApi = await stack.ApiAsAsync(DemoUsers.Coach);
        var (team, channel) = await ChannelAsync(coachApi, tag);

        // Sven writes the name of Khadija's client in a title: the warning names it and nothing is saved.
        await using var svenContext = await stack.NewContextAsync(width);
        var sven = await svenContext.SignInAsync(Bondgenoot("sven"));
        await OpenChannelAsync(sven, channel, tag);
        await sven.FillAsync("#post-text-title", $"Vraag over Atilla Bilic {tag}");
        await sven.FillAsync("#post-text", "Hoe vraag je een herindicatie aan bij het CIZ?");
        await sven.ClickAsync("[data-testid=post-text-send]");
        await sven.ExpectAsync("[data-testid=guard-warning]");
        (await sven.InnerTextAsync("[data-testid=guard-warning]")).ShouldContain("Atilla Bilic");
        (await sven.InputValueAsync("#post-text-title")).ShouldBe($"Vraag over Atilla Bilic {tag}");
        (await ThreadsAsync(coachApi, team, channel.Id)).ShouldBeEmpty();
        (await sven.SeriousViolationsAsync()).ShouldBeEmpty();

        // Sven confirms: the post is saved, marked for the coach.
        await sven.ClickAsync("[data-testid=post-text-confirm]");
        await sven.ExpectAsync($"[data-testid=threads] >> text=Vraag over Atilla Bilic {tag}");
        var post = (await ThreadsAsync(coachApi, team, channel.Id)).ShouldHaveSingleItem().GetProperty("id").GetInt64();

        // The coach finds it under "Te controleren berichten" and asks for an edit, with a reason.
        await using var coachContext = await stack.NewContextAsync(width);
        var coach = await coachContext.SignInAsync(DemoUsers.Coach);
        await coach.OpenAsync("/team", "[data-testid=open-flagged]");
        await coach.Locator("[data-testid=open-flagged]").GetByRole(AriaRole.Button).ClickAsync();
        var flagged = $"[data-testid=flagged-post][data-post='{post}']";
        await coach.ExpectAsync(flagged);
        await coach.FillAsync($"#request-reason-{post}", "Haal de naam van het kind uit de titel.");
        (await coach.SeriousViolationsAsync()).ShouldBeEmpty();
        await coach.Locator(flagged).Locator("[data-testid=request-edit]").ClickAsync();
        await coach.ExpectAsync($"{flagged} >> text=om aanpassing gevraagd");

        // Sven sees the request on his post and edits it clean: the request is gone.
        await sven.ClickAsync($"[data-testid=threads] button >> text=Vraag over Atilla Bilic {tag}");
        await sven.ExpectAsync("[data-testid=edit-requested] >> text=Haal de naam van het kind uit de titel.");
        (await sven.InnerTextAsync("[data-testid=edit-requested]")).ShouldContain("De coach vraagt u dit bericht aan te passen");
        await sven.ClickAsync("[data-testid=thread] [data-testid=edit-post]");
        await sven.FillAsync($"#edit-{post}-title", $"Vraag over een herindicatie {tag}");
        await sven.ClickAsync($"[data-testid=edit-{post}-send]");
        await sven.ExpectAsync($"[data-testid=thread] [data-testid=post-title] >> text=Vraag over een herindicatie {tag}");
        await sven.WaitForSelectorAsync("[data-testid=edit-requested]", new() { State = WaitForSelectorState.Detached });
        (await sven.InnerTextAsync("[data-testid=thread]")).ShouldNotContain("Atilla");
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task A_supporter_edits_and_deletes_their_own_post(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coach = await stack.ApiAsAsync(DemoUsers.Coach);
        var (team, channel) = await ChannelAsync(coach, tag);
        await ReadAsync<JsonElement>(await coach.PostJsonAsync($"/api/team/teams/{team}/channels/{channel.Id}/threads", new { body = $"Een vraag van de coach {tag}." }));

        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(Bondgenoot(width < 600 ? "khadija" : "ricardo"));
        await OpenChannelAsync(page, channel, tag);
        await page.FillAsync("#post-text", $"Mijn eerste versie {tag}");
        await page.ClickAsync("[data-testid=post-text-send]");
        await page.ClickAsync($"[data-testid=threads] button >> text=Mijn eerste versie {tag}");
        await page.ExpectAsync("[data-testid=thread]");

        // Edit: the new text shows, marked "bewerkt".
        await page.ClickAsync("[data-testid=thread] [data-testid=edit-post]");
        var editor = page.Locator("[data-testid=thread] [data-testid=post] textarea"); // the post's own editor, not the reply box below
        await editor.FillAsync($"Mijn tweede versie {tag}");
        await page.Locator("[data-testid=thread] button:has-text('Opslaan')").ClickAsync();
        await page.ExpectAsync($"[data-testid=thread] [data-testid=post] .team-markdown >> text=Mijn tweede versie {tag}");
        (await page.InnerTextAsync("[data-testid=thread] [data-testid=post]")).ShouldContain("bewerkt");

        // Delete asks first; then the post says it was deleted, and the Api agrees.
        await page.ClickAsync("[data-testid=thread] [data-testid=delete-post]");
        await page.ExpectAsync("[data-testid=delete-confirm]");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=delete-yes]");
        await page.ExpectAsync("[data-testid=thread] >> text=Dit bericht is verwijderd.");
        (await ThreadsAsync(coach, team, channel.Id)).Where(t => !t.GetProperty("deleted").GetBoolean()).Select(t => t.GetProperty("body").GetString())
            .ShouldNotContain($"Mijn tweede versie {tag}");

        // Someone else's post has neither edit nor delete for a supporter.
        await page.ClickAsync("text=Terug naar het kanaal");
        await page.ClickAsync($"[data-testid=threads] button >> text=Een vraag van de coach {tag}");
        await page.ExpectAsync($"[data-testid=thread] >> text=Een vraag van de coach {tag}");
        (await page.Locator("[data-testid=thread] [data-testid=edit-post]").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=thread] [data-testid=delete-post]").CountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task The_mention_picker_inserts_a_handle(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coach = await stack.ApiAsAsync(DemoUsers.Coach);
        var (team, channel) = await ChannelAsync(coach, tag);

        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(Bondgenoot(width < 600 ? "ilse" : "elise"));
        await OpenChannelAsync(page, channel, tag);

        // Typing @kha offers Khadija; reached with the keyboard (Tab, Enter) it puts @khadija in the text.
        await page.ClickAsync("#post-text");
        await page.Keyboard.TypeAsync($"Vraag {tag} voor @kha");
        await page.ExpectAsync("[data-testid=post-text-mentions] [data-testid=mention-option] >> text=Khadija");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("() => document.activeElement?.textContent ?? ''")).ShouldContain("Khadija");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync($"() => document.querySelector('#post-text').value === 'Vraag {tag} voor @khadija '");
        await page.WaitForSelectorAsync("[data-testid=post-text-mentions]", new() { State = WaitForSelectorState.Detached });

        // Posted, the mention reaches Khadija.
        await page.Keyboard.TypeAsync("kun jij helpen?");
        await page.ClickAsync("[data-testid=post-text-send]");
        await page.ExpectAsync($"[data-testid=threads] >> text=Vraag {tag} voor");
        var post = (await ThreadsAsync(coach, team, channel.Id)).ShouldHaveSingleItem();
        post.GetProperty("body").GetString().ShouldBe($"Vraag {tag} voor @khadija kun jij helpen?");
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Enter_searches_the_typed_term_and_a_hit_opens_its_thread(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coach = await stack.ApiAsAsync(DemoUsers.Coach);
        var (team, channel) = await ChannelAsync(coach, tag);
        var word = $"zoekwoord{tag}";
        var root = await ReadAsync<Created>(await coach.PostJsonAsync($"/api/team/teams/{team}/channels/{channel.Id}/threads",
            new { title = $"Logeeropvang {tag}", body = "Wie kent een goede logeeropvang in de regio?" }));
        await ReadAsync<JsonElement>(await coach.PostJsonAsync($"/api/team/teams/{team}/posts/{root.Id}/replies", new { body = $"Probeer de {word} in het noorden." }));

        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(Bondgenoot(width < 600 ? "hans" : "khadija"));
        await page.OpenAsync("/team", "[data-testid=threads]");

        // First another term, then the real one: Enter searches what is in the box now, not the term before.
        await page.FillAsync("#team-search", "iets dat nergens staat qqq");
        await page.PressAsync("#team-search", "Enter");
        await page.ExpectAsync("#zoek-kop");
        await page.FillAsync("#team-search", word);
        await page.PressAsync("#team-search", "Enter");
        await page.ExpectAsync($"[data-testid=search-hit] >> text=Logeeropvang {tag}");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // The hit opens the reply in its thread, marked.
        await page.ClickAsync($"[data-testid=search-hit]:has-text('Logeeropvang {tag}')");
        await page.ExpectAsync($"[data-testid=thread] [data-testid=highlighted-post] >> text=Probeer de {word}");
        (await page.InnerTextAsync("[data-testid=thread]")).ShouldContain("Wie kent een goede logeeropvang");
        (await page.InnerTextAsync("#draad-kop")).ShouldBe($"Logeeropvang {tag}");
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task An_attachment_goes_with_a_post_and_downloads_through_the_Portal(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coach = await stack.ApiAsAsync(DemoUsers.Coach);
        var (_, channel) = await ChannelAsync(coach, tag);

        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(Bondgenoot(width < 600 ? "ricardo" : "sven"));
        await OpenChannelAsync(page, channel, tag);

        // A web page named .pdf is refused, in Dutch, and nothing is attached.
        await page.SetInputFilesAsync("[data-testid=post-text-file]", new FilePayload
        {
            Name = "brief.pdf", MimeType = "application/pdf", Buffer = "<html><body>geen pdf</body></html>"u8.ToArray(),
        });
        await page.ExpectAsync("[data-testid=attachment-error]");
        (await page.Locator("[data-testid=post-text-attachments]").CountAsync()).ShouldBe(0);

        // A real PDF is attached, posted with the text, and downloads through the Portal (the token stays on the server).
        var pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();
        await page.SetInputFilesAsync("[data-testid=post-text-file]", new FilePayload { Name = $"formulier-{tag}.pdf", MimeType = "application/pdf", Buffer = pdf });
        await page.ExpectAsync($"[data-testid=post-text-attachments] >> text=formulier-{tag}.pdf");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.FillAsync("#post-text", $"Het formulier voor de aanvraag {tag}.");
        await page.ClickAsync("[data-testid=post-text-send]");
        await page.ClickAsync($"[data-testid=threads] button >> text=Het formulier voor de aanvraag {tag}.");
        var link = page.Locator($"[data-testid=thread] a >> text=formulier-{tag}.pdf");
        await link.WaitForAsync();
        var href = await link.GetAttributeAsync("href");
        href.ShouldStartWith("/teambestanden/");
        var download = await context.APIRequest.GetAsync(href!);
        download.Status.ShouldBe(200);
        (await download.BodyAsync()).ShouldBe(pdf);
    }

    /// <summary>In a team of its own (named to sort after the demo teams, so no other test's /team changes): a member leaves
    /// after confirming and the team closes; another, removed by the coach while the team is open, sees it close live.</summary>
    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Leaving_the_team_closes_it_and_a_removal_closes_it_live(int width)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coach = await stack.ApiAsAsync(DemoUsers.Coach);
        var team = await ReadAsync<Created>(await coach.PostJsonAsync("/api/team/teams", new { name = $"Zz vertrek {tag}", slug = $"zz-vertrek-{tag}" }));
        var (leaver, removed) = width < 600 ? ("hans", "elise") : ("ilse", "khadija");
        foreach (var name in new[] { leaver, removed })
        {
            var user = Bondgenoot(name);
            await ReadAsync<JsonElement>(await coach.PostJsonAsync($"/api/team/teams/{team.Id}/members",
                new { memberKey = $"Person/bondgenoot-{name}", handle = name, name = user.Name, role = "supporter" }));
        }
        await ReadAsync<JsonElement>(await coach.PostJsonAsync($"/api/team/teams/{team.Id}/channels", new { name = "Algemeen", description = "Voor een test." }));

        await using var leaverContext = await stack.NewContextAsync(width);
        var page = await leaverContext.SignInAsync(Bondgenoot(leaver));
        await page.OpenAsync($"/team?team={team.Id}", $"h1 >> text=Zz vertrek {tag}");
        await page.ClickAsync("[data-testid=leave-team]");
        await page.ExpectAsync("[data-testid=leave-confirm]");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=leave-yes]");
        await page.ExpectAsync($"[data-testid=team-ended] >> text=U heeft Zz vertrek {tag} verlaten.");
        (await page.Locator("[data-testid=channels]").CountAsync()).ShouldBe(0);
        using (var api = await stack.ApiAsAsync(Bondgenoot(leaver)))
            (await api.GetAsync($"/api/team/teams/{team.Id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);

        await using var removedContext = await stack.NewContextAsync(width);
        var other = await removedContext.SignInAsync(Bondgenoot(removed));
        await other.OpenAsync($"/team?team={team.Id}", "[data-testid=channel-algemeen]");
        (await coach.DeleteAsync($"/api/team/teams/{team.Id}/members/{removed}")).IsSuccessStatusCode.ShouldBeTrue();
        await other.ExpectAsync("[data-testid=team-ended] >> text=U heeft geen toegang meer tot dit team.");
        (await other.Locator("[data-testid=channels]").CountAsync()).ShouldBe(0);
    }
}
