using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Every screen, as the person who uses it sees it: axe-core finds no serious or critical violations, the phone
/// width does not scroll sideways, and the main screens are photographed (for the README's docs/screenshots only under ./pgo screenshots; see
/// <see cref="PortalStack.ScreenshotFolder"/>).</summary>
public sealed class ScreenTests(PortalStack stack)
{
    private const string Jesse = "/dossier/strikwerda-jesse";

    [Fact]
    public async Task The_family_screens_have_no_serious_accessibility_violations()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Tessa);
        var problems = new List<string>();
        foreach (var (path, ready, shot) in new (string, string?, string?)[]
        {
            ("/", "[data-testid=dossier-link]", "overzicht"),
            (Jesse, "[data-testid=due] li", "dossier-start"),
            (Jesse + "/plan", "[data-testid=agreements][data-loaded=true]", "plan"),
            (Jesse + "/logboek", "[data-testid=notes]", "logboek"),
            (Jesse + "/agenda", "[data-testid=appointments]", "agenda"),
            (Jesse + "/netwerk", "[data-testid=network-access]", "netwerk"),
            (Jesse + "/medisch", "[data-testid=conditions]", null),
            (Jesse + "/financien", "[data-testid=finance-documents]", "financien"),
            (Jesse + "/zoeken?q=Wmo", "[data-testid=search-results]", "zoeken"),
            (Jesse + "/overdracht", "[data-testid=handover-frame]", null),
            ("/mijn-afspraken", "[data-testid=my-agreements], [data-testid=no-agreements]", null),
            (Jesse + "/documenten", "[data-testid=documents]", "documenten"),
            (Jesse + "/toegang", "[data-testid=access-matrix]", "toegang"),
            (Jesse + "/berichten", "[data-testid=thread-messages]", "berichten"),
            (Jesse + "/metingen", "[data-testid=totals]", "metingen"),
            (Jesse + "/gebeurtenissen", "[data-testid=events-total]", "gebeurtenissen"),
            (Jesse + "/intensiteit", "[data-testid=intensity-history], [data-testid=intensity-history-empty]", null),
            (Jesse + "/businesscase", "[data-testid=bc-net-optimistisch]", "businesscase"),
            ("/account", "[data-testid=account-name]", null),
            ("/bestaat-niet", null, null),
        })
        {
            await page.OpenAsync(path, ready);
            problems.AddRange((await page.SeriousViolationsAsync()).Select(v => $"{path}: {v}"));
            if (shot is not null) await ScreenshotAsync(page, shot);
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_supporter_screens_have_no_serious_accessibility_violations()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Ricardo);
        var problems = new List<string>();
        foreach (var (path, ready, shot) in new (string, string?, string?)[]
        {
            ("/gezinnen", "[data-testid=caseload]", "mijn-gezinnen"),
            ("/team", "[data-testid=threads]", "teamruimte"),
            ("/tijd", "[data-testid=time-families]", "tijd"),
            ("/termijnen", "[data-testid=termijnen], [data-testid=termijnen-empty]", null),
            (Jesse + "/intensiteit", "[data-testid=intensity-form]", "intensiteit"),
            (Jesse + "/plan", "[data-testid=agreements][data-loaded=true]", null),
        })
        {
            await page.OpenAsync(path, ready);
            problems.AddRange((await page.SeriousViolationsAsync()).Select(v => $"{path}: {v}"));
            if (shot is not null) await ScreenshotAsync(page, shot);
        }
        // The caseload names the intensity of support of each family: Jesse's plan is in its intensive phase.
        await page.OpenAsync("/gezinnen", "[data-testid=caseload]");
        // Jesse's row by name: the family of Jesse (issue 18) lists Cheryl's dossier beside his.
        // Since issue 20 the cell also says since when (and for waakvlam when contact is due); the name is its own element.
        (await page.InnerTextAsync("[data-testid=caseload-row]:has-text('Jesse Strikwerda') [data-testid=caseload-intensity] [data-testid=intensity-name]")).ShouldBe("Intensief");
        // The overview of signalled knelpunten is the coach's: a supporter does not get it offered.
        await page.OpenAsync("/team", "[data-testid=threads]");
        (await page.GetByText("Gesignaleerde knelpunten").CountAsync()).ShouldBe(0);

        // The coach sees the knelpunten in the stelsel the supporters signalled, per instantie and theme.
        await using var coachContext = await stack.NewContextAsync();
        var coach = await coachContext.SignInAsync(DemoUsers.Coach);
        await coach.OpenAsync("/team", "[data-testid=threads]");
        await coach.GetByRole(AriaRole.Navigation, new() { Name = "Kanalen" }).GetByText("Gesignaleerde knelpunten").ClickAsync();
        await coach.ExpectAsync("[data-testid=bottlenecks] >> text=lange doorlooptijd wlz-indicatie");
        problems.AddRange((await coach.SeriousViolationsAsync()).Select(v => $"/team (knelpunten): {v}"));
        problems.ShouldBeEmpty();
    }

    /// <summary>The agency's screen: what was shared with us, for which purpose, until when; the package opens with its purpose
    /// explained and shows exactly the shared document; the dossier's documents show nothing else.</summary>
    [Fact]
    public async Task The_agency_sees_only_the_shared_document_with_its_purpose_explained()
    {
        const string purpose = "Aanvraag Wmo: huishoudelijke hulp en dagbesteding";
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.DeGroot, "/gedeeld");
        await page.OpenAsync("/gedeeld", $"[data-testid=package-row][data-state=open]:has-text('{purpose}')");
        var row = await page.InnerTextAsync($"[data-testid=package-row]:has-text('{purpose}')");
        row.ShouldContain("Jesse Strikwerda");
        row.ShouldContain("1 stuk");
        row.ShouldContain("2028");
        row.ShouldContain("Open");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await ScreenshotAsync(page, "gedeeld-met-ons");

        await page.ClickAsync($"[data-testid=package-row]:has-text('{purpose}') [data-testid=open-package]");
        await page.ExpectAsync("[data-testid=package-items]");
        var explained = await page.InnerTextAsync("[data-testid=package-purpose]");
        explained.ShouldContain("Jesse Strikwerda deelt dit met uw organisatie voor één doel");
        explained.ShouldContain("Daarna gaat het vanzelf dicht");
        (await page.Locator("[data-testid=package-items] > li").CountAsync()).ShouldBe(1);
        (await page.InnerTextAsync("[data-testid=item-text]")).ShouldContain("Aanvraag Wmo");
        (await page.InnerTextAsync("main")).ShouldNotContain("schulden");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        await page.OpenAsync(Jesse + "/documenten", "[data-testid=documents]");
        var documents = await page.Locator("[data-testid=documents]").InnerTextAsync();
        documents.ShouldContain("Aanvraag Wmo");
        documents.ShouldNotContain("schulden");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // Someone else's package is not found, in Dutch, without an error page.
        await page.OpenAsync("/gedeeld/toegang-strikwerda-ricardo", "[data-testid=package-unknown]");

        // On a phone the list does not make the page scroll sideways (the table scrolls in its own region).
        await page.ResizeAsync(375, 800);
        await page.OpenAsync("/gedeeld", "[data-testid=packages]");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task On_a_375_pixel_phone_the_page_does_not_scroll_sideways_and_the_menu_opens_with_the_keyboard()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(DemoUsers.Tessa);
        foreach (var path in new[] { "/", Jesse, Jesse + "/plan", Jesse + "/toegang", Jesse + "/berichten", Jesse + "/metingen", Jesse + "/agenda",
                     Jesse + "/netwerk", Jesse + "/documenten", Jesse + "/medisch", Jesse + "/financien", Jesse + "/logboek", Jesse + "/zoeken?q=Wmo", "/mijn-afspraken",
                     Jesse + "/gebeurtenissen", Jesse + "/intensiteit" })
        {
            await page.OpenAsync(path);
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            // On failure, name what sticks out (the last elements whose right edge passes the screen).
            var wide = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > 375).map(e => e.tagName + '.' + e.className + ' r=' + e.getBoundingClientRect().right + ' t=' + (e.textContent||'').slice(0,60)).slice(-8).join(' | ')");
            width.ShouldBeLessThanOrEqualTo(375, $"{path} scrolls sideways: {wide}");
        }
        await page.OpenAsync(Jesse + "/toegang", "[data-testid=access-matrix]");
        await ScreenshotAsync(page, "telefoon-toegang");
        await page.OpenAsync("/", "[data-testid=dossier-link]");
        await ScreenshotAsync(page, "telefoon-overzicht");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // The skip link is the first stop of the keyboard and leads to the main content; the menu button says what it does.
        (await page.EvaluateAsync<string>("() => document.querySelector('a[href], button, input, select, textarea').textContent.trim()")).ShouldBe("Naar de inhoud");
        await page.FocusAsync(".skip-link");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'inhoud'");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Menu openen of sluiten" }).CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task The_portal_speaks_English_after_the_language_switch()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Gulan);
        await page.ClickAsync("text=English");
        await page.ExpectAsync("text=What changed");
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("en");
        await page.ClickAsync("text=Nederlands");
        await page.ExpectAsync("text=Wat is er veranderd");
    }

    private static Task ScreenshotAsync(IPage page, string name) => page.PhotographAsync(name);
}
