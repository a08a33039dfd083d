using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>"Nieuw dossier starten" beyond the happy path of scenario 1 (ScenarioTests): a refusal of the Api is shown in
/// Dutch and nothing typed is lost; the screen works on a phone and with the keyboard.</summary>
public sealed class NewDossierTests(PortalStack stack)
{
    [Fact]
    public async Task A_refused_new_dossier_shows_the_Api_reason_in_Dutch_and_keeps_what_was_typed_on_a_phone()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(DemoUsers.Luc);
        await page.OpenAsync("/", "[data-testid=start-dossier]");
        await page.OpenAsync("/nieuw-dossier", "[data-testid=create-dossier]");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // An adult, started by a parent who is not their mentor or curator: the Api refuses (the client holds regie).
        await page.FillAsync("#dossier-given", "Bram");
        await page.FillAsync("#dossier-family", "de Volwassene");
        await page.FillAsync("#dossier-birth", "1990-06-01");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectAsync("[data-testid=problem] >> text=Volwassen cliënt");
        (await page.InputValueAsync("#dossier-given")).ShouldBe("Bram");
        (await page.InputValueAsync("#dossier-family")).ShouldBe("de Volwassene");
        (await page.InputValueAsync("#dossier-birth")).ShouldBe("1990-06-01");
        new Uri(page.Url).AbsolutePath.ShouldBe("/nieuw-dossier");

        // A birth date in the future is refused before anything is sent.
        await page.FillAsync("#dossier-birth", DateTime.Today.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=create-dossier]");
        await page.ExpectAsync("text=De geboortedatum ligt in de toekomst.");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }
}
