using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>The plan screen (issue 16): the family's plan written, evaluated and closed in the Portal, the waakvlam-plan
/// with its contact rhythm, goals about a naaste with progress notes; read-only for whoever may only read the plan.
/// The writing happens in a family the test starts itself, so no demo data other tests read changes.</summary>
public sealed class PlanTests(PortalStack stack)
{
    [Fact]
    public async Task A_parent_writes_and_evaluates_the_plan_adds_a_waakvlam_plan_and_notes_progress_on_a_goal_on_a_phone()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var mother = new NewAccount($"mirjam-{run}@example.org", "Mirjam de Boer");
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.RegisterAsync(mother);
        var confirmation = await stack.WaitForMailAsync(mother.Email, "Bevestig uw e-mailadres");
        var confirm = await context.NewPageAsync();
        await confirm.GotoAsync(confirmation.LinkTo("/account/bevestigen"));
        await confirm.ExpectAsync("#confirmed");
        await confirm.CloseAsync();
        await page.ExpectAsync("[data-testid=start-dossier]");
        await page.ClickAsync("[data-testid=start-dossier]");
        await page.FillAsync("#dossier-given", "Sem");
        await page.FillAsync("#dossier-family", "de Boer");
        await page.FillAsync("#dossier-birth", "2014-09-02");
        await page.ClickAsync("[data-testid=create-dossier]");
        await page.ExpectAsync("main h1:has-text('Sem de Boer')");
        var plan = new Uri(page.Url).AbsolutePath + "/plan";

        // An empty dossier: no plan yet, and the parent (regiehouder) may start one.
        await page.OpenAsync(plan, "[data-testid=new-plan]");
        await page.ExpectAsync("[data-testid=no-plan]");
        (await SeriousViolationsAsync(page)).ShouldBeEmpty();

