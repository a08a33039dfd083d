using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Over mij: the client's details and the paspoort (Markdown in a DocumentReference of section profiel), rendered safely,
/// edited by whoever may write "profiel", a stale save refused without losing the text, and hidden from whoever may not read it.
/// The edits happen in Johan Sterk's dossier (no other test reads his paspoort) and are put back afterwards.</summary>
public sealed class OverMijTests(PortalStack stack)
{
    private const string Johan = "/dossier/sterk-johan/over-mij";
    private static readonly DemoUser Loes = DemoUsers.All.Single(u => u.Email == "loes@sterk.example");

    [Fact]
    public async Task A_regiehouder_reads_the_paspoort_rendered_from_markdown_and_sees_her_edit_after_a_reload()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(Loes);
        await page.OpenAsync(Johan, "[data-testid=paspoort] strong");

        var profile = await page.InnerTextAsync("[data-testid=profile]");
        profile.ShouldContain("Johan Sterk");
        profile.ShouldContain("1996");
        profile.ShouldContain("Nederlands");
        (await page.Locator("[data-testid=paspoort] strong", new() { HasText = "Communicatie:" }).CountAsync()).ShouldBe(1);
        (await page.Locator("[data-testid=paspoort] h3", new() { HasText = "Over Johan" }).CountAsync()).ShouldBe(1);
        var shown = await page.InnerTextAsync("[data-testid=paspoort]");
        shown.ShouldNotContain("**");
        shown.ShouldNotContain("# Over");

