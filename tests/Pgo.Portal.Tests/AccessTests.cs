using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Toegang for a tired parent (issue 16): a card per person on a phone, revoking the right person through a dialog
/// that opens on Annuleren and closes with Escape, and "wie heeft wat bekeken" in plain sentences.</summary>
public sealed class AccessTests(PortalStack stack)
{
    private const string Jesse = "strikwerda-jesse";
    private const string Toegang = "/dossier/" + Jesse + "/toegang";

    [Fact]
    public async Task On_a_phone_Toegang_shows_a_card_per_person_and_revokes_the_right_person()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        using var api = await stack.ApiAsAsync(DemoUsers.Tessa);
        // Two people of our own with a grant each (never a demo grant other tests need): one to keep, one to revoke.
        var keep = await RelatedPersonAsync(api, "Kees", $"Blijft {run}");
        var go = await RelatedPersonAsync(api, "Gerda", $"Gaat {run}");
        var keepGrant = await GrantAsync(api, keep);
        var goGrant = await GrantAsync(api, go);
        try
        {
            await using var context = await stack.NewContextAsync(375, 800);
            var page = await context.SignInAsync(DemoUsers.Tessa);
            await page.OpenAsync(Toegang, $"[data-actor='{go}']");
            // A card: the name and the revoke button both on the screen, the page not scrolling sideways, and only the
            // sections the person has listed (not a dash for each of the thirteen).
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
            var card = page.Locator($"[data-actor='{go}']");
            (await card.Locator("[data-testid=access-name]").InnerTextAsync()).ShouldBe($"Gerda Gaat {run}");
            var button = (await card.Locator("[data-testid=revoke]").BoundingBoxAsync())!;
            (button.X + button.Width).ShouldBeLessThanOrEqualTo(375);
            (await card.Locator("td:visible").CountAsync()).ShouldBe(3); // plan, doelen and the buttons ("tot wanneer" has no date)
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();

            // The dialog opens on Annuleren (Enter does no harm) and Escape closes it without revoking anything.
            await card.Locator("[data-testid=revoke]").ClickAsync();
            await page.ExpectAsync("[data-testid=revoke-cancel]");
            await Assertions.Expect(page.Locator("[data-testid=revoke-cancel]")).ToBeFocusedAsync(new() { Timeout = 15_000 });
            (await page.GetByRole(AriaRole.Dialog).InnerTextAsync()).ShouldContain($"Gerda Gaat {run}");
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator("[data-testid=revoke-cancel]")).ToHaveCountAsync(0);
            (await card.CountAsync()).ShouldBe(1);

            await card.Locator("[data-testid=revoke]").ClickAsync();
            await page.ClickAsync("[data-testid=revoke-confirm]");
            await page.ExpectAsync("text=De toegang is ingetrokken.");
            await Assertions.Expect(page.Locator($"[data-actor='{go}']")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator($"[data-actor='{keep}']")).ToHaveCountAsync(1);
            var overview = await GetJsonAsync(api, $"/api/dossiers/{Jesse}/access");
            var grants = overview.GetProperty("grants").EnumerateArray().ToDictionary(g => g.GetProperty("id").GetString()!, g => g.GetProperty("inForce").GetBoolean());
            grants[goGrant].ShouldBeFalse();
            grants[keepGrant].ShouldBeTrue();

