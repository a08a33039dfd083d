using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>The measurement plan and the coach's instruments (issue 20): the coach adds an instrument on Meetinstrumenten
/// (a Dutch error first), and Ricardo plans the metingen of the Strikwerda family (which has no plan in the demo) and sees
/// the 0-meting as gepland; both pages axe-clean and without sideways scrolling at 375 px.</summary>
public sealed class MeasurementPlanTests(PortalStack stack)
{
    private static readonly DemoUser Ricardo = DemoUsers.All.Single(u => u.Email.StartsWith("ricardo@", StringComparison.Ordinal));
    private static readonly DemoUser Marieke = DemoUsers.All.Single(u => u.Email.StartsWith("coach@bondgenoten", StringComparison.Ordinal));

    [Fact]
    public async Task The_coach_adds_an_instrument_and_Ricardo_plans_the_metingen_and_sees_the_0_meting_planned_on_a_phone()
    {
        await using (var coachContext = await stack.NewContextAsync(375, 800))
        {
            var coach = await coachContext.SignInAsync(Marieke);
            await coach.OpenAsync("/meetinstrumenten", "[data-testid=instruments]");
            await coach.ExpectAsync("[data-testid=instrument] >> text=Gezinsvragenlijst kwaliteit van leven");
            (await coach.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/meetinstrumenten scrolls sideways");
            (await coach.SeriousViolationsAsync()).ShouldBeEmpty();

            await coach.ClickAsync("[data-testid=add-instrument]");
            await coach.ExpectAsync("text=Geef het meetinstrument een naam.");
            await coach.FillAsync("#instrument-title", "Dagstructuur thuis");
            await coach.FillAsync("#instrument-item-1", "Er is een vast ritme op een gewone dag");
            await coach.FillAsync("#instrument-item-2", "Er is tijd voor rust");
            await coach.ClickAsync("[data-testid=add-instrument]");
            await coach.ExpectAsync("[data-testid=instrument] >> text=Dagstructuur thuis");
        }

        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(Ricardo);
        await page.OpenAsync("/dossier/strikwerda-jesse/metingen", "[data-testid=measurement-plan]");
        await page.ClickAsync("[data-testid=plan-measurements]");
        await page.ExpectAsync("[data-testid=planned-row][data-state=gepland] >> text=0-meting");
        (await page.Locator("[data-testid=planned-row]").CountAsync()).ShouldBe(3);
        (await page.Locator("[data-testid=plan-measurements]").CountAsync()).ShouldBe(0);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/metingen scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }
}