        await page.ClickAsync("[data-testid=edit-paspoort]");
        var original = await page.InputValueAsync("#paspoort-text");
        original.ShouldContain("**Communicatie:**");
        try
        {
            var marker = $"wandelen op zondag {Guid.NewGuid():N}";
            await page.FillAsync("#paspoort-text", $"# Over Johan\n- **Houdt van:** {marker}");
            await page.ClickAsync("[data-testid=save-paspoort]");
            await page.ExpectAsync($"[data-testid=paspoort] li:has-text('{marker}')");

            await page.ReloadAsync();
            await page.ExpectAsync($"[data-testid=paspoort] li:has-text('{marker}')");
            (await page.Locator("[data-testid=paspoort] strong", new() { HasText = "Houdt van:" }).CountAsync()).ShouldBe(1);
            (await page.InnerTextAsync("[data-testid=paspoort-updated]")).ShouldContain("Loes Sterk");
        }
        finally { await RestoreAsync(original); }
    }

    /// <summary>Raw HTML is refused by the Api (Fhir/Profiles/MarkdownSafety): the reason shows in Dutch and the text stays in the
    /// editor. HTML written as Markdown text (in code, or escaped) is stored, and the page shows it as text: no element, nothing runs.</summary>
    [Fact]
    public async Task Markdown_with_a_script_or_raw_html_is_shown_as_text_and_never_runs()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(Loes);
        await page.OpenAsync(Johan, "[data-testid=edit-paspoort]");
        await page.ClickAsync("[data-testid=edit-paspoort]");
        var original = await page.InputValueAsync("#paspoort-text");
        try
        {
            var raw = string.Join("\n\n", "<script>window.pgoRan = 'script'</script>", "<img src=x onerror=\"window.pgoRan = 'img'\">", "**Niet opgeslagen**");
            await page.FillAsync("#paspoort-text", raw);
            await page.ClickAsync("[data-testid=save-paspoort]");
            await page.ExpectAsync("[data-testid=problem]");
            (await page.InnerTextAsync("[data-testid=problem]")).ShouldContain("HTML en scripts zijn niet toegestaan");
            (await page.InputValueAsync("#paspoort-text")).ShouldBe(raw);
            (await page.InnerTextAsync("[data-testid=paspoort]")).ShouldNotContain("Niet opgeslagen");

            await page.FillAsync("#paspoort-text", string.Join("\n\n",
                "Schrijf nooit `<script>window.pgoRan = 'code'</script>` in een bericht.",
                "Ook niet \\<img src=x onerror=\"window.pgoRan = 'img'\"\\>.",
                "**Veilig opgeslagen**"));
            await page.ClickAsync("[data-testid=save-paspoort]");
            await page.ExpectAsync("[data-testid=paspoort] strong:has-text('Veilig opgeslagen')");
            await page.ReloadAsync();
            await page.ExpectAsync("[data-testid=paspoort] strong:has-text('Veilig opgeslagen')");

            var paspoort = page.Locator("[data-testid=paspoort]");
            (await paspoort.Locator("script, img, iframe, [onerror]").CountAsync()).ShouldBe(0);
            var text = await paspoort.InnerTextAsync();
            text.ShouldContain("<script>window.pgoRan = 'code'</script>");
            text.ShouldContain("<img src=x onerror=");
            (await page.EvaluateAsync<string?>("() => window.pgoRan ?? null")).ShouldBeNull();
        }
        finally { await RestoreAsync(original); }
    }

    [Fact]
    public async Task A_save_over_someone_elses_change_is_refused_in_dutch_and_the_text_stays_in_the_editor()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(Loes);
        await page.OpenAsync(Johan, "[data-testid=edit-paspoort]");
        await page.ClickAsync("[data-testid=edit-paspoort]");
        var original = await page.InputValueAsync("#paspoort-text");
        try
        {
            // Someone else saves first (here straight at the Api).
            await RestoreAsync(original + "\n- **Aanvulling Wim:** houdt van treinen kijken op zaterdag.");
            const string mine = "# Over Johan\n- **Mijn versie:** deze tekst mag niet verloren gaan.";
            await page.FillAsync("#paspoort-text", mine);
            await page.ClickAsync("[data-testid=save-paspoort]");

            await page.ExpectAsync("[data-testid=paspoort-conflict]");
            (await page.InnerTextAsync("[data-testid=paspoort-conflict]")).ShouldContain("Er is niets overschreven");
            (await page.InputValueAsync("#paspoort-text")).ShouldBe(mine);
            // The paspoort above shows the other person's version, not mine.
            await page.ExpectAsync("[data-testid=paspoort] strong:has-text('Aanvulling Wim:')");
            (await page.InnerTextAsync("[data-testid=paspoort]")).ShouldNotContain("Mijn versie");
        }
        finally { await RestoreAsync(original); }
    }

    /// <summary>A new dossier has no paspoort yet: the first save creates the DocumentReference in section profiel.</summary>
    [Fact]
    public async Task The_first_save_in_a_new_dossier_creates_the_paspoort()
    {
        var parent = new NewAccount($"anouk-{Guid.NewGuid().ToString("N")[..8]}@example.org", "Anouk Meijer");
        await using var context = await stack.NewContextAsync();
        var page = await context.RegisterAsync(parent);
        var confirmation = await stack.WaitForMailAsync(parent.Email, "Bevestig uw e-mailadres");
        var confirm = await context.NewPageAsync();
        await confirm.GotoAsync(confirmation.LinkTo("/account/bevestigen"));
        await confirm.ExpectAsync("#confirmed");
        await confirm.CloseAsync();
        await page.OpenAsync("/nieuw-dossier", "[data-testid=create-dossier]");
        await page.FillAsync("#dossier-given", "Sem");
        await page.FillAsync("#dossier-family", "Meijer");
        await page.FillAsync("#dossier-birth", "2016-05-20");
        await page.ClickAsync("[data-testid=create-dossier]");
        await page.ExpectAsync("main h1:has-text('Sem Meijer')");
        var dossier = new Uri(page.Url).AbsolutePath;

        await page.OpenAsync(dossier + "/over-mij", "[data-testid=paspoort-empty]");
        await page.ClickAsync("[data-testid=edit-paspoort]");
        await page.FillAsync("#paspoort-text", "# Over Sem\n- **Houdt van:** treinen en de zandbak.");
        await page.ClickAsync("[data-testid=save-paspoort]");
        await page.ExpectAsync("[data-testid=paspoort] strong:has-text('Houdt van:')");

        await page.ReloadAsync();
        await page.ExpectAsync("[data-testid=paspoort] li:has-text('treinen en de zandbak')");
        (await page.Locator("[data-testid=paspoort-empty]").CountAsync()).ShouldBe(0);
    }

    /// <summary>Live: a change by the other parent appears without a reload; while editing, it is announced and the editor keeps
    /// what was typed. Leo Frank's paspoort is put back afterwards.</summary>
    [Fact]
    public async Task A_change_by_the_other_parent_appears_live_and_never_replaces_the_text_in_the_editor()
    {
        var karin = DemoUsers.All.Single(u => u.Email == "karin@frank.example");
        var ruben = DemoUsers.All.Single(u => u.Email == "ruben@frank.example");
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(karin);
        await page.OpenAsync("/dossier/frank-leo/over-mij", "[data-testid=paspoort] strong");
        var original = await WriteAsync(ruben, "frank-paspoort", "# Over Leo\n- **Nieuw van Ruben:** kookt op woensdag.");
        try
        {
            await page.ExpectAsync("[data-testid=paspoort] strong:has-text('Nieuw van Ruben:')");
            await page.ExpectAsync("text=heeft iets gewijzigd in Over mij");

            await page.ClickAsync("[data-testid=edit-paspoort]");
            const string mine = "# Over Leo\n- **Karin typt:** nog niet opgeslagen.";
            await page.FillAsync("#paspoort-text", mine);
            await WriteAsync(ruben, "frank-paspoort", "# Over Leo\n- **Weer nieuw van Ruben:** fietst naar school.");
            await page.ExpectAsync("[data-testid=paspoort-changed]");
            await page.ExpectAsync("[data-testid=paspoort] strong:has-text('Weer nieuw van Ruben:')");
            (await page.InputValueAsync("#paspoort-text")).ShouldBe(mine);
        }
        finally { await WriteAsync(ruben, "frank-paspoort", original); }
    }

    [Fact]
    public async Task A_bondgenoot_without_the_profile_section_does_not_see_the_paspoort()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Ricardo);
        await page.OpenAsync("/dossier/strikwerda-jesse/over-mij", "[data-testid=profile-not-shared]");
        (await page.InnerTextAsync("[data-testid=profile-not-shared]")).ShouldContain("niet met u gedeeld");
        (await page.Locator("[data-testid=paspoort], [data-testid=profile], [data-testid=edit-paspoort]").CountAsync()).ShouldBe(0);
        (await page.InnerTextAsync("main")).ShouldNotContain("Communicatie");
        (await page.Locator("nav a[href='/dossier/strikwerda-jesse/over-mij']").CountAsync()).ShouldBe(0);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Over_mij_has_no_serious_accessibility_violations_and_fits_a_375_pixel_phone()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync("/dossier/strikwerda-jesse/over-mij", "[data-testid=paspoort] strong");
        (await page.Locator("nav a[href='/dossier/strikwerda-jesse/over-mij']").CountAsync()).ShouldBe(1);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        Directory.CreateDirectory(PortalStack.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalStack.ScreenshotFolder, "over-mij.png") });

        // The editor, reached with the keyboard and labelled; nothing is saved.
        await page.FocusAsync("[data-testid=edit-paspoort]");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectAsync("#paspoort-text");
        (await page.GetByLabel("Tekst van het paspoort").CountAsync()).ShouldBe(1);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        await page.ResizeAsync(375, 800);
        await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= 375");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    /// <summary>Puts Johan's paspoort back (or sets it) straight through the Api as Loes, at its current version.</summary>
    private Task RestoreAsync(string markdown) => WriteAsync(Loes, "sterk-paspoort", markdown);

    /// <summary>Writes a paspoort's Markdown straight through the Api as <paramref name="user"/>, at its current version; returns what it was.</summary>
    private async Task<string> WriteAsync(DemoUser user, string id, string markdown)
    {
        using var api = await stack.ApiAsAsync(user);
        var json = JsonNode.Parse(await api.GetStringAsync($"/fhir/DocumentReference/{id}"))!;
        var before = Encoding.UTF8.GetString(Convert.FromBase64String(json["content"]![0]!["attachment"]!["data"]!.GetValue<string>()));
        json["content"]![0]!["attachment"]!["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(markdown));
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/fhir/DocumentReference/{id}")
        {
            Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/fhir+json"),
        };
        put.Headers.TryAddWithoutValidation("If-Match", $"W/\"{json["meta"]!["versionId"]!.GetValue<string>()}\"");
        (await api.SendAsync(put)).EnsureSuccessStatusCode();
        return before;
    }
}
