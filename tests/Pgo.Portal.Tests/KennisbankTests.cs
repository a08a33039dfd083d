using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Issue 19, the kennisbank in the Portal: a bondgenoot writes an article and edits it (the diff shows the changed
/// line), asks for review, the coach approves it (the writer sees it live), another bondgenoot finds it by another Dutch word
/// form and opens it, and a [[slug]] link opens the linked article. Fresh articles in the demo team "Copiloten Noord" (their
/// slugs carry a random tag), so no other test's data changes.</summary>
public sealed class KennisbankTests(PortalStack stack)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Created(long Id, string Slug);

    private static DemoUser Bondgenoot(string name) => DemoUsers.All.Single(u => u.Email == $"{name}@bondgenoten.example");

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonSerializer.Deserialize<T>(body, Web)!;
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task A_bondgenoot_writes_an_article_the_coach_approves_it_and_another_finds_it_by_a_word_form(int width)
    {
        // Letters only, so that both search engines read the tag as one plain word.
        var tag = new string(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());
        var (writer, finder) = width < 600 ? (Bondgenoot("ricardo"), Bondgenoot("elise")) : (Bondgenoot("ilse"), Bondgenoot("hans"));
        long team;
        var target = $"bron-{tag}";
        using (var coachApi = await stack.ApiAsAsync(DemoUsers.Coach))
        {
            team = (await ReadAsync<List<Created>>(await coachApi.GetAsync("/api/team/teams"))).Single(t => t.Slug == "copiloten-noord").Id;
            await ReadAsync<Created>(await coachApi.PostJsonAsync($"/api/team/teams/{team}/articles",
                new { title = $"Bron {tag}", slug = target, category = "Test", body = "Waar de regels staan." }));
        }

        // The bondgenoot writes the article, with a link to another one.
        await using var writing = await stack.NewContextAsync(width);
        var page = await writing.SignInAsync(writer);
        await page.OpenAsync($"/team/{team}/kennisbank", "[data-testid=kennisbank]");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=article-new]");
        await page.ExpectAsync("#kb-title");
        await page.FillAsync("#kb-title", $"Zorgplek {tag}");
        await page.FillAsync("#kb-category", "Wlz");
        await page.FillAsync("#kb-tags", $"zorgplek, t{tag}");
        await page.FillAsync("#kb-body", $"Wij aanvragen de zorgplek {tag} bij het zorgkantoor.\n\nZie [[{target}]] voor de regels.");
        await page.ClickAsync("[data-testid=kb-preview-toggle]");
        await page.ExpectAsync("[data-testid=kb-preview] >> text=voor de regels");
        await page.ClickAsync("[data-testid=kb-preview-toggle]");
        await page.ClickAsync("[data-testid=kb-save]");
        await page.ExpectAsync($"[data-testid=article] h2 >> text=Zorgplek {tag}");
        var slug = new Uri(page.Url).AbsolutePath.Split('/').Last();
        slug.ShouldContain(tag);

        // An edit makes version 2; the diff between the versions shows the changed line, marked by a word as well as a colour.
        await page.ClickAsync("[data-testid=article-edit]");
        await page.ExpectAsync("#kb-body");
        await page.FillAsync("#kb-body", $"Wij aanvragen de zorgplek {tag} bij het zorgkantoor in de regio.\n\nZie [[{target}]] voor de regels.");
        await page.FillAsync("#kb-note", "regio erbij");
        await page.ClickAsync("[data-testid=kb-save]");
        await page.ExpectAsync("[data-testid=article-body] >> text=in de regio");
        await page.ClickAsync("[data-testid=article-versions]");
        await page.ExpectAsync("[data-testid=version-list] >> text=regio erbij");
        await page.ClickAsync("[data-testid=article-compare]");
        await page.ExpectAsync("[data-testid=article-diff]");
        (await page.InnerTextAsync("[data-testid=article-diff] .kb-diff-added")).ShouldContain("in de regio");
        (await page.InnerTextAsync("[data-testid=article-diff] .kb-diff-added")).ShouldContain("Toegevoegd:");
        (await page.InnerTextAsync("[data-testid=article-diff] .kb-diff-removed")).ShouldContain("Weggehaald:");
        (await page.InnerTextAsync("[data-testid=article-diff] .kb-diff-removed")).ShouldNotContain("in de regio");

        // Asking for review marks the article for the coach.
        await page.ClickAsync("[data-testid=article-ask-review]");
        await page.FillAsync("#kb-review-note", "Klopt de volgorde?");
        await page.ClickAsync("[data-testid=article-send-review]");
        await page.ExpectAsync("[data-testid=review-requested] >> text=Klopt de volgorde?");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // The coach sees it waiting in the list and approves it; the writer's open article shows it without a reload.
        await using (var coaching = await stack.NewContextAsync(width))
        {
            var coach = await coaching.SignInAsync(DemoUsers.Coach);
            await coach.OpenAsync($"/team/{team}/kennisbank", $"[data-testid=article-{slug}] [data-testid=article-waiting]");
            await coach.ClickAsync($"[data-testid=article-{slug}] a");
            await coach.ExpectAsync("[data-testid=article-approve]");
            await coach.ClickAsync("[data-testid=article-approve]");
            await coach.ExpectAsync("[data-testid=last-reviewed]");
            (await coach.Locator("[data-testid=review-requested]").CountAsync()).ShouldBe(0);
        }
        await page.ExpectAsync("[data-testid=last-reviewed]");
        (await page.Locator("[data-testid=review-requested]").CountAsync()).ShouldBe(0);

        // Another bondgenoot searches "aanvraag" and finds the article that says "aanvragen", and opens it.
        await using var finding = await stack.NewContextAsync(width);
        var other = await finding.SignInAsync(finder);
        await other.OpenAsync($"/team/{team}/kennisbank", "[data-testid=kennisbank]");
        await other.FillAsync("#kb-search", $"aanvraag {tag}");
        await other.PressAsync("#kb-search", "Enter");
        await other.ExpectAsync($"[data-testid=kb-hits] >> text=Zorgplek {tag}");
        (await other.SeriousViolationsAsync()).ShouldBeEmpty();
        await other.GetByRole(AriaRole.Link, new() { Name = $"Zorgplek {tag}" }).First.ClickAsync();
        await other.ExpectAsync($"[data-testid=article] h2 >> text=Zorgplek {tag}");
        await other.ExpectAsync("[data-testid=last-reviewed]");

        // Its [[slug]] link opens the linked article, which lists it as a backlink.
        await other.ClickAsync($"[data-testid=article-body] a[href$='/kennisbank/{target}']");
        await other.ExpectAsync($"[data-testid=article] h2 >> text=Bron {tag}");
        await other.ExpectAsync($"[data-testid=backlinks] >> text=Zorgplek {tag}");
        new Uri(other.Url).AbsolutePath.ShouldBe($"/team/{team}/kennisbank/{target}");
        (await other.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task A_thread_becomes_an_article_and_an_edit_that_crossed_another_keeps_the_text(int width)
    {
        var tag = new string(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());
        var writer = Bondgenoot(width < 600 ? "khadija" : "sven");
        using var coachApi = await stack.ApiAsAsync(DemoUsers.Coach);
        var team = (await ReadAsync<List<Created>>(await coachApi.GetAsync("/api/team/teams"))).Single(t => t.Slug == "copiloten-noord").Id;
        var channel = await ReadAsync<Created>(await coachApi.PostJsonAsync($"/api/team/teams/{team}/channels", new { name = $"Zz kennis {tag}", description = "Voor een test." }));
        var post = await ReadAsync<Created>(await coachApi.PostJsonAsync($"/api/team/teams/{team}/channels/{channel.Id}/threads",
            new { body = $"Tip {tag}: vraag het zorgkantoor om een gesprek aan tafel." }));

        // The thread's post, made into an article: the editor starts from its text; the article links back to the conversation.
        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(writer);
        await page.OpenAsync($"/team/{team}/kennisbank?uit={post.Id}", "[data-testid=article-editor]");
        (await page.InputValueAsync("#kb-body")).ShouldContain($"Tip {tag}");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.FillAsync("#kb-title", $"Gesprek aan tafel {tag}");
        await page.ClickAsync("[data-testid=kb-save]");
        await page.ExpectAsync($"[data-testid=article] h2 >> text=Gesprek aan tafel {tag}");
        var slug = new Uri(page.Url).AbsolutePath.Split('/').Last();
        (await page.GetAttributeAsync("[data-testid=article-source]", "href")).ShouldBe($"/team?team={team}&post={post.Id}");

        // The writer edits while the coach saves a new version: nothing is lost, the other text is shown, a second save wins.
        await page.ClickAsync("[data-testid=article-edit]");
        await page.ExpectAsync("#kb-body");
        using (var response = await coachApi.PutAsJsonAsync($"/api/team/teams/{team}/articles/{slug}",
            new { title = $"Gesprek aan tafel {tag}", body = $"Tip {tag}: vraag het zorgkantoor om een gesprek, door de coach aangevuld.", baseVersion = 1 }, Web))
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        await page.FillAsync("#kb-body", $"Tip {tag}: mijn eigen aanvulling.");
        await page.ClickAsync("[data-testid=kb-save]");
        await page.ExpectAsync("[data-testid=kb-conflict]");
        (await page.InputValueAsync("#kb-body")).ShouldBe($"Tip {tag}: mijn eigen aanvulling.");
        (await page.InnerTextAsync("[data-testid=kb-conflict]")).ShouldContain("Iemand anders heeft het artikel intussen gewijzigd");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=kb-save]");
        await page.ExpectAsync("[data-testid=article-body] >> text=mijn eigen aanvulling");
        var versions = await ReadAsync<List<JsonElement>>(await coachApi.GetAsync($"/api/team/teams/{team}/articles/{slug}/versions"));
        versions.Count.ShouldBe(3);
    }
}
