using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Every screen, as the person who uses it sees it: axe-core finds no serious or critical violations, the phone
/// width does not scroll sideways, and the main screens are photographed for the README (docs/screenshots).</summary>
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
            (Jesse, "[data-testid=changes]", null),
            (Jesse + "/plan", "[data-testid=agreements]", "plan"),
            (Jesse + "/logboek", "[data-testid=notes]", "logboek"),
            (Jesse + "/agenda", "[data-testid=appointments]", null),
            (Jesse + "/netwerk", "[data-testid=network-access]", null),
            (Jesse + "/documenten", "[data-testid=documents]", "documenten"),
            (Jesse + "/toegang", "[data-testid=access-matrix]", "toegang"),
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
            (Jesse + "/plan", "[data-testid=goals]", null),
        })
        {
            await page.OpenAsync(path, ready);
            problems.AddRange((await page.SeriousViolationsAsync()).Select(v => $"{path}: {v}"));
            if (shot is not null) await ScreenshotAsync(page, shot);
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_agency_sees_only_the_shared_document_with_its_purpose_explained()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.DeGroot);
        await page.OpenAsync(Jesse + "/documenten", "[data-testid=documents]");
        var documents = await page.Locator("[data-testid=documents]").InnerTextAsync();
        documents.ShouldContain("Aanvraag Wmo");
        documents.ShouldNotContain("schulden");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task On_a_375_pixel_phone_the_page_does_not_scroll_sideways_and_the_menu_opens_with_the_keyboard()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(DemoUsers.Tessa);
        foreach (var path in new[] { "/", Jesse + "/plan", Jesse + "/toegang" })
        {
            await page.OpenAsync(path);
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            width.ShouldBeLessThanOrEqualTo(375, $"{path} scrolls sideways");
        }
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

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(PortalStack.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalStack.ScreenshotFolder, $"{name}.png"), FullPage = false });
    }
}
