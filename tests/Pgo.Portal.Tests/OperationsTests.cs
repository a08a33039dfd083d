using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>The Portal offers what "my dossiers" says a person may do (Fhir/Access/DossierOperations.cs) and decides
/// nothing itself; when the Api refuses anyway, its Dutch refusal is shown.</summary>
public sealed class OperationsTests(PortalStack stack)
{
    private const string Jesse = "/dossier/strikwerda-jesse";

    [Fact]
    public async Task The_menu_and_buttons_show_what_the_Api_allows_and_a_direct_visit_gets_the_Dutch_refusal()
    {
        await using var context = await stack.NewContextAsync();

        // The regiehouder: Toegang in the menu, the upload form, the note form.
        var tessa = await context.SignInAsync(DemoUsers.Tessa);
        await tessa.OpenAsync(Jesse + "/documenten", "[data-testid=upload]");
        await tessa.ExpectAsync($"nav a[href='{Jesse}/toegang']");
        await tessa.OpenAsync(Jesse + "/logboek", "[data-testid=save-note]");
        await tessa.CloseAsync();

        // The bondgenoot writes notes but manages no access and uploads no documents: neither is offered.
        await using var other = await stack.NewContextAsync();
        var ricardo = await other.SignInAsync(DemoUsers.Ricardo);
        await ricardo.OpenAsync(Jesse + "/logboek", "[data-testid=save-note]");
        (await ricardo.Locator($"nav a[href='{Jesse}/toegang']").CountAsync()).ShouldBe(0);
        await ricardo.OpenAsync(Jesse + "/documenten", "h1:has-text('Documenten')");
        (await ricardo.Locator("[data-testid=upload]").CountAsync()).ShouldBe(0);

        // Typing the address anyway: the Api refuses, the Portal shows why, in Dutch.
        await ricardo.OpenAsync(Jesse + "/toegang", "[data-testid=problem]");
        (await ricardo.InnerTextAsync("[data-testid=problem]")).ShouldContain("Alleen de regiehouder");
    }
}
