using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>
/// Issue 19, signalling across teams: a supporter of Copiloten Noord marks a post as a knelpunt in the Portal, Noor of
/// Copiloten Zuid marks one through the Api with the same theme and instantie; Femke, the landelijk coördinator, sees it
/// once in her programme view, counted twice (two signals, two teams, the families summed), sets it "aangekaart" with an
/// outcome, and the supporter sees that on the post. The CSV and the printable report hold the counts and no name of an
/// author and no post text. Each width uses a theme and instantie of its own (not in the demo data), in fresh threads.
/// </summary>
public sealed class SignallingTests(PortalStack stack)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The demo accounts of issue 19 (Identity/Demo/DemoAccounts.cs), with two factors as every account that is no family's.</summary>
    private static readonly DemoUser Femke = new("coordinator@programma.example", "Femke Jansen (landelijk coördinator)", "coordinator", true, []);
    private static readonly DemoUser Noor = new("noor@copiloten-zuid.example", "Noor (copiloot)", "supporter", true, []);

    private static DemoUser Bondgenoot(string name) => DemoUsers.All.Single(u => u.Email == $"{name}@bondgenoten.example");

    private sealed record Created(long Id, string Slug);

    private sealed record Channel(long Id, string Slug);

    private sealed record TeamView(long Id, string Slug, string Name, List<Channel> Channels);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonSerializer.Deserialize<T>(body, Web)!;
    }

    private static async Task<TeamView> TeamAsync(HttpClient person, string slug)
    {
        var id = (await ReadAsync<List<Created>>(await person.GetAsync("/api/team/teams"))).Single(t => t.Slug == slug).Id;
        return await ReadAsync<TeamView>(await person.GetAsync($"/api/team/teams/{id}"));
    }

    /// <summary>A new thread by <paramref name="person"/> in the first channel of their team: its post id.</summary>
    private static async Task<long> ThreadAsync(HttpClient person, TeamView team, string body) =>
        (await ReadAsync<JsonElement>(await person.PostJsonAsync($"/api/team/teams/{team.Id}/channels/{team.Channels[0].Id}/threads", new { body })))
            .GetProperty("id").GetInt64();

    [Theory]
    [InlineData(375, "vervoer", "Vervoer", "zorgverzekeraar", "Zorgverzekeraar", "khadija")]
    [InlineData(1280, "inkomen", "Inkomen en uitkeringen", "uwv", "UWV", "elise")]
    public async Task A_knelpunt_marked_in_two_teams_is_one_bundle_counted_twice_and_its_outcome_reaches_the_post(
        int width, string theme, string themeName, string instantie, string instantieName, string supporterName)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var canary = $"kanarie{tag}";
        var supporter = Bondgenoot(supporterName);

        // Two fresh threads: one by the supporter in Copiloten Noord (marked in the Portal), one by Noor in Copiloten Zuid
        // (marked through the Api), both with a canary in the text that must never leave the team.
        using var supporterApi = await stack.ApiAsAsync(supporter);
        var noord = await TeamAsync(supporterApi, "copiloten-noord");
        var post = await ThreadAsync(supporterApi, noord, $"De {instantieName} houdt de aanvraag al maanden aan. {canary}");
        using var noorApi = await stack.ApiAsAsync(Noor);
        var zuid = await TeamAsync(noorApi, "copiloten-zuid");
        var noorPost = await ThreadAsync(noorApi, zuid, $"Hier loopt het ook vast bij de {instantieName}. {canary}");
        await ReadAsync<JsonElement>(await noorApi.PutAsJsonAsync($"/api/team/teams/{zuid.Id}/posts/{noorPost}/bottleneck",
            new { instantie, theme, families = 3, summary = "Aanvragen blijven maanden liggen zonder bericht." }, Web));

        // The supporter marks her post in the Portal: the form offers the Dutch names, the guard stops a client's name.
        await using var supporterContext = await stack.NewContextAsync(width);
        var page = await supporterContext.SignInAsync(supporter);
        await page.OpenAsync($"/team?team={noord.Id}&post={post}", $"[data-testid=knelpunt][data-post='{post}'] [data-testid=knelpunt-action]");
        var mark = $"[data-testid=knelpunt][data-post='{post}']";
        await page.ClickAsync($"{mark} [data-testid=knelpunt-action]");
        await page.ExpectAsync($"{mark} [data-testid=knelpunt-form]");
        await page.SelectAsync($"knelpunt-{post}-instantie", instantieName);
        await page.SelectAsync($"knelpunt-{post}-thema", themeName);
        await page.FillAsync($"#knelpunt-{post}-gezinnen", "2");
        if (supporterName == "khadija")
        {
            // Her own client's name in the description: refused, shown in Dutch, nothing stored, the form kept.
            await page.FillAsync($"#knelpunt-{post}-beschrijving", "Atilla Bilic wacht al maanden op vervoer.");
            await page.ClickAsync($"{mark} [data-testid=knelpunt-save]");
            await page.ExpectAsync($"{mark} [data-testid=knelpunt-guard], {mark} [data-testid=problem]");
            (await page.Locator($"{mark} [data-testid=knelpunt-badge]").CountAsync()).ShouldBe(0);
            var stored = await ReadAsync<JsonElement>(await supporterApi.GetAsync($"/api/team/teams/{noord.Id}/posts/{post}/thread"));
            stored.GetProperty("root").GetProperty("bottleneck").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        await page.FillAsync($"#knelpunt-{post}-beschrijving", "Aanvragen blijven maanden liggen zonder bericht.");
        await page.ClickAsync($"{mark} [data-testid=knelpunt-save]");
        await page.ExpectAsync($"{mark} [data-testid=knelpunt-badge]");
        var badge = await page.InnerTextAsync($"{mark} [data-testid=knelpunt-badge]");
        badge.ShouldContain(themeName);
        badge.ShouldContain(instantieName);
        badge.ShouldContain("2 gezinnen");
        badge.ShouldNotContain(theme, Case.Sensitive); // Dutch names, never codes
        badge.ShouldNotContain(instantie, Case.Sensitive);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.PhotographAsync($"knelpunt-post-{width}", mark);

        // Femke's programme view: one bundle for the theme and instantie, two signals from two teams, five families.
        await using var femkeContext = await stack.NewContextAsync(width);
        var femke = await femkeContext.SignInAsync(Femke);
        if (width >= 960) await femke.ExpectAsync("nav a[href='/signalering']"); // the menu item is the coordinator's
        await femke.OpenAsync("/signalering", "[data-testid=bundles]");
        await femke.SelectAsync("filter-thema", themeName);
        await femke.SelectAsync("filter-instantie", instantieName);
        var row = $"[data-testid=bundle][data-theme={theme}][data-instantie={instantie}]";
        await femke.ExpectAsync(row);
        (await femke.Locator("[data-testid=bundle]").CountAsync()).ShouldBe(1, "the filter by theme and instantie leaves one bundle");
        (await femke.InnerTextAsync($"{row} [data-testid=bundle-signals]")).Trim().ShouldBe("2");
        (await femke.InnerTextAsync($"{row} [data-testid=bundle-teams]")).Trim().ShouldBe("2");
        (await femke.InnerTextAsync($"{row} [data-testid=bundle-families]")).Trim().ShouldBe("5");
        (await femke.InnerTextAsync("[data-testid=bundles]")).ShouldNotContain(canary);
        (await femke.SeriousViolationsAsync()).ShouldBeEmpty();

        await femke.ClickAsync($"{row} [data-testid=bundle-open]");
        await femke.ExpectAsync("[data-testid=bundle-detail] [data-testid=per-team]");
        var teams = await femke.Locator("[data-testid=per-team] [data-testid=team-row] th").AllInnerTextsAsync();
        teams.OrderBy(t => t, StringComparer.Ordinal).ShouldBe(["Copiloten Noord", "Copiloten Zuid"]);
        (await femke.Locator("[data-testid=per-month] [data-testid=month-row]").CountAsync()).ShouldBeGreaterThanOrEqualTo(1);
        (await femke.InnerTextAsync("[data-testid=month-chart]")).ShouldContain("2 signalen");
        var detail = await femke.InnerTextAsync("[data-testid=bundle-detail]");
        detail.ShouldContain("Aanvragen blijven maanden liggen zonder bericht.");
        detail.ShouldNotContain(canary);
        detail.ShouldNotContain(supporter.Name);
        detail.ShouldNotContain(Noor.Name);
        var bundleId = long.Parse(await femke.GetAttributeAsync("[data-testid=bundle-detail]", "data-bundle") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        // "Aangekaart" needs with whom: the Api refuses without it, in Dutch, and the form keeps the outcome typed.
        var raisedWith = $"de klantenservice van de {instantieName} ({tag})";
        var outcome = $"Aanvragen krijgen binnen vier weken een besluit ({tag}).";
        await femke.SelectAsync("bundle-new-status", "Aangekaart");
        await femke.FillAsync("#bundle-outcome", outcome);
        await femke.ClickAsync("[data-testid=bundle-save]");
        await femke.ExpectAsync("[data-testid=problem]");
        (await femke.InputValueAsync("#bundle-outcome")).ShouldBe(outcome);
        await femke.FillAsync("#bundle-raised-with", raisedWith);
        await femke.ClickAsync("[data-testid=bundle-save]");
        await femke.ExpectAsync($"[data-testid=detail-status] >> text=Aangekaart bij {raisedWith}");
        await femke.ExpectAsync($"[data-testid=history] >> text=Aangekaart bij {raisedWith}");
        (await femke.SeriousViolationsAsync()).ShouldBeEmpty();
        await femke.PhotographAsync($"signalering-{width}");

        // The CSV through the Portal (the token stays on the server): the header, the counts, no canary and no author.
        var csv = await femke.APIRequest.GetAsync($"/signalering/{bundleId}/csv");
        csv.Status.ShouldBe(200, await csv.TextAsync());
        csv.Headers["content-disposition"].ShouldContain("attachment");
        var csvText = await csv.TextAsync();
        csvText.ShouldContain("thema", Case.Insensitive);
        csvText.ShouldContain("Copiloten Zuid");
        csvText.ShouldNotContain(canary);
        csvText.ShouldNotContain(supporter.Name);
        csvText.ShouldNotContain(Noor.Name);

        // The printable report: the counts, the outcome, no author names, no post text.
        await femke.OpenAsync($"/signalering/{bundleId}/rapport", "[data-testid=signal-report]");
        await femke.ExpectAsync("[data-testid=signal-report] [data-testid=print]");
        (await femke.InnerTextAsync("[data-testid=signal-report] [data-testid=total-signals]")).Trim().ShouldBe("2");
        (await femke.InnerTextAsync("[data-testid=signal-report] [data-testid=total-teams]")).Trim().ShouldBe("2");
        var report = await femke.InnerTextAsync("[data-testid=signal-report]");
        report.ShouldContain(themeName);
        report.ShouldContain(raisedWith);
        report.ShouldContain(outcome);
        report.ShouldNotContain(canary);
        report.ShouldNotContain(supporter.Name);
        report.ShouldNotContain(Noor.Name);
        report.ShouldNotContain(Femke.Name);
        (await femke.SeriousViolationsAsync()).ShouldBeEmpty();
        await femke.PhotographAsync($"signalering-rapport-{width}");

        // The supporter sees it on her post: with whom it was raised and the outcome.
        await page.OpenAsync($"/team?team={noord.Id}&post={post}", $"{mark} [data-testid=knelpunt-badge][data-status=aangekaart]");
        (await page.InnerTextAsync($"{mark} [data-testid=knelpunt-status]")).ShouldContain($"Aangekaart bij {raisedWith}");
        (await page.InnerTextAsync($"{mark} [data-testid=knelpunt-outcome]")).ShouldContain(outcome);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // A supporter has no programme view: no menu item, a Dutch note on the screen (the Api refuses her anyway).
        (await page.Locator("nav a[href='/signalering']").CountAsync()).ShouldBe(0);
        await page.OpenAsync("/signalering", "[data-testid=not-coordinator]");
    }

    /// <summary>The coach's knelpunten of the team: per theme and instantie by their Dutch names, the families, and what the
    /// landelijk coördinator did with it (the demo's CIZ bundle is aangekaart). Reads the demo data only.</summary>
    [Fact]
    public async Task The_coach_sees_the_teams_knelpunten_with_what_the_coordinator_did()
    {
        await using var context = await stack.NewContextAsync(1280);
        var page = await context.SignInAsync(DemoUsers.Coach);
        await page.OpenAsync("/team", "[data-testid=threads]");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gesignaleerde knelpunten" }).ClickAsync();
        await page.ExpectAsync("[data-testid=team-signals] [data-testid=team-signal]");
        var view = await page.InnerTextAsync("[data-testid=team-signals]");
        view.ShouldContain("Wlz-indicatie · CIZ");
        view.ShouldContain("Pgb en SVB · SVB");
        view.ShouldContain("Aangekaart bij CIZ, regionaal overleg");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }
}
