using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>
/// Intensity over time (issue 20) on a phone: Ricardo moves Cheryl's dossier to waakvlam from 43 days ago with a rhythm of
/// six weeks (the effective date stands in for a fake clock) and the caseload says contact is needed; Cheryl, her own
/// regiehouder, reads the history but cannot change it.
/// </summary>
public sealed class IntensityScreenTests(PortalStack stack)
{
    private static readonly DemoUser Cheryl = DemoUsers.All.Single(u => u.Email.StartsWith("cheryl@", StringComparison.Ordinal));

    [Fact]
    public async Task Ricardo_moves_a_family_to_waakvlam_43_days_ago_sees_contact_nodig_in_the_caseload_and_the_regiehouder_cannot_change_it()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(DemoUsers.Ricardo);
        await page.OpenAsync("/gezinnen", "[data-testid=caseload]");
        var row = "[data-testid=caseload-row]:has-text('Cheryl Strikwerda')";
        (await page.Locator($"{row} [data-testid=contact-needed]").CountAsync()).ShouldBe(0);
        await page.ClickAsync($"{row} [data-testid=caseload-intensity-link]");
        await page.ExpectAsync("[data-testid=intensity-form]");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/intensiteit scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Pgo.Shared.Text.DutchTime.Amsterdam).DateTime);
        var effective = today.AddDays(-43);
        await page.SelectAsync("intensity-to", "Waakvlam");
        await page.FillAsync("#intensity-effective", effective.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.FillAsync("#intensity-weeks", "6");
        await page.FillAsync("#intensity-reason", "Cheryl redt het met school en thuis; we bellen om de zes weken.");
        // Without "besproken met het gezin" nothing is saved.
        await page.ClickAsync("[data-testid=save-intensity]");
        (await page.Locator("[data-testid=intensity-history] >> text=Cheryl redt het").CountAsync()).ShouldBe(0);
        await page.GetByLabel("Besproken met het gezin").CheckAsync();
        await page.ClickAsync("[data-testid=save-intensity]");
        await page.ExpectAsync("[data-testid=intensity-history] >> text=Cheryl redt het met school en thuis");
        await page.ExpectAsync("[data-testid=intensity-now] [data-testid=contact-needed]");
        (await page.InnerTextAsync("[data-testid=intensity-now] [data-testid=intensity-name]")).ShouldBe("Waakvlam");

        // The caseload: waakvlam since 43 days ago, and contact needed since the day six weeks after it (no contact since).
        await page.OpenAsync("/gezinnen", "[data-testid=caseload]");
        await page.ExpectAsync($"{row} [data-testid=contact-needed]");
        var due = effective.AddDays(42).ToString("d MMM yyyy", CultureInfo.GetCultureInfo("nl-NL"));
        (await page.InnerTextAsync($"{row} [data-testid=contact-needed]")).ShouldBe($"Contact nodig sinds {due}");
        (await page.InnerTextAsync($"{row} [data-testid=intensity-since]")).Trim()
            .ShouldBe($"sinds {effective.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("nl-NL"))}");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/gezinnen scrolls sideways");

        // Cheryl reads the history, without a form; the Api refuses her a change too.
        await using var family = await stack.NewContextAsync(375, 800);
        var cheryl = await family.SignInAsync(Cheryl);
        await cheryl.OpenAsync("/dossier/strikwerda-cheryl/intensiteit", "[data-testid=intensity-history]");
        await cheryl.ExpectAsync("[data-testid=intensity-history] >> text=Cheryl redt het met school en thuis");
        (await cheryl.Locator("[data-testid=intensity-form]").CountAsync()).ShouldBe(0);
        (await cheryl.SeriousViolationsAsync()).ShouldBeEmpty();
        using var api = await stack.ApiAsAsync(Cheryl);
        var refused = await api.PostJsonAsync("/api/dossiers/strikwerda-cheryl/intensity",
            new { intensity = "intensief", effective = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reason = "Zelf", agreedWithFamily = true });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