        await page.ClickAsync("[data-testid=new-plan]");
        await page.FillAsync("#plan-title", "Gezinsplan De Boer");
        await page.FillAsync("#plan-text", "Sem gaat **elke dag** naar school.\n\n- rust in huis\n- een vaste logeerplek");
        await page.SelectAsync("plan-intensity", "Intensief");
        var next = DateTime.Today.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.FillAsync("#plan-next", next);
        (await SeriousViolationsAsync(page)).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=save-plan]");

        // The plan as written: Markdown rendered, who made it, the intensity, the next evaluation.
        await page.ExpectAsync("[data-testid=plan] [data-testid=plan-text] strong");
        (await page.InnerTextAsync("[data-testid=plan] [data-testid=plan-text] strong")).ShouldBe("elke dag");
        (await page.InnerTextAsync("[data-testid=plan] [data-testid=plan-text]")).ShouldNotContain("**");
        (await page.Locator("[data-testid=plan] [data-testid=plan-text] li").CountAsync()).ShouldBe(2);
        (await page.InnerTextAsync("[data-testid=plan] [data-testid=plan-made]")).ShouldContain("Gemaakt door Mirjam de Boer");
        (await page.InnerTextAsync("[data-testid=plan] [data-testid=plan-intensity]")).ShouldContain("Intensief");
        (await page.InnerTextAsync("[data-testid=plan] [data-testid=next-evaluation]")).ShouldNotContain("nog niet gepland");
        (await page.InnerTextAsync("[data-testid=plan] [data-testid=next-evaluation]")).ShouldNotContain(next);

        // Evaluated today: the evaluation is in the history with who and what; the next one is planned again.
        await page.ClickAsync("[data-testid=evaluate-plan]");
        await page.FillAsync("#evaluation-text", "Het gaat *beter*: Sem slaapt weer door.");
        await page.FillAsync("#evaluation-next", DateTime.Today.AddDays(120).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=save-evaluation]");
        await page.ExpectAsync("[data-testid=plan] [data-testid=evaluations] em");
        var history = await page.InnerTextAsync("[data-testid=plan] [data-testid=evaluations]");
        history.ShouldContain("Sem slaapt weer door.");
        history.ShouldContain("Mirjam de Boer");

        // Edited: the new intensity shows.
        await page.ClickAsync("[data-testid=edit-plan]");
        (await page.InputValueAsync("#plan-title")).ShouldBe("Gezinsplan De Boer");
        await page.SelectAsync("plan-intensity", "Afschalen");
        await page.ClickAsync("[data-testid=save-plan]");
        await page.ExpectAsync("[data-testid=plan] [data-testid=plan-intensity]:has-text('Afschalen')");

        // The waakvlam-plan: its own plan, waiting until support scales down, with a contact rhythm.
        await page.ClickAsync("[data-testid=new-waakvlam]");
        await page.FillAsync("#plan-text", "Mirjam belt de bondgenoot als het thuis weer onrustig wordt.");
        await page.SelectAsync("plan-rhythm", "Elke drie maanden");
        await page.ClickAsync("[data-testid=save-plan]");
        await page.ExpectAsync("[data-testid=waakvlam-plan] [data-testid=contact-rhythm]");
        (await page.InnerTextAsync("[data-testid=waakvlam-plan] [data-testid=contact-rhythm]")).ShouldContain("Elke drie maanden");
        (await page.InnerTextAsync("[data-testid=waakvlam-plan] [data-testid=plan-status]")).ShouldContain("Nog niet gestart");

        // A goal about a naaste (Mirjam herself), then progress on it: who, when, what changed.
        await page.FillAsync("#goal-text", "Mirjam heeft één avond per week voor zichzelf");
        await page.SelectAsync("goal-domain", "Mantelzorg en ontlasting");
        await page.SelectAsync("goal-concerns", "Mirjam");
        await page.ClickAsync("[data-testid=save-goal]");
        var goal = page.Locator("[data-testid=goal]", new() { HasText = "Mirjam heeft één avond per week voor zichzelf" });
        await goal.Locator("[data-testid=goal-concerns]").WaitForAsync();
        (await goal.Locator("[data-testid=goal-concerns]").InnerTextAsync()).ShouldContain("Mirjam");
        await goal.Locator("[data-testid=write-progress]").ClickAsync();
        await goal.Locator("textarea").FillAsync("Oma past nu op **dinsdag** op.");
        (await SeriousViolationsAsync(page)).ShouldBeEmpty();
        await goal.Locator("[data-testid=save-progress]").ClickAsync();
        await goal.Locator("[data-testid=goal-progress] strong").WaitForAsync();
        var progress = await goal.Locator("[data-testid=goal-progress]").InnerTextAsync();
        progress.ShouldContain("Oma past nu op dinsdag op.");
        progress.ShouldContain("Mirjam de Boer");

        // A loose verwachting is marked as one.
        await page.FillAsync("#goal-text", "Sem wil later met dieren werken");
        await page.SelectAsync("goal-domain", "Dagbesteding en werk");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Verwachting" }).CheckAsync();
        await page.ClickAsync("[data-testid=save-goal]");
        await page.ExpectAsync("[data-testid=goal]:has-text('Sem wil later met dieren werken') >> text=Verwachting");

        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        (await SeriousViolationsAsync(page)).ShouldBeEmpty();

        // Closed: it leaves the current plans and stays readable under the closed ones.
        await page.ClickAsync("[data-testid=plan] [data-testid=close-plan]");
        await page.ClickAsync("[data-testid=confirm-close-plan]");
        await page.ExpectAsync("[data-testid=closed-plans] >> text=Gezinsplan De Boer");
        await page.ExpectAsync("[data-testid=no-plan]");

        await page.ResizeAsync(1280, 900);
        (await SeriousViolationsAsync(page)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_professional_who_may_only_read_the_plan_sees_it_and_its_evaluations_without_buttons_and_the_Api_refuses_her_edit()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Bos);
        await page.OpenAsync("/dossier/strikwerda-jesse/plan", "[data-testid=plan]");
        (await page.InnerTextAsync("[data-testid=plan]")).ShouldContain("Gezinsplan Strikwerda");
        await page.ExpectAsync("[data-testid=plan] [data-testid=evaluations]");
        (await page.Locator("[data-testid=edit-plan]").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=evaluate-plan]").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=new-plan]").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=write-progress]").CountAsync()).ShouldBe(0);
        // The goal about Cheryl says whom it concerns, and its progress note who wrote it.
        var cheryl = page.Locator("[data-testid=goal]", new() { HasText = "Cheryl kan haar opleiding afmaken" });
        (await cheryl.Locator("[data-testid=goal-concerns]").InnerTextAsync()).ShouldContain("Cheryl");
        (await cheryl.Locator("[data-testid=goal-progress]").InnerTextAsync()).ShouldContain("Ricardo");
        await page.ResizeAsync(375, 800);
        (await SeriousViolationsAsync(page)).ShouldBeEmpty();

        // Hiding the buttons is not the rule: the Api refuses her evaluation of the plan all the same.
        using var api = await stack.ApiAsAsync(DemoUsers.Bos);
        var current = JsonNode.Parse(await api.GetStringAsync("/fhir/CarePlan/strikwerda-plan"))!;
        current["title"] = "Gezinsplan Strikwerda (door Bos)";
        using var put = await api.PutAsync("/fhir/CarePlan/strikwerda-plan", new StringContent(current.ToJsonString(), Encoding.UTF8, "application/fhir+json"));
        ((int)put.StatusCode).ShouldBeOneOf([403, 404]);
    }

    /// <summary>axe once the snackbars are gone: a success snackbar fading in is measured half-transparent (the theme's own
    /// colours, not this screen's).</summary>
    private static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        await page.Locator(".mud-snackbar").First.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
        return await page.SeriousViolationsAsync();
    }
}
