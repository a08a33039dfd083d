using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Issue 21: a parent gives research consent in Toegang with one click and a confirmation, and stops again; the
/// programme's coordinator sees the aggregates suppressed ("&lt; 10 gezinnen": the demo has fewer than 10 families), a parent
/// gets "geen toegang" on the programme page. On a 375 px phone, with axe.</summary>
public sealed class ResearchProgrammeTests(PortalStack stack)
{
    private static readonly DemoUser Ilona = DemoUsers.All.Single(u => u.Email.StartsWith("ilona@", StringComparison.Ordinal));
    private static readonly DemoUser Femke = new("coordinator@programma.example", "Femke Jansen (landelijk coördinator)", "coordinator", true, []);

    [Fact]
    public async Task A_parent_gives_and_stops_research_consent_in_Toegang_and_the_coordinator_sees_only_suppressed_figures()
    {
        await using var parent = await stack.NewContextAsync(375, 800);
        var page = await parent.SignInAsync(Ilona);
        await page.OpenAsync("/dossier/dewit-kim/toegang", "[data-testid=research-state]");
        await page.Locator("[data-testid=research]").ScrollIntoViewIfNeededAsync();
        (await page.InnerTextAsync("[data-testid=research]")).ShouldContain("nooit een naam");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/toegang scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        (await page.GetAttributeAsync("[data-testid=research-state]", "data-given")).ShouldBe("false");
        (await page.InnerTextAsync("[data-testid=research-state]")).ShouldContain("doet niet mee aan onderzoek");

        // One click, then the confirmation (it opens on Annuleren); the state says since when.
        await page.ClickAsync("[data-testid=research-give]");
        await page.ExpectAsync("[data-testid=confirm-dialog]");
        (await page.InnerTextAsync("[data-testid=confirm-dialog]")).ShouldContain("nooit namen");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=confirm-ok]");
        await page.ExpectAsync("[data-testid=research-state][data-given=true]");
        (await page.InnerTextAsync("[data-testid=research-state]")).ShouldContain("doet mee aan onderzoek sinds");

        // Stopping: the same one click and a confirmation.
        await page.ClickAsync("[data-testid=research-stop]");
        await page.ExpectAsync("[data-testid=confirm-dialog]");
        await page.ClickAsync("[data-testid=confirm-ok]");
        await page.ExpectAsync("[data-testid=research-state][data-given=false]");

        // A parent has no programme view.
        await page.OpenAsync("/programma", "[data-testid=no-access]");

        // The coordinator: the demo's families are fewer than 10, so every figure is suppressed, in Dutch.
        await using var coordinator = await stack.NewContextAsync(375, 800);
        var programme = await coordinator.SignInAsync(Femke);
        await programme.OpenAsync("/programma", "[data-testid=programme-families]");
        (await programme.GetAttributeAsync("[data-testid=programme-families]", "data-suppressed")).ShouldBe("true");
        (await programme.InnerTextAsync("[data-testid=programme-families]")).ShouldContain("< 10 gezinnen");
        (await programme.Locator("[data-testid=programme-row][data-suppressed=false]").CountAsync()).ShouldBe(0);
        await programme.ExpectAsync("[data-testid=programme-csv]");
        (await programme.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/programma scrolls sideways");
        (await programme.SeriousViolationsAsync()).ShouldBeEmpty();
    }
}
