using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Issue 18 in the Portal, the family's side of access: a sibling's own dossier keeps his private talks from his
/// parents, and a parent makes the other parent a second regiehouder by invitation, at 375 and 1280 px with axe.</summary>
public sealed class FamilyAccessTests(PortalStack stack)
{
    /// <summary>Lex de Wit (14) has a dossier of his own (the family demo: Patient dewit-lex, Ilona and Frank regiehouders,
    /// Ilse a grant). Ilse writes to Lex there; Ilona, his regiehouder, opens Lex's dossier and finds the message nowhere:
    /// not in Berichten, not on the start, not by the dossier's search, and not from the Api (search and $everything).</summary>
    [Fact]
    public async Task A_siblings_private_talk_with_the_supporter_stays_invisible_to_the_parents()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var words = $"Voetbaltraining {run}";
        var ilse = DemoUsers.All.Single(u => u.Email == "ilse@bondgenoten.example");
        var ilona = DemoUsers.All.Single(u => u.Email == "ilona@dewit.example");

        await using (var supporterContext = await stack.NewContextAsync())
        {
            var supporter = await supporterContext.SignInAsync(ilse);
            await supporter.OpenAsync("/dossier/dewit-lex/berichten", "[data-testid=new-thread]");
            await supporter.ClickAsync("[data-testid=new-thread]");
            await supporter.ExpectAsync("[data-testid=recipients]");
            var lex = supporter.Locator("[data-testid=recipients] label", new() { HasText = "Lex" });
            if (await lex.CountAsync() > 0)
            {
                // Lex is in his own network: a new conversation with him alone.
                await lex.First.ClickAsync();
                await supporter.ExpectAsync("[data-testid=who-can-read] >> text=Lex");
                await supporter.FillAsync("#message-topic", $"Alleen voor Lex {run}");
                await supporter.FillAsync("#message-new-text", $"{words}: hoe ging het zaterdag?");
                await supporter.ClickAsync("[data-testid=send-new]");
            }
            else
            {
                // Otherwise the conversation the demo holds between Ilse and Lex: the reply goes to Lex only.
                await supporter.ClickAsync("text=Annuleren");
                await supporter.ExpectAsync("[data-testid=thread-messages]");
                await supporter.ExpectAsync("[data-testid=who-can-read] >> text=Lex");
                await supporter.FillAsync("#message-reply", $"{words}: hoe ging het zaterdag?");
                await supporter.ClickAsync("[data-testid=send-reply]");
            }
            await supporter.ExpectAsync($"[data-testid=thread-messages] >> text={words}");
        }

