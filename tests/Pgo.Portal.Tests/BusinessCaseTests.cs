using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>The family's social business case in the Portal (issue 21): Ilse, Kim's bondgenoot, judges an item avoided with a
/// reason on a phone and the figures change; Ilona, the regiehouder, sees the same case and downloads it as CSV.</summary>
public sealed class BusinessCaseTests(PortalStack stack)
{
    private static readonly DemoUser Ilse = DemoUsers.All.Single(u => u.Email.StartsWith("ilse@", StringComparison.Ordinal));
    private static readonly DemoUser Ilona = DemoUsers.All.Single(u => u.Email.StartsWith("ilona@", StringComparison.Ordinal));

    private const string Net = "[data-testid=bc-net-optimistisch]";
    private const string Item = "li.bc-item[data-item=doubleren-direct]";

    [Fact]
    public async Task Ilse_judges_an_item_avoided_with_a_reason_the_figures_change_and_Ilona_sees_the_same_case_and_downloads_it()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(Ilse);
        await page.OpenAsync("/dossier/dewit-kim/businesscase", Net);
        (await page.InnerTextAsync("[data-testid=bc-explanation]")).ShouldContain("schatting");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "the business case scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        var before = await page.InnerTextAsync(Net);
        before.ShouldMatch(@"^-?€ \d{1,3}(\.\d{3})*$");
        (await page.InnerTextAsync($"{Item} [data-testid=bc-item-status]")).ShouldBe("Nog niet beoordeeld");

        // Avoided is the default choice; the reason is what makes it count.
        await page.ClickAsync($"{Item} [data-testid=bc-judge]");
        await page.ExpectAsync("[data-testid=bc-judge-form]");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.FillAsync("#bc-reason", "Lex haalt zijn overgang: Ilse en de mentor houden samen de thuissituatie in de gaten.");
        await page.ClickAsync("[data-testid=bc-save]");
        await page.ExpectAsync($"{Item} [data-testid=bc-item-status] >> text=Voorkomen");
        var after = await page.InnerTextAsync(Net);
        after.ShouldNotBe(before);

        await using var family = await stack.NewContextAsync(1280, 900);
        var ilona = await family.SignInAsync(Ilona);
        await ilona.OpenAsync("/dossier/dewit-kim/businesscase", Net);
        (await ilona.InnerTextAsync(Net)).ShouldBe(after);
        await ilona.ExpectAsync($"{Item} >> text=Lex haalt zijn overgang");
        var download = await ilona.RunAndWaitForDownloadAsync(() => ilona.ClickAsync("[data-testid=bc-csv]"));
        download.SuggestedFilename.ShouldMatch(@"^businesscase-\d{4}-\d{2}-\d{2}\.csv$");
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        csv.ShouldStartWith("scenario;belanghebbende;bedrag per jaar (euro)");
        csv.ShouldContain("Lex haalt zijn overgang");
    }
}
