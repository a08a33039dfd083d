using System.Globalization;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Referral and intake (issue 20) on a phone: a school social worker refers a family to Copiloten Noord with the
/// family's consent, the coach assigns Ricardo seeing each supporter's caseload size and the days waiting, and Ricardo
/// records the intake; Sanne follows the status only. (The family's "Toegang geven" / "Niet nu" is proven in
/// ReferralApiTests, so that no demo family's access changes for the other browser tests.)</summary>
public sealed class ReferralTests(PortalStack stack)
{
    [Fact]
    public async Task A_school_social_worker_refers_a_family_the_coordinator_assigns_Ricardo_who_does_the_intake()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var client = "Noa" + Guid.NewGuid().ToString("N")[..6];

        // Sanne refers: the form, the family's consent, then her own list with the status.
        await using var school = await stack.NewContextAsync(375, 800);
        var sanne = await school.SignInAsync(DemoUsers.Sanne);
        await sanne.OpenAsync("/verwijzen", "[data-testid=save-referral]");
        (await sanne.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/verwijzen scrolls sideways");
        (await sanne.SeriousViolationsAsync()).ShouldBeEmpty();
        foreach (var (field, value) in new[]
        {
            ("#referral-client", client), ("#referral-birth-year", "2014"), ("#referral-parent", "Yara Mulder"),
            ("#referral-email", "yara.mulder@voorbeeld.example"), ("#referral-reason", "Moeder loopt vast tussen school, jeugdzorg en de gemeente."),
            ("#referral-role", "Schoolmaatschappelijk werker, OBS De Linde"),
        })
        {
            await sanne.FillAsync(field, value);
            await sanne.Locator(field).PressAsync("Tab");
        }
        await sanne.SelectAsync("referral-team", "Copiloten Noord");
        // Without the family's consent nothing is sent, and what was typed stays.
        await sanne.ClickAsync("[data-testid=save-referral]");
        await sanne.ExpectAsync("[data-testid=problem] >> text=toestemming");
        (await sanne.InputValueAsync("#referral-client")).ShouldBe(client);
        await sanne.Locator("[data-testid=referral-consent-how] >> text=Mondeling").ClickAsync();
        await sanne.FillAsync("#referral-consent-date", today);
        await sanne.Locator("#referral-consent-date").PressAsync("Tab");
        await sanne.ClickAsync("[data-testid=save-referral]");
        await sanne.ExpectAsync($"[data-testid=my-referral][data-status=nieuw] >> text={client}");

        // Marieke, coach of Copiloten Noord: the referral with its waiting days, the supporters with their caseload sizes.
        await using var team = await stack.NewContextAsync(375, 800);
        var marieke = await team.SignInAsync(DemoUsers.Coach);
        await marieke.OpenAsync("/verwijzingen", "[data-testid=team-referrals]");
        var card = marieke.Locator("[data-testid=team-referral]", new() { HasText = client });
        await card.Locator("[data-testid=referral-waiting] >> text=Wacht al 0 dagen op toewijzing").WaitForAsync();
        (await marieke.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/verwijzingen scrolls sideways");
        (await marieke.SeriousViolationsAsync()).ShouldBeEmpty();
        var select = await card.Locator("input[id^=assign-]").GetAttributeAsync("id");
        await card.Locator($"#{select}").Locator("xpath=ancestor::div[contains(@class,'mud-select')][1]").ClickAsync();
        var ricardo = marieke.GetByRole(AriaRole.Option, new() { Name = "Ricardo (bondgenoot) (", Exact = false }).First;
        await ricardo.WaitForAsync();
        // Ricardo is offered with the number of families he supports.
        (await ricardo.InnerTextAsync()).Trim().ShouldMatch(CaseloadOption());
        await ricardo.ClickAsync();
        await marieke.Keyboard.PressAsync("Escape");
        await card.Locator("[data-testid=assign-referral]").ClickAsync();
        await marieke.ExpectAsync($"[data-testid=team-referral][data-status=toegewezen] >> text=Ricardo (bondgenoot)");

        // Ricardo: the referral assigned to him (his bell says so), the intake with date and a note.
        await using var supporter = await stack.NewContextAsync(375, 800);
        var page = await supporter.SignInAsync(DemoUsers.Ricardo);
        await page.OpenAsync("/verwijzingen", "[data-testid=assigned-referral]");
        var mine = page.Locator("[data-testid=assigned-referral]", new() { HasText = client });
        var id = (await mine.Locator("[id^=intake-note-]").GetAttributeAsync("id"))!;
        await page.FillAsync($"#{id}", "Kennismaking thuis; moeder wil hulp bij het gesprek met school.");
        await page.Locator($"#{id}").PressAsync("Tab");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await mine.Locator("[data-testid=save-intake]").ClickAsync();
        await page.ExpectAsync($"[data-testid=assigned-referral][data-status=intake] >> text={client}");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/verwijzingen scrolls sideways");

        // Sanne sees the status, not who does the intake nor the note.
        await sanne.OpenAsync("/verwijzen", "[data-testid=my-referrals]");
        await sanne.ExpectAsync($"[data-testid=my-referral][data-status=intake] >> text={client}");
        (await sanne.Locator("[data-testid=my-referral]", new() { HasText = client }).InnerTextAsync()).ShouldNotContain("Ricardo");
    }

    private static string CaseloadOption() => @"^Ricardo \(bondgenoot\) \(\d+\)$";
}
