using System.Text;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Issue 16, medisch-docs: a document's section chosen at upload and changed by a move (who can see it follows),
/// and the Medisch and Financiën screens, each shown only to whoever has the section. Items are fresh and uniquely named.</summary>
public sealed class MedischDocsTests(PortalStack stack)
{
    private const string Jesse = "strikwerda-jesse";
    private const string Documents = $"/dossier/{Jesse}/documenten";

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    private static string Unique(string text) => $"{text} {Guid.NewGuid().ToString("N")[..6]}";

    private static ILocator Document(IPage page, string title) => page.Locator("[data-testid=documents] li", new() { HasText = title });

    private static async Task<string> UploadAsync(IPage page, string title, string? section)
    {
        await page.SetInputFilesAsync("input[type=file]", new FilePayload { Name = "brief.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await page.ExpectAsync("[data-testid=upload-file] >> text=brief.pdf");
        await page.FillAsync("#upload-title", title);
        if (section is not null) await page.SelectAsync("upload-section", section);
        await page.ClickAsync("[data-testid=upload]");
        await page.ExpectAsync($"[data-testid=documents] li:has-text('{title}')");
        return (await Document(page, title).GetAttributeAsync("data-document"))!;
    }

    [Fact]
    public async Task A_parent_uploads_a_bank_letter_into_financien_which_the_case_manager_then_cannot_find()
    {
        Needs.Blobs();
        var title = Unique("Brief van de bank");
        await using (var parent = await stack.NewContextAsync(375, 800))
        {
            var page = await parent.SignInAsync(DemoUsers.Tessa);
            await page.OpenAsync(Documents, "[data-testid=upload]");
            var id = await UploadAsync(page, title, "Financiën");
            (await Document(page, title).Locator("[data-testid=document-section]").InnerTextAsync()).ShouldBe("Financiën");
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();
            await page.ResizeAsync(1280, 900);
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();

            // Annelies Bos reads documenten but her grant denies financien (Api/Demo/DemoGrants.cs).
            await using var caseManager = await stack.NewContextAsync(375, 800);
            var bos = await caseManager.SignInAsync(DemoUsers.Bos);
            await bos.OpenAsync(Documents, "[data-testid=documents]");
            await bos.ExpectAsync("[data-testid=documents] li");
            (await bos.Locator("[data-testid=documents]").InnerTextAsync()).ShouldNotContain(title);
            (await bos.Locator("nav[aria-label=Hoofdmenu]").TextContentAsync() ?? "").ShouldNotContain("Financiën");
            // Nor at the file's own address: the same answer as a document that does not exist.
            var file = await caseManager.APIRequest.GetAsync($"/bestanden/{Jesse}/{id}?download=true");
            file.Status.ShouldBe(404);
            (await file.TextAsync()).ShouldNotContain(title);
            await bos.OpenAsync($"/dossier/{Jesse}/financien", "[data-testid=not-shared]");
            (await bos.SeriousViolationsAsync()).ShouldBeEmpty();
            await bos.ResizeAsync(1280, 900);
            await bos.OpenAsync(Documents, "[data-testid=documents] li");
            (await bos.Locator("[data-testid=documents]").InnerTextAsync()).ShouldNotContain(title);
            (await bos.SeriousViolationsAsync()).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task Moving_a_document_into_financien_hides_it_from_the_case_manager_and_back_shows_it_again()
    {
        Needs.Blobs();
        var title = Unique("Brief Wmo");
        await using var parent = await stack.NewContextAsync(375, 800);
        var page = await parent.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync(Documents, "[data-testid=upload]");
        var id = await UploadAsync(page, title, null);
        (await Document(page, title).Locator("[data-testid=document-section]").InnerTextAsync()).ShouldBe("Documenten");

        await using var caseManager = await stack.NewContextAsync();
        await caseManager.SignInAsync(DemoUsers.Bos);
        (await caseManager.APIRequest.GetAsync($"/bestanden/{Jesse}/{id}?download=true")).Status.ShouldBe(200);

        await Document(page, title).Locator("[data-testid=move-toggle]").ClickAsync();
        await page.ExpectAsync("[data-testid=move]");
        await page.SelectAsync($"move-section-{id}", "Financiën");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=move-save]");
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-document=\"{id}\"] [data-testid=document-section]')?.textContent === 'Financiën'");
        (await caseManager.APIRequest.GetAsync($"/bestanden/{Jesse}/{id}?download=true")).Status.ShouldBe(404);

        // Back to documenten: she finds it again (the parent writes both sections).
        await page.ResizeAsync(1280, 900);
        await Document(page, title).Locator("[data-testid=move-toggle]").ClickAsync();
        await page.SelectAsync($"move-section-{id}", "Documenten");
        await page.ClickAsync("[data-testid=move-save]");
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-document=\"{id}\"] [data-testid=document-section]')?.textContent === 'Documenten'");
        (await caseManager.APIRequest.GetAsync($"/bestanden/{Jesse}/{id}?download=true")).Status.ShouldBe(200);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_parent_writes_a_condition_a_medicine_and_an_allergy_the_case_manager_reads_them_and_the_bondgenoot_is_told_it_is_not_shared()
    {
        var condition = Unique("Slaapproblemen");
        var medicine = Unique("Melatonine");
        var allergy = Unique("Pinda");
        await using var parent = await stack.NewContextAsync(375, 800);
        var page = await parent.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync($"/dossier/{Jesse}/medisch", "[data-testid=condition-save]");
        await page.FillAsync("#condition-name", condition);
        await page.FillAsync("#condition-since", "2026-03-01");
        await page.ClickAsync("[data-testid=condition-save]");
        await page.ExpectAsync($"[data-testid=conditions] li:has-text('{condition}')");
        (await page.Locator("[data-testid=conditions] li", new() { HasText = condition }).InnerTextAsync()).ShouldContain("sinds 1 mrt 2026");

        await page.FillAsync("#medication-name", medicine);
        await page.FillAsync("#medication-dose", "1 tablet voor het slapen");
        await page.ClickAsync("[data-testid=medication-save]");
        await page.ExpectAsync($"[data-testid=medication] li:has-text('{medicine}')");

        await page.FillAsync("#allergy-name", allergy);
        await page.FillAsync("#allergy-reaction", "Benauwd");
        await page.GetByLabel("Ernstig: kan gevaarlijk zijn").CheckAsync();
        await page.ClickAsync("[data-testid=allergy-save]");
        await page.ExpectAsync($"[data-testid=allergies] li:has-text('{allergy}')");
        (await page.Locator("[data-testid=allergies] li", new() { HasText = allergy }).InnerTextAsync()).ShouldContain("Ernstig");
        // What a person reads names no FHIR type (element ids for links may).
        (await page.InnerTextAsync("main")).ShouldNotContain("MedicationStatement");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // Stopping a medicine shows at once.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Gestopt: {medicine}" }).ClickAsync();
        await page.ExpectAsync($"[data-testid=medication] li:has-text('{medicine}'):has-text('Gestopt')");
        await page.ResizeAsync(1280, 900);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // The case manager reads medisch (no forms: she may not write it).
        await using var caseManager = await stack.NewContextAsync(375, 800);
        var bos = await caseManager.SignInAsync(DemoUsers.Bos);
        await bos.OpenAsync($"/dossier/{Jesse}/medisch", $"[data-testid=conditions] li:has-text('{condition}')");
        (await bos.Locator("[data-testid=condition-save]").CountAsync()).ShouldBe(0);
        (await bos.Locator("nav[aria-label=Hoofdmenu]").TextContentAsync() ?? "").ShouldContain("Medisch");

        // The bondgenoot has no medisch: no menu item, and the screen says it is not shared, never "nog geen".
        await using var supporter = await stack.NewContextAsync(375, 800);
        var ricardo = await supporter.SignInAsync(DemoUsers.Ricardo);
        await ricardo.OpenAsync($"/dossier/{Jesse}/medisch", "[data-testid=not-shared]");
        (await ricardo.InnerTextAsync("main")).ShouldNotContain("Nog geen");
        (await ricardo.Locator("nav[aria-label=Hoofdmenu]").TextContentAsync() ?? "").ShouldNotContain("Medisch");
        (await ricardo.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_parent_records_a_PGB_on_Financien_which_the_case_manager_may_not_open()
    {
        var title = Unique("PGB via de SVB");
        await using var parent = await stack.NewContextAsync(375, 800);
        var page = await parent.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync($"/dossier/{Jesse}/financien", "[data-testid=finance-save]");
        (await page.Locator("nav[aria-label=Hoofdmenu]").TextContentAsync() ?? "").ShouldContain("Financiën");
        await page.SelectAsync("finance-kind", "Persoonsgebonden budget (PGB)");
        await page.FillAsync("#finance-title", title);
        await page.FillAsync("#finance-details", "Budgethouder: **Tessa**. Contact: SVB.");
        await page.ClickAsync("[data-testid=finance-save]");
        await page.ExpectAsync($"[data-testid=finance-pgb] li:has-text('{title}')");
        (await page.Locator("[data-testid=finance-pgb] li", new() { HasText = title }).InnerHTMLAsync()).ShouldContain("<strong>Tessa</strong>");
        // The demo's agreement about the creditors is an agreement about money.
        await page.ExpectAsync("[data-testid=finance-agreements] li:has-text('schuldeisers')");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ResizeAsync(1280, 900);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        await using var caseManager = await stack.NewContextAsync(375, 800);
        var bos = await caseManager.SignInAsync(DemoUsers.Bos);
        await bos.OpenAsync($"/dossier/{Jesse}/financien", "[data-testid=not-shared]");
        (await bos.InnerTextAsync("main")).ShouldNotContain(title);
    }
}
