using System.Globalization;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Time registration per family per activity (the "Tijd" screen and the caseload totals), on a phone.</summary>
public sealed class TimeTests(PortalStack stack)
{
    private static readonly DemoUser Sven = DemoUsers.All.Single(u => u.Email.StartsWith("sven@", StringComparison.Ordinal));

    private static int Minutes(string hoursMinutes)
    {
        var parts = hoursMinutes.Trim().Split(':');
        return int.Parse(parts[0], CultureInfo.InvariantCulture) * 60 + int.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_supporter_registers_time_on_a_phone_and_sees_it_in_the_totals_and_the_caseload_while_a_future_date_is_refused_in_Dutch()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(Sven);
        await page.OpenAsync("/tijd", "[data-testid=time-total]");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/tijd scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.Locator("[data-testid=time-period] >> text=Deze maand").ClickAsync();
        // The month begins on the 1st (data-from is the period the totals shown are of).
        await page.ExpectAsync("[data-testid=time-total][data-from$='-01']");
        await page.ExpectAsync("[data-testid=time-families] >> text=Johan Sterk");
        var before = Minutes((await page.InnerTextAsync("[data-testid=time-total] strong")));

        // A date in the future: the Api's rule refuses it in Dutch, and what was typed stays in the form.
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.SelectAsync("time-activity", "Luisterend oor");
        await page.FillAsync("#time-date", tomorrow);
        await page.FillAsync("#time-minutes", "25");
        await page.FillAsync("#time-note", "Telefoontje met Loes over het weekend.");
        await page.ClickAsync("[data-testid=save-time]");
        await page.ExpectAsync("[data-testid=problem] >> text=toekomst");
        (await page.InputValueAsync("#time-note")).ShouldBe("Telefoontje met Loes over het weekend.");
        (await page.InputValueAsync("#time-minutes")).ShouldBe("25");

        await page.FillAsync("#time-date", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=save-time]");
        await page.ExpectAsync("[data-testid=time-entries] >> text=Telefoontje met Loes over het weekend.");
        await page.ExpectAsync("[data-testid=time-activities] >> text=Luisterend oor");
        (await page.Locator("[data-testid=problem]").CountAsync()).ShouldBe(0);
        Minutes(await page.InnerTextAsync("[data-testid=time-total] strong")).ShouldBe(before + 25);
        (await page.InputValueAsync("#time-note")).ShouldBeEmpty();

        await page.OpenAsync("/gezinnen", "[data-testid=caseload]");
        Minutes(await page.InnerTextAsync("[data-testid=caseload-time]")).ShouldBe(before + 25);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/gezinnen scrolls sideways");
    }
}
