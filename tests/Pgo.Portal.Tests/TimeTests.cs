using System.Globalization;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>The supporter's time (issue 20): registering on a phone with the caseload totals, the family's read-only view of
/// the time spent on them, and a correction with a reason after the edit period.</summary>
public sealed class TimeTests(PortalStack stack)
{
    private static readonly DemoUser Sven = DemoUsers.All.Single(u => u.Email.StartsWith("sven@", StringComparison.Ordinal));
    private static readonly DemoUser Ricardo = DemoUsers.All.Single(u => u.Email.StartsWith("ricardo@", StringComparison.Ordinal));
    private static readonly DemoUser Tessa = DemoUsers.All.Single(u => u.Email.StartsWith("tessa@", StringComparison.Ordinal));
    private static readonly DemoUser Marieke = DemoUsers.All.Single(u => u.Email.StartsWith("coach@bondgenoten", StringComparison.Ordinal));

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
        const string johan = "[data-testid=time-family][data-patient=sterk-johan] td";
        var before = Minutes(await page.InnerTextAsync(johan));
        var total = Minutes(await page.InnerTextAsync("[data-testid=time-total] strong"));

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
        Minutes(await page.InnerTextAsync("[data-testid=time-total] strong")).ShouldBe(total + 25);
        Minutes(await page.InnerTextAsync(johan)).ShouldBe(before + 25);
        (await page.InputValueAsync("#time-note")).ShouldBeEmpty();

        await page.OpenAsync("/gezinnen", "[data-testid=caseload]");
        Minutes(await page.InnerTextAsync("[data-testid=caseload-time]")).ShouldBe(before + 25);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/gezinnen scrolls sideways");
    }

    [Fact]
    public async Task The_regiehouder_sees_the_supporters_time_on_her_family_read_only_with_no_control_to_change_it()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(Tessa);
        await page.OpenAsync("/tijd", "[data-testid=family-time][data-patient=strikwerda-jesse]");
        await page.Locator("[data-testid=time-period] >> text=Afgelopen 3 maanden").ClickAsync();
        await page.ExpectAsync("[data-testid=family-time-entry] >> text=Keukentafelgesprek met Tessa over de dagstructuur.");
        await page.ExpectAsync("[data-testid=family-time-entry] >> text=Ricardo (bondgenoot)");
        // The demo's correction shows with its reason, the original with what is left of it.
        await page.ExpectAsync("[data-testid=family-time-entry] >> text=Het gesprek duurde een half uur korter dan geregistreerd.");
        // Ricardo's time outside a family is his own, not the family's.
        (await page.Locator("[data-testid=family-time] >> text=Intervisie met het bondgenotenteam.").CountAsync()).ShouldBe(0);
        // Read-only: no registration form, no change or correction control.
        foreach (var control in new[] { "save-time", "edit-time", "correct-time", "save-edit", "save-correction" })
            (await page.Locator($"[data-testid={control}]").CountAsync()).ShouldBe(0, control);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/tijd scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_supporter_corrects_an_entry_past_its_edit_period_with_a_reason_and_the_family_sees_the_correction()
    {
        await using var context = await stack.NewContextAsync(1280, 900);
        var page = await context.SignInAsync(Ricardo);
        await page.OpenAsync("/tijd", "[data-testid=time-total]");
        await page.Locator("[data-testid=time-period] >> text=Afgelopen 3 maanden").ClickAsync();
        // Two days old: still his to change; twenty days old: only a correction.
        var recent = page.Locator("[data-testid=time-entry]", new() { HasText = "Wmo-aanvraag samen ingevuld." });
        await recent.Locator("[data-testid=edit-time]").WaitForAsync();
        (await recent.Locator("[data-testid=correct-time]").CountAsync()).ShouldBe(0);
        var old = page.Locator("[data-testid=time-entry]", new() { HasText = "Mee naar het gesprek met de gemeente." });
        (await old.Locator("[data-testid=edit-time]").CountAsync()).ShouldBe(0);
        await old.Locator("[data-testid=correct-time]").ClickAsync();
        await page.ExpectAsync("[data-testid=correct-form]");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        // Without a reason nothing is saved; with one the correction is a new line naming its reason.
        await page.FillAsync("#correct-minutes", "-15");
        await page.ClickAsync("[data-testid=save-correction]");
        (await page.Locator("[data-testid=time-entry] >> text=Reistijd dubbel geteld.").CountAsync()).ShouldBe(0);
        await page.FillAsync("#correct-reason", "Reistijd dubbel geteld.");
        await page.ClickAsync("[data-testid=save-correction]");
        await page.ExpectAsync("[data-testid=time-entry] >> text=Correctie: Reistijd dubbel geteld.");
        await page.ExpectAsync("[data-testid=time-entry] >> text=120 → 75");

        // The month as CSV comes through the Portal with his token (never in the browser), named by the Api.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=time-csv]"));
        download.SuggestedFilename.ShouldMatch(@"^tijd-\d{4}-\d{2}\.csv$");
        (await File.ReadAllTextAsync(await download.PathAsync())).ShouldStartWith("datum;gezin;activiteit;");

        await using var family = await stack.NewContextAsync(1280, 900);
        var tessa = await family.SignInAsync(Tessa);
        await tessa.OpenAsync("/tijd", "[data-testid=family-time][data-patient=strikwerda-jesse]");
        await tessa.Locator("[data-testid=time-period] >> text=Afgelopen 3 maanden").ClickAsync();
        await tessa.ExpectAsync("[data-testid=family-time-entry] >> text=Correctie: Reistijd dubbel geteld.");
    }

    [Fact]
    public async Task The_coach_sees_her_teams_time_per_supporter_and_activity_without_families_or_notes()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(Marieke);
        await page.OpenAsync("/tijd", "[data-testid=time-total]");
        await page.Locator("[data-testid=time-period] >> text=Afgelopen 3 maanden").ClickAsync();
        await page.ExpectAsync("[data-testid=team-time] >> text=Ricardo (bondgenoot)");
        await page.ExpectAsync("[data-testid=team-time] >> text=Intervisie (buiten een gezin)");
        var team = await page.InnerTextAsync("[data-testid=team-time]");
        team.ShouldNotContain("Strikwerda");
        team.ShouldNotContain("Keukentafelgesprek");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/tijd scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }
}
