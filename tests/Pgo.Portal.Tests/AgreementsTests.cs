using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Agreements (Task) in the plan and "mijn afspraken": the owner is chosen from the dossier's network (a member
/// without an account such as opa Jan, a professional with one), the due date changes afterwards, ticking off shows the
/// stored state at once, and the professional finds what was assigned to her under "mijn afspraken". Works in Jesse
/// Strikwerda's dossier with uniquely named agreements and a network member of its own, all removed afterwards.</summary>
public sealed class AgreementsTests(PortalStack stack)
{
    private const string Plan = "/dossier/strikwerda-jesse/plan";
    private const string Team = "strikwerda-netwerk";

    [Fact]
    public async Task A_bondgenoot_assigns_agreements_to_opa_Jan_and_the_case_manager_who_finds_hers_under_mijn_afspraken()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var opaJan = $"opa Jan {tag}";
        using var api = await stack.ApiAsAsync(DemoUsers.Ricardo);
        // Opa Jan has no account: a RelatedPerson in the dossier's network (the CareTeam), as the Network screen writes him.
        var jan = await CreateAsync(api, "RelatedPerson", new JsonObject
        {
            ["resourceType"] = "RelatedPerson",
            ["active"] = true,
            ["patient"] = new JsonObject { ["reference"] = "Patient/strikwerda-jesse" },
            ["name"] = new JsonArray(new JsonObject { ["text"] = opaJan }),
            ["relationship"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://fhir.pgo-platform.nl/CodeSystem/netwerkrol", ["code"] = "grootouder" }) }),
        });
        await ChangeTeamAsync(api, participants => participants.Add(new JsonObject
        {
            ["member"] = new JsonObject { ["reference"] = $"RelatedPerson/{jan}", ["display"] = opaJan },
            ["role"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://fhir.pgo-platform.nl/CodeSystem/netwerkrol", ["code"] = "grootouder" }) }),
        }));
        var created = new List<string>();
        try
        {
            await using var context = await stack.NewContextAsync();
            var page = await context.SignInAsync(DemoUsers.Ricardo);
            await page.OpenAsync(Plan, "#task-text");

            var forJan = $"Jesse op dinsdag naar de dagbesteding brengen {tag}";
            var janId = await AddAsync(page, forJan, opaJan, "2026-12-20");
            created.Add(janId);
            (await Row(page, janId).InnerTextAsync()).ShouldContain(opaJan);
            var forBos = $"Indicatie dagbesteding nakijken {tag}";
            var bosId = await AddAsync(page, forBos, "Annelies Bos", "2026-12-22");
            created.Add(bosId);
            (await Row(page, bosId).InnerTextAsync()).ShouldContain("Annelies Bos");
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();

            // The stored owners are references into the network, not just names.
            (await OwnerAsync(api, janId)).ShouldBe($"RelatedPerson/{jan}");
            (await OwnerAsync(api, bosId)).ShouldBe("Practitioner/casemanager-dementie-bos");

            // The due date changes afterwards.
            await page.ClickAsync($"button[aria-label='Wijzigen: {forJan}']");
            // The server draws the form after the click: wait for it to hold the agreement, then change the date.
            await page.WaitForFunctionAsync("t => document.querySelector('#task-text')?.value === t", forJan, new() { Timeout = 30_000 });
            await page.FillAsync("#task-due", "2026-12-27");
            await page.ClickAsync("[data-testid=save-agreement]");
            await page.ExpectAsync($"[data-testid=agreement][data-id='{janId}'] >> text=/27 dec/");
            (await DueAsync(api, janId)).ShouldBe("2026-12-27");

            // Ticking off: the ticked agreement shows done at once, and no other box stays ticked after the list re-sorts.
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Gedaan: {forJan}", Exact = true }).ClickAsync();
            await page.ExpectAsync($"[data-testid=agreement][data-id='{janId}'][data-done=true]");
            (await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Gedaan: {forJan}", Exact = true }).IsCheckedAsync()).ShouldBeTrue();
            await OpenBoxesMatchAsync(page);
            // And back open again.
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Gedaan: {forJan}", Exact = true }).ClickAsync();
            await page.ExpectAsync($"[data-testid=agreement][data-id='{janId}'][data-done=false]");
            await OpenBoxesMatchAsync(page);

            // On a phone the plan's agreements pass axe too.
            await page.ResizeAsync(375, 800);
            await page.OpenAsync(Plan, $"[data-testid=agreement][data-id='{bosId}']");
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();

            // The case manager finds hers under "mijn afspraken", on a phone and on a desktop; opa Jan's is not hers.
            await using var bosContext = await stack.NewContextAsync(375, 800);
            var bos = await bosContext.SignInAsync(DemoUsers.Bos);
            await bos.OpenAsync("/mijn-afspraken", $"[data-testid=my-agreement][data-id='{bosId}']");
            var mine = await bos.InnerTextAsync("main");
            mine.ShouldContain(forBos);
            mine.ShouldContain("Jesse Strikwerda");
            mine.ShouldNotContain(forJan);
            (await bos.SeriousViolationsAsync()).ShouldBeEmpty();
            await bos.ResizeAsync(1280, 900);
            (await bos.SeriousViolationsAsync()).ShouldBeEmpty();
            await bos.ClickAsync($"[data-testid=my-agreement][data-id='{bosId}'] a");
            await bos.ExpectAsync($"[data-testid=agreement][data-id='{bosId}']");
        }
        finally
        {
            foreach (var id in created) await api.DeleteAsync($"/fhir/Task/{id}");
            await ChangeTeamAsync(api, participants =>
            {
                foreach (var p in participants.Where(p => p?["member"]?["reference"]?.GetValue<string>() == $"RelatedPerson/{jan}").ToList()) participants.Remove(p);
            });
            await api.DeleteAsync($"/fhir/RelatedPerson/{jan}");
        }
    }

    [Fact]
    public async Task Mijn_afspraken_works_for_a_parent_who_ticks_one_off_there_and_says_so_when_there_are_none()
    {
        using var api = await stack.ApiAsAsync(DemoUsers.Tessa);
        var text = $"Nieuwe pas van de bibliotheek aanvragen {Guid.NewGuid().ToString("N")[..6]}";
        var id = await CreateAsync(api, "Task", new JsonObject
        {
            ["resourceType"] = "Task",
            ["status"] = "requested",
            ["intent"] = "plan",
            ["description"] = text,
            ["for"] = new JsonObject { ["reference"] = "Patient/strikwerda-jesse" },
            ["owner"] = new JsonObject { ["reference"] = "RelatedPerson/strikwerda-tessa", ["display"] = "Tessa Strikwerda" },
        });
        try
        {
            await using var context = await stack.NewContextAsync(375, 800);
            var page = await context.SignInAsync(DemoUsers.Tessa);
            await page.OpenAsync("/mijn-afspraken", $"[data-testid=my-agreement][data-id='{id}']");
            (await page.InnerTextAsync("main")).ShouldContain("Gesprek met de mentor van Rowena");
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();
            // Ticked off here: stored at once, and the box says so.
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Gedaan: {text}", Exact = true }).ClickAsync();
            await page.ExpectAsync($"[data-testid=my-agreement][data-id='{id}'][data-done=true]");
            (await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Gedaan: {text}", Exact = true }).IsCheckedAsync()).ShouldBeTrue();
            (await StatusAsync(api, id)).ShouldBe("completed");
        }
        finally
        {
            await api.DeleteAsync($"/fhir/Task/{id}");
        }

        // The gemeente reads no agreements in any dossier: an empty list, said in words.
        await using var agencyContext = await stack.NewContextAsync();
        var agency = await agencyContext.SignInAsync(DemoUsers.DeGroot);
        await agency.OpenAsync("/mijn-afspraken", "[data-testid=no-agreements]");
        (await agency.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    private static ILocator Row(IPage page, string id) => page.Locator($"[data-testid=agreement][data-id='{id}']");

    /// <summary>Fills the form and saves; returns the new agreement's id once it is listed.</summary>
    private static async Task<string> AddAsync(IPage page, string text, string owner, string due)
    {
        await page.FillAsync("#task-text", text);
        await page.SelectAsync("task-owner", owner);
        await page.FillAsync("#task-due", due);
        await page.ClickAsync("[data-testid=save-agreement]");
        await page.ExpectAsync($"[data-testid=agreement] >> text={text}");
        var row = page.Locator("[data-testid=agreement]", new() { HasText = text });
        return (await row.GetAttributeAsync("data-id"))!;
    }

    /// <summary>Every agreement the screen lists as open has an unticked box, every done one a ticked box.</summary>
    private static async Task OpenBoxesMatchAsync(IPage page)
    {
        foreach (var row in await page.Locator("[data-testid=agreement]").AllAsync())
        {
            var done = await row.GetAttributeAsync("data-done") == "true";
            (await row.Locator("input[type=checkbox]").IsCheckedAsync()).ShouldBe(done, await row.InnerTextAsync());
        }
    }

    private static async Task<string> CreateAsync(HttpClient api, string type, JsonObject resource)
    {
        var response = await api.PostAsync($"/fhir/{type}", new StringContent(resource.ToJsonString(), Encoding.UTF8, "application/fhir+json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    private static async Task ChangeTeamAsync(HttpClient api, Action<JsonArray> change)
    {
        var team = JsonNode.Parse(await api.GetStringAsync($"/fhir/CareTeam/{Team}"))!;
        change(team["participant"]!.AsArray());
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/fhir/CareTeam/{Team}")
        {
            Content = new StringContent(team.ToJsonString(), Encoding.UTF8, "application/fhir+json"),
        };
        put.Headers.TryAddWithoutValidation("If-Match", $"W/\"{team["meta"]!["versionId"]!.GetValue<string>()}\"");
        (await api.SendAsync(put)).EnsureSuccessStatusCode();
    }

    private static async Task<string?> OwnerAsync(HttpClient api, string id) =>
        JsonNode.Parse(await api.GetStringAsync($"/fhir/Task/{id}"))!["owner"]?["reference"]?.GetValue<string>();

    private static async Task<string?> StatusAsync(HttpClient api, string id) =>
        JsonNode.Parse(await api.GetStringAsync($"/fhir/Task/{id}"))!["status"]?.GetValue<string>();

    private static async Task<string?> DueAsync(HttpClient api, string id) =>
        JsonNode.Parse(await api.GetStringAsync($"/fhir/Task/{id}"))!["restriction"]?["period"]?["end"]?.GetValue<string>();
}