            // On a desktop the table keeps the name in view beside the buttons, however far the sections are scrolled.
            // (Opened afresh at that width: a phone page made wide opens its side menu while we measure.)
            await page.ResizeAsync(1280, 900);
            await page.OpenAsync(Toegang, $"[data-actor='{keep}']");
            await page.EvaluateAsync("() => { const r = document.querySelector('.matrix-scroll'); r.scrollLeft = r.scrollWidth; }");
            var row = page.Locator($"[data-actor='{keep}']");
            var name = (await row.Locator("th").BoundingBoxAsync())!;
            var region = (await page.Locator(".matrix-scroll").First.BoundingBoxAsync())!;
            name.X.ShouldBeGreaterThanOrEqualTo(region.X - 1);
            var revoke = (await row.Locator("[data-testid=revoke]").BoundingBoxAsync())!;
            (revoke.X + revoke.Width).ShouldBeLessThanOrEqualTo(region.X + region.Width + 1);
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        }
        finally
        {
            foreach (var grant in new[] { keepGrant, goGrant }) await api.DeleteAsync($"/api/dossiers/{Jesse}/access/grants/{grant}");
            foreach (var person in new[] { keep, go }) await api.DeleteAsync($"/fhir/{person}");
        }
    }

    [Fact]
    public async Task Who_viewed_what_tells_the_case_managers_reads_as_a_sentence()
    {
        // Annelies Bos (case manager) opens one of Jesse's goals through the Api, as her screen would.
        string goalId, goal;
        using (var bos = await stack.ApiAsAsync(DemoUsers.Bos))
        {
            var bundle = await GetJsonAsync(bos, $"/fhir/Goal?patient=Patient/{Jesse}&_count=1");
            var first = bundle.GetProperty("entry")[0].GetProperty("resource");
            goalId = first.GetProperty("id").GetString()!;
            goal = first.GetProperty("description").GetProperty("text").GetString()!;
            (await bos.GetAsync($"/fhir/Goal/{goalId}")).EnsureSuccessStatusCode();
        }

        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync(Toegang, "[data-testid=audit-search]");
        await page.ClickAsync("[data-testid=audit-search]");
        var sentence = page.Locator("[data-testid=audit-person-sentence]", new() { HasText = "Annelies Bos" });
        await Assertions.Expect(sentence).ToHaveCountAsync(1);
        var text = await sentence.InnerTextAsync();
        text.ShouldStartWith("Annelies Bos");
        text.ShouldContain(" bekeek ");
        text.ShouldContain("doel");
        text.ShouldContain(", laatst op ");
        text.ShouldNotContain("Practitioner/");
        // Per item: this goal was viewed by her. Names, not ids, and by default not the parent's own looks.
        await Assertions.Expect(page.Locator("[data-testid=audit-item-sentence]", new() { HasText = $"{goal} werd bekeken door" }).First).ToContainTextAsync("Annelies Bos");
        var all = string.Join("\n", await page.Locator("[data-testid=audit-people], [data-testid=audit-items]").AllInnerTextsAsync());
        all.ShouldNotContain("Tessa Strikwerda");
        all.ShouldNotContain("Practitioner/");
        all.ShouldNotContain("Goal/");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // The technical log stays, and downloads as a CSV that Dutch Excel opens: byte order mark, ';', Dutch words.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=audit-export]"));
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        bytes.Take(3).ToArray().ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var csv = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        csv.ShouldStartWith("nr;tijdstip;wie;rol");
        csv.ShouldContain($";bekeek;Goal/{goalId};");

        await page.ResizeAsync(1280, 900);
        await page.ExpectAsync("[data-testid=audit-table] tbody tr");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_hide_is_listed_per_person_and_undone_and_a_pending_invitation_says_what_it_gives()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        using var api = await stack.ApiAsAsync(DemoUsers.Tessa);
        var person = await RelatedPersonAsync(api, "Hanna", $"Verborgen {run}");
        var grant = await GrantAsync(api, person);
        var goals = await GetJsonAsync(api, $"/fhir/Goal?patient=Patient/{Jesse}&_count=1");
        var goal = goals.GetProperty("entry")[0].GetProperty("resource");
        var hide = await api.PostJsonAsync($"/api/dossiers/{Jesse}/access/hidden-items", new { item = $"Goal/{goal.GetProperty("id").GetString()}", hiddenFrom = person });
        hide.IsSuccessStatusCode.ShouldBeTrue(await hide.Content.ReadAsStringAsync());
        var email = $"meekijker-{run}@example.org";
        try
        {
            await using var context = await stack.NewContextAsync();
            var page = await context.SignInAsync(DemoUsers.Tessa);
            var hidden = $"[data-testid=hidden-items][data-actor='{person}']";
            await page.OpenAsync(Toegang, hidden);
            (await page.InnerTextAsync(hidden)).ShouldContain(goal.GetProperty("description").GetProperty("text").GetString()!);
            (await page.GetByRole(AriaRole.Heading, new() { Name = $"Verborgen voor Hanna Verborgen {run}" }).CountAsync()).ShouldBe(1);

            // A pending invitation says what the invitee will get, not only when the link ends.
            await page.FillAsync("#invite-email", email);
            await page.ClickAsync("[data-testid=invite]");
            var gets = page.Locator("[data-testid=invitation]", new() { HasText = email }).Locator("[data-testid=invitation-gets]");
            await Assertions.Expect(gets).ToContainTextAsync("alleen meekijken");
            (await gets.InnerTextAsync()).ShouldContain("Doelen");
            (await gets.InnerTextAsync()).ShouldContain("zonder einddatum");
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();

            await page.ClickAsync($"{hidden} [data-testid=unhide]");
            await page.ExpectAsync("text=is weer zichtbaar voor");
            await Assertions.Expect(page.Locator(hidden)).ToHaveCountAsync(0);
            var overview = await GetJsonAsync(api, $"/api/dossiers/{Jesse}/access");
            overview.GetProperty("grants").EnumerateArray().Where(g => g.GetProperty("kind").GetString() == "hidden-item" && g.GetProperty("inForce").GetBoolean())
                .Select(g => g.GetProperty("actors")[0].GetString()).ShouldNotContain(person);

            // On a phone (opened there: a desktop page made narrow keeps its side menu open) the invitation fits the screen.
            await page.ResizeAsync(375, 800);
            await page.OpenAsync(Toegang, $"[data-testid=invitation]:has-text('{email}')");
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();
            await page.ClickAsync($"[data-testid=invitation]:has-text('{email}') button");
            await page.ExpectAsync("text=De uitnodiging is ingetrokken.");
        }
        finally
        {
            await api.DeleteAsync($"/api/dossiers/{Jesse}/access/grants/{grant}");
            await api.DeleteAsync($"/fhir/{person}");
        }
    }

    private static async Task<string> RelatedPersonAsync(HttpClient api, string given, string family)
    {
        var body = JsonSerializer.Serialize(new
        {
            resourceType = "RelatedPerson", active = true, patient = new { reference = $"Patient/{Jesse}" },
            name = new[] { new { given = new[] { given }, family } },
        });
        using var content = new StringContent(body, Encoding.UTF8, "application/fhir+json");
        var response = await api.PostAsync("/fhir/RelatedPerson", content);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return $"RelatedPerson/{json.RootElement.GetProperty("id").GetString()}";
    }

    private static async Task<string> GrantAsync(HttpClient api, string actor)
    {
        var response = await api.PostJsonAsync($"/api/dossiers/{Jesse}/access/grants", new { actor, role = "gezinslid", sections = new[] { "plan", "doelen" } });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient api, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await api.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }
}
