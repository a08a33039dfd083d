using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>One search box per dossier (what the person may see, and only that; a result opens its screen), the plan
/// printed as a clean page, and the handover downloaded through the Portal. All in Jesse Strikwerda's demo dossier,
/// read only: nothing here changes data other tests read.</summary>
public sealed class SearchPrintTests(PortalStack stack)
{
    private const string Jesse = "strikwerda-jesse";

    public static TheoryData<int> Widths => [375, 1280];

    [Theory, MemberData(nameof(Widths))]
    public async Task The_print_view_of_the_plan_has_no_buttons_menu_or_app_bar(int width)
    {
        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync($"/dossier/{Jesse}/plan", "[data-testid=print]");
        (await page.IsVisibleAsync("[data-testid=print]")).ShouldBeTrue();
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        (await page.Locator("button:visible, [role=button]:visible, a.mud-button-root:visible").CountAsync()).ShouldBe(0);
        (await page.Locator("nav:visible, header:visible, .mud-appbar:visible, form:visible").CountAsync()).ShouldBe(0);
        // The content itself is still there, over the full width of the page.
        (await page.IsVisibleAsync("main h1")).ShouldBeTrue();
        (await page.IsVisibleAsync("#doelen-kop")).ShouldBeTrue();
        var main = await page.Locator("main").BoundingBoxAsync();
        main.ShouldNotBeNull();
        main.X.ShouldBeLessThan(1);
        main.Width.ShouldBeGreaterThan(width - 20);

        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        (await page.IsVisibleAsync("[data-testid=print]")).ShouldBeTrue();

        // The paspoort (Over mij) prints the same way.
        await page.OpenAsync($"/dossier/{Jesse}/over-mij", "[data-testid=paspoort]");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        (await page.Locator("button:visible, [role=button]:visible, nav:visible, header:visible").CountAsync()).ShouldBe(0);
        (await page.IsVisibleAsync("[data-testid=paspoort]")).ShouldBeTrue();
    }

    [Theory, MemberData(nameof(Widths))]
    public async Task A_search_for_a_word_in_a_goal_finds_it_and_the_result_opens_the_plan(int width)
    {
        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync($"/dossier/{Jesse}", "[data-testid=dossier-search]");
        await page.FillAsync("#dossier-zoeken", "opleiding");
        await page.ClickAsync("[data-testid=dossier-search] button[type=submit]");
        await page.ExpectAsync("[data-testid=search-results] [data-type=Goal][data-id=strikwerda-doel-cheryl] a");
        (await page.InputValueAsync("#zoeken-resultaten")).ShouldBe("opleiding");
        var hit = page.Locator("[data-testid=search-results] [data-id=strikwerda-doel-cheryl]");
        var text = await hit.InnerTextAsync();
        text.ShouldContain("Cheryl kan haar opleiding afmaken");
        text.ShouldContain("Doel");
        text.ShouldNotContain("Goal");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        await hit.Locator("a").ClickAsync();
        // The result lands on the goal itself: the plan screen scrolls to it and gives it focus.
        await page.WaitForURLAsync($"**/dossier/{Jesse}/plan#Goal-strikwerda-doel-cheryl");
        await page.ExpectAsync("#Goal-strikwerda-doel-cheryl:focus");
    }

    [Fact]
    public async Task A_search_by_someone_who_may_not_see_a_section_does_not_find_its_text()
    {
        // "vrijwillig bewind" is in the financien goal and the financien document; the case manager may not see financien.
        await using var family = await stack.NewContextAsync();
        var tessa = await family.SignInAsync(DemoUsers.Tessa);
        await tessa.OpenAsync($"/dossier/{Jesse}/zoeken?q=vrijwillig%20bewind", "[data-testid=search-results] [data-id=strikwerda-doel-bewind]");
        await tessa.ExpectAsync("[data-testid=search-results] [data-id=strikwerda-financien-overzicht]");

        await using var care = await stack.NewContextAsync(375);
        var bos = await care.SignInAsync(DemoUsers.Bos);
        await bos.OpenAsync($"/dossier/{Jesse}/zoeken?q=vrijwillig%20bewind", "[data-testid=search-count]");
        (await bos.InnerTextAsync("[data-testid=search-count]")).ShouldContain("Niets gevonden");
        (await bos.Locator("[data-testid=search-results] li").CountAsync()).ShouldBe(0);
        (await bos.InnerTextAsync("main")).ShouldNotContain("schulden");
        (await bos.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_handover_downloads_through_the_portal_and_only_the_regiehouder_is_offered_the_export()
    {
        await using var context = await stack.NewContextAsync(375);
        var page = await context.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync($"/dossier/{Jesse}", "[data-testid=handover-download]");
        (await page.IsVisibleAsync("[data-testid=export-download]")).ShouldBeTrue();
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=handover-download]"));
        download.SuggestedFilename.ShouldEndWith(".html");
        var path = await download.PathAsync();
        var html = await File.ReadAllTextAsync(path!);
        html.ShouldContain("Overdracht");
        html.ShouldContain("Jesse");
        // The person's token stayed on the Portal's server: the link is the Portal's own.
        (await page.GetAttributeAsync("[data-testid=handover-download]", "href")).ShouldBe($"/overdracht/{Jesse}?download=true");

        // The export (a zip of the whole dossier) needs the documents' storage, which the stack has when PGO_TEST_BLOBS is set.
        if (PortalStack.Blobs is not null)
        {
            var export = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-download]"));
            export.SuggestedFilename.ShouldEndWith(".zip");
            var zip = await File.ReadAllBytesAsync((await export.PathAsync())!);
            zip.Take(2).ShouldBe("PK"u8.ToArray());
        }

        // The bondgenoot opens the dossier and gets the handover of what he sees, but no export.
        await using var other = await stack.NewContextAsync();
        var ricardo = await other.SignInAsync(DemoUsers.Ricardo);
        await ricardo.OpenAsync($"/dossier/{Jesse}", "[data-testid=handover-download]");
        (await ricardo.Locator("[data-testid=export-download]").CountAsync()).ShouldBe(0);
        // And asking the Portal for it anyway brings the Api's refusal, in Dutch.
        var refused = await ricardo.APIRequest.GetAsync($"/export/{Jesse}");
        refused.Status.ShouldBe(403);
        (await refused.TextAsync()).ShouldContain("regiehouder");
    }

    [Theory, MemberData(nameof(Widths))]
    public async Task The_handover_screen_shows_the_handover_page_and_prints_it(int width)
    {
        await using var context = await stack.NewContextAsync(width);
        var page = await context.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync($"/dossier/{Jesse}", "[data-testid=handover-open]");
        await page.ClickAsync("[data-testid=handover-open]");
        await page.WaitForURLAsync($"**/dossier/{Jesse}/overdracht");
        await page.ExpectAsync("[data-testid=handover-frame]");
        var frame = page.FrameLocator("[data-testid=handover-frame]");
        await frame.Locator("h1").WaitForAsync();
        (await frame.Locator("h1").InnerTextAsync()).ShouldContain("Jesse");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // The frame is the Portal's own origin (no token in it, no script in it), so the screen prints the handover itself.
        await page.EvaluateAsync("() => { document.getElementById('overdracht-pagina').contentWindow.print = () => { window.pgoPrinted = true; }; }");
        await page.ClickAsync("[data-testid=handover-print]");
        await page.WaitForFunctionAsync("() => window.pgoPrinted === true");
    }
}