        await using var parentContext = await stack.NewContextAsync(375, 800);
        var parent = await parentContext.SignInAsync(ilona);
        // She is Lex's regiehouder: his dossier is hers to open, Berichten included ...
        await parent.OpenAsync("/dossier/dewit-lex/berichten", "main h1:has-text('Lex de Wit')");
        await parent.ExpectAsync("[data-testid=threads]");
        // ... but a conversation she is not in is not there (wait for the page to have settled on its threads first).
        await parent.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await parent.InnerTextAsync("main")).ShouldNotContain(run);
        (await parent.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "Berichten scrolls sideways");
        (await parent.SeriousViolationsAsync()).ShouldBeEmpty();

        await parent.ResizeAsync(1280);
        await parent.OpenAsync("/dossier/dewit-lex", "[data-testid=changes]");
        await parent.ExpectAsync("[data-testid=since][data-visit=read]");
        (await parent.InnerTextAsync("main")).ShouldNotContain(run);
        (await parent.SeriousViolationsAsync()).ShouldBeEmpty();
        await parent.OpenAsync($"/dossier/dewit-lex/zoeken?q={run}", "[data-testid=search-count]");
        (await parent.InnerTextAsync("[data-testid=search-count]")).ShouldContain("Niets gevonden");

        // The Api answers her the same: the message is in no search and not in the dossier's $everything.
        using var api = await stack.ApiAsAsync(ilona);
        (await api.GetStringAsync("/fhir/Communication?patient=Patient/dewit-lex&_count=200")).ShouldNotContain(run);
        (await api.GetStringAsync("/fhir/Patient/dewit-lex/$everything")).ShouldNotContain(run);
    }

    /// <summary>Two regiehouders in two households: a parent starts a dossier, invites the other parent as "Tweede
    /// regiehouder", the other parent accepts from the mail, finds the dossier with Toegang in it, and sees there that
    /// the first parent holds regie too, and what the first parent changed.</summary>
    [Fact]
    public async Task A_parent_invites_the_other_parent_as_second_regiehouder_who_then_manages_access_too()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var mother = new NewAccount($"marloes-{run}@example.org", "Marloes Dekker");
        var father = new NewAccount($"bas-{run}@example.org", "Bas Dekker");
        var child = $"Fleur Dekker{run}";

        await using var motherContext = await stack.NewContextAsync(375, 800);
        var page = await motherContext.RegisterAsync(mother);
        var confirmation = await stack.WaitForMailAsync(mother.Email, "Bevestig uw e-mailadres");
        var confirm = await motherContext.NewPageAsync();
        await confirm.GotoAsync(confirmation.LinkTo("/account/bevestigen"));
        await confirm.ExpectAsync("#confirmed");
        await confirm.CloseAsync();
        await page.ExpectAsync("[data-testid=start-dossier]");
        await page.ClickAsync("[data-testid=start-dossier]");
        await page.ExpectAsync("[data-testid=create-dossier]");
        await page.FillAsync("#dossier-given", "Fleur");
        await page.FillAsync("#dossier-family", $"Dekker{run}");
        await page.FillAsync("#dossier-birth", "2016-05-20");
        await page.ClickAsync("[data-testid=create-dossier]");
        await page.ExpectAsync($"main h1:has-text('{child}')");
        var dossier = new Uri(page.Url).AbsolutePath;

        // Only a regiehouder is offered the role; choosing it asks for no sections (a regiehouder sees everything).
        await page.OpenAsync(dossier + "/toegang", "[data-testid=access-matrix]");
        await page.FillAsync("#invite-email", father.Email);
        await page.SelectAsync("invite-role", "Tweede regiehouder");
        await page.ExpectAsync("[data-testid=invite-regiehouder-info]");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "Toegang scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=invite]");
        await page.ExpectAsync($"[data-testid=invitations] >> text={father.Email}");
        (await page.InnerTextAsync("[data-testid=invitations]")).ShouldContain("Tweede regiehouder");

        // The other parent accepts from the mail with a new account (a regiehouder needs no second factor) ...
        var mail = await stack.WaitForMailAsync(father.Email, "nodigt u uit");
        await using var fatherContext = await stack.NewContextAsync(1280, 900);
        var invite = await fatherContext.NewPageAsync();
        await invite.GotoAsync(mail.LinkTo("/uitnodiging"));
        await invite.ExpectAsync("#summary");
        await invite.FillAsync("#Form_DisplayName", father.Name);
        await invite.FillAsync("#Form_Password", father.Password);
        await invite.ClickAsync("button[type=submit].primary");
        await invite.WaitForURLAsync(url => !url.Contains("/uitnodiging", StringComparison.Ordinal));
        await invite.CloseAsync();

        // ... signs in to the Portal and finds the dossier (the Api reads the accepted invitation from Identity's feed).
        var second = await fatherContext.NewPageAsync();
        await second.GotoAsync("/");
        if (await second.Locator("#Form_Email").CountAsync() > 0)
        {
            await second.FillAsync("#Form_Email", father.Email);
            await second.FillAsync("#Form_Password", father.Password);
            await second.ClickAsync("button[type=submit].primary");
        }
        await second.WaitForSelectorAsync("[data-testid=signed-in-as]", new() { State = WaitForSelectorState.Attached });
        await second.OpenDossierFromHomeAsync(child);

        // Toegang is his now too: the menu offers it, and both parents hold regie there.
        await second.ExpectAsync($"a[href='{dossier}/toegang']");
        await second.OpenAsync(dossier + "/toegang", "[data-testid=access-matrix]");
        var matrix = second.Locator("[data-testid=access-matrix]");
        await Assertions.Expect(matrix.Locator("[data-testid=access-row]", new() { HasText = mother.Name })).ToContainTextAsync("Regiehouder");
        await Assertions.Expect(matrix.Locator("[data-testid=access-row]", new() { HasText = father.Name })).ToContainTextAsync("Regiehouder");
        // Each sees what the other changed: the first parent's regie, from his side, is marked as someone else's change.
        await second.ExpectAsync("[data-testid=access-change][data-by-other=true]");
        (await second.InnerTextAsync("[data-testid=access-changes]")).ShouldContain(mother.Name);
        (await second.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    /// <summary>Stand-ins in the Portal: the family allows them on Ricardo's grant, the team's coach names Hans (same
    /// team) for a week on /invallers, the family sees him on Toegang and stops it. Restored afterwards (Jesse's grants are
    /// read by other tests).</summary>
    [Fact]
    public async Task The_family_allows_a_stand_in_the_coach_names_a_colleague_and_the_family_sees_and_stops_it()
    {
        const string toegang = "/dossier/strikwerda-jesse/toegang";
        var ricardoCard = "[data-testid=supporter-grant]:has-text('Ricardo')";
        await using var familyContext = await stack.NewContextAsync();
        var family = await familyContext.SignInAsync(DemoUsers.Tessa);
        try
        {
            await family.OpenAsync(toegang, ricardoCard);
            var allow = family.Locator($"{ricardoCard} input[data-testid=allow-stand-in], {ricardoCard} [data-testid=allow-stand-in] input");
            if (!await allow.IsCheckedAsync())
            {
                await allow.ClickAsync();
                await family.ExpectAsync("text=Er mag nu een invaller zijn voor");
            }
            await family.ExpectAsync($"{ricardoCard} [data-testid=name-stand-in]");

            // The coach sees the grant on /invallers and names Hans, a colleague of Ricardo's team, for a week.
            await using (var coachContext = await stack.NewContextAsync(375, 800))
            {
                var coach = await coachContext.SignInAsync(DemoUsers.Coach);
                var candidate = "[data-testid=stand-in-candidate]:has-text('Jesse Strikwerda')";
                await coach.OpenAsync("/invallers", candidate);
                (await coach.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/invallers scrolls sideways");
                (await coach.SeriousViolationsAsync()).ShouldBeEmpty();
                await coach.ClickAsync($"{candidate} [data-testid=name-stand-in]");
                await coach.SelectAsync("stand-in-colleague", "Hans");
                await coach.FillAsync("#stand-in-until", DateTime.Today.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                await coach.ClickAsync("[data-testid=stand-in-save]");
                await coach.ExpectAsync($"{candidate} [data-testid=stand-in] >> text=Hans");
                (await coach.SeriousViolationsAsync()).ShouldBeEmpty();
            }

            // The family sees the stand-in under Ricardo, and stops it.
            await family.OpenAsync(toegang, $"{ricardoCard} [data-testid=stand-in]");
            (await family.InnerTextAsync($"{ricardoCard} [data-testid=stand-ins]")).ShouldContain("Invaller: Hans");
            (await family.SeriousViolationsAsync()).ShouldBeEmpty();
            await family.ClickAsync($"{ricardoCard} [data-testid=stop-stand-in]");
            await family.ClickAsync("[data-testid=revoke-confirm]");
            await family.ExpectAsync("text=De invaller is gestopt.");
            await Assertions.Expect(family.Locator($"{ricardoCard} [data-testid=stand-in]")).ToHaveCountAsync(0);
        }
        finally
        {
            // Jesse's grants as they were: no stand-in in force, stand-ins not allowed.
            await family.OpenAsync(toegang, ricardoCard);
            while (await family.Locator($"{ricardoCard} [data-testid=stop-stand-in]").CountAsync() > 0)
            {
                await family.Locator($"{ricardoCard} [data-testid=stop-stand-in]").First.ClickAsync();
                await family.ClickAsync("[data-testid=revoke-confirm]");
                await family.ExpectAsync("text=De invaller is gestopt.");
                await family.OpenAsync(toegang, ricardoCard);
            }
            var allow = family.Locator($"{ricardoCard} input[data-testid=allow-stand-in], {ricardoCard} [data-testid=allow-stand-in] input");
            if (await allow.IsCheckedAsync())
            {
                await allow.ClickAsync();
                await family.ExpectAsync("text=Er mag geen nieuwe invaller meer komen voor");
            }
        }
    }
}
