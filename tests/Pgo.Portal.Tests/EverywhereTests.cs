using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Issue 16, "everywhere": times on the person's own clock (never the server's zone, never UTC), Markdown shown
/// rendered, and "wat is er veranderd" opening the item itself; at a phone's and a desktop's width, with axe-core.</summary>
public sealed class EverywhereTests(PortalStack stack)
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>A context like <see cref="PortalStack.NewContextAsync"/>, with the browser's time zone set.</summary>
    private async Task<IBrowserContext> ContextInZoneAsync(string zone, int width = 1280)
    {
        var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Locale = "nl-NL",
            TimezoneId = zone,
            BaseURL = stack.PortalUrl,
        });
        context.SetDefaultTimeout(60_000);
        return context;
    }

    /// <summary>The note's moment as the Api stored it (UTC), to compare with what the screen shows.</summary>
    private async Task<DateTimeOffset> StoredAtAsync(DemoUser user, string noteId)
    {
        using var api = await stack.ApiAsAsync(user);
        var json = JsonNode.Parse(await api.GetStringAsync($"/fhir/DocumentReference/{noteId}"))!;
        return DateTimeOffset.Parse(json["meta"]!["lastUpdated"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    private static string Shown(DateTimeOffset at, string zone) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("d MMM yyyy HH:mm", Dutch);

    [Fact]
    public async Task A_logbook_note_shows_its_time_in_Amsterdam_time_and_its_bold_text_as_bold_not_asterisks()
    {
        var karin = DemoUsers.All.Single(u => u.Email == "karin@frank.example");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var item = $"[data-testid=notes] > li:has-text('Tijd {tag}')";

        await using var amsterdam = await ContextInZoneAsync("Europe/Amsterdam", 375);
        var page = await amsterdam.SignInAsync(karin);
        await page.OpenAsync("/dossier/frank-leo/logboek", "[data-testid=save-note]");
        await page.FillAsync("#note-text", $"Tijd {tag}: de school belt **vet** terug.");
        await page.ClickAsync("[data-testid=save-note]");
        await page.ExpectAsync($"{item} [data-testid=note-text] strong");

        // Bold, not asterisks.
        (await page.InnerTextAsync($"{item} [data-testid=note-text] strong")).ShouldBe("vet");
        (await page.InnerTextAsync(item)).ShouldNotContain("**");

        // A known instant: the moment the Api stored, shown on the Amsterdam clock, not in UTC (on a fresh load, so no
        // snackbar is still fading in when axe looks).
        var noteId = (await page.GetAttributeAsync(item, "id"))!["DocumentReference-".Length..];
        await page.OpenAsync("/dossier/frank-leo/logboek", $"{item} [data-testid=note-text] strong");
        var stored = await StoredAtAsync(karin, noteId);
        var text = await page.InnerTextAsync(item);
        text.ShouldContain(Shown(stored, "Europe/Amsterdam"));
        text.ShouldNotContain(stored.UtcDateTime.ToString("d MMM yyyy HH:mm", Dutch));
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // The browser's own zone where it says one: the same note in a browser in New York shows New York time.
        await using var newYork = await ContextInZoneAsync("America/New_York");
        var there = await newYork.SignInAsync(karin);
        await there.OpenAsync("/dossier/frank-leo/logboek", $"{item} [data-testid=note-text] strong");
        (await there.InnerTextAsync(item)).ShouldContain(Shown(stored, "America/New_York"));
        (await there.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_change_on_the_dossier_home_opens_the_note_it_is_about()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var mother = new NewAccount($"mirjam-{run}@example.org", "Mirjam de Wit");

        // A family of its own: the dossier's changes are only this test's.
        await using var context = await ContextInZoneAsync("Europe/Amsterdam");
        var page = await context.RegisterAsync(mother);
        var confirmation = await stack.WaitForMailAsync(mother.Email, "Bevestig uw e-mailadres");
        var confirm = await context.NewPageAsync();
        await confirm.GotoAsync(confirmation.LinkTo("/account/bevestigen"));
        await confirm.ExpectAsync("#confirmed");
        await confirm.CloseAsync();
        await page.OpenAsync("/", "[data-testid=start-dossier]");
        await page.ClickAsync("[data-testid=start-dossier]");
        await page.ExpectAsync("[data-testid=create-dossier]");
        await page.FillAsync("#dossier-given", "Sem");
        await page.FillAsync("#dossier-family", "de Wit");
        await page.FillAsync("#dossier-birth", "2016-05-20");
        await page.ClickAsync("[data-testid=create-dossier]");
        await page.ExpectAsync("main h1:has-text('Sem de Wit')");
        var dossier = new Uri(page.Url).AbsolutePath;

        await page.OpenAsync(dossier + "/logboek", "[data-testid=save-note]");
        await page.FillAsync("#note-text", $"Gesprek {run} met de **mentor**");
        await page.ClickAsync("[data-testid=save-note]");
        await page.ExpectAsync($"[data-testid=notes] > li:has-text('Gesprek {run}')");
        var noteId = await page.GetAttributeAsync($"[data-testid=notes] > li:has-text('Gesprek {run}')", "id");

        foreach (var width in new[] { 375, 1280 })
        {
            await page.ResizeAsync(width);
            // No earlier visit in this browser: the home lists the latest changes (each visit moves "since uw vorige bezoek").
            await page.EvaluateAsync("() => localStorage.clear()");
            await page.OpenAsync(dossier, "[data-testid=since][data-visit=read]");
            var change = page.Locator("[data-testid=changes] a", new() { HasText = $"Gesprek {run}" });
            await change.WaitForAsync();
            // The preview is the text, not its Markdown.
            (await change.InnerTextAsync()).ShouldNotContain("**");
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();

            await change.ClickAsync();
            await page.ExpectAsync($"[id='{noteId}'].pgo-target");
            new Uri(page.Url).AbsolutePath.ShouldBe(dossier + "/logboek");
            new Uri(page.Url).Fragment.ShouldBe("#" + noteId);
            (await page.EvaluateAsync<string?>("() => document.activeElement?.id")).ShouldBe(noteId);
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        }
    }
}
