using System.Globalization;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>The end-to-end scenarios of issue 8 that the Api of today allows, in Chromium, through the screens.</summary>
public sealed class ScenarioTests(PortalStack stack)
{
    /// <summary>Scenario 1 in full: a parent registers from the Portal's sign-in, starts her child's dossier and invites a
    /// copilot; the copilot opens the link in the mail (a real SMTP listener), makes an account, sets up two factors, signs
    /// in with them, and adds a goal and an agreement in the new dossier; the parent, with the plan open, sees both appear
    /// live, with who made them.</summary>
    [Fact]
    public async Task A_new_parent_starts_a_dossier_invites_a_copilot_by_mail_and_sees_the_copilots_goal_and_agreement_appear_live()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var mother = new NewAccount($"sanne-{run}@example.org", "Sanne Jansen");
        var copilot = new NewAccount($"femke-{run}@example.org", "Femke Visser (copiloot)");

        // The parent makes her account from the Portal's sign-in and is led to start a dossier.
        await using var parentContext = await stack.NewContextAsync();
        var parent = await parentContext.RegisterAsync(mother);
        // Identity asks her to confirm her address: the mail reaches the listener and its link works.
        var confirmation = await stack.WaitForMailAsync(mother.Email, "Bevestig uw e-mailadres");
        var confirm = await parentContext.NewPageAsync();
        await confirm.GotoAsync(confirmation.LinkTo("/account/bevestigen"));
        await confirm.ExpectAsync("#confirmed");
        await confirm.CloseAsync();
        await parent.ExpectAsync("[data-testid=start-dossier]");
        (await parent.InnerTextAsync("main")).ShouldContain("Start een dossier");
        (await parent.SeriousViolationsAsync()).ShouldBeEmpty();
        await parent.ClickAsync("[data-testid=start-dossier]");
        await parent.ExpectAsync("[data-testid=create-dossier]");
        await parent.ClickAsync("[data-testid=create-dossier]");
        await parent.ExpectAsync("text=Vul de voornaam in.");
        (await parent.SeriousViolationsAsync()).ShouldBeEmpty();
        await parent.FillAsync("#dossier-given", "Noor");
        await parent.FillAsync("#dossier-family", "Jansen");
        await parent.FillAsync("#dossier-birth", "2015-03-14");
        await parent.ClickAsync("[data-testid=create-dossier]");
        await parent.ExpectAsync("main h1:has-text('Noor Jansen')");
        var dossier = new Uri(parent.Url).AbsolutePath;
        dossier.ShouldStartWith("/dossier/");

        // She is the regiehouder: Toegang is hers. She invites the copilot to read and write the plan.
        await parent.OpenAsync(dossier + "/toegang", "[data-testid=access-matrix]");
        await parent.FillAsync("#invite-email", copilot.Email);
        await parent.SelectAsync("invite-role", "Ondersteuner (copiloot, bondgenoot)");
        await parent.GetByRole(AriaRole.Radio, new() { Name = "Lezen en schrijven" }).CheckAsync();
        await parent.ClickAsync("[data-testid=invite]");
        await parent.ExpectAsync($"[data-testid=invitations] >> text={copilot.Email}");

        // The copilot follows the link in the mail, makes an account and sets up two factors (supporters must).
        var mail = await stack.WaitForMailAsync(copilot.Email, "nodigt u uit");
        await using (var mailContext = await stack.NewContextAsync())
            await mailContext.AcceptInvitationAsync(mail.LinkTo("/uitnodiging"), copilot);

        // The parent keeps the plan open while the copilot signs in to the Portal, with two factors, and finds the dossier.
        await parent.OpenAsync(dossier + "/plan", "[data-testid=save-goal]");
        var reloads = 0;
        parent.FrameNavigated += (_, frame) => { if (frame == parent.MainFrame) reloads++; };
        await using var copilotContext = await stack.NewContextAsync();
        var supporter = await copilotContext.SignInAsync(copilot);
        await supporter.OpenDossierFromHomeAsync("Noor Jansen");
        await supporter.OpenAsync(dossier + "/plan", "[data-testid=save-goal]");
        await supporter.FillAsync("#goal-text", "Noor gaat twee middagen naar de logeeropvang");
        await supporter.SelectAsync("goal-domain", "Mantelzorg en ontlasting");
        await supporter.ClickAsync("[data-testid=save-goal]");
        await supporter.ExpectAsync("[data-testid=goals] >> text=Noor gaat twee middagen naar de logeeropvang");
        await supporter.FillAsync("#task-text", "Logeerhuis De Vlinder bellen");
        await supporter.SelectAsync("task-owner", "Iemand anders (alleen een naam)");
        await supporter.FillAsync("#task-who", "Femke");
        await supporter.FillAsync("#task-due", "2026-12-15");
        await supporter.ClickAsync("[data-testid=save-agreement]");
        await supporter.ExpectAsync("[data-testid=agreements] >> text=Logeerhuis De Vlinder bellen");

        // No reload on the parent's side: the plan updates itself and says who changed it.
        await parent.ExpectAsync("[data-testid=goals] >> text=Noor gaat twee middagen naar de logeeropvang");
        await parent.ExpectAsync("[data-testid=agreements] >> text=Logeerhuis De Vlinder bellen");
        await parent.ExpectAsync("h3:has-text('Mantelzorg en ontlasting')");
        (await parent.InnerTextAsync("[data-testid=live-last]")).ShouldContain($"{copilot.Name} heeft iets toegevoegd in");
        reloads.ShouldBe(0);
    }

    /// <summary>Scenario 2: the finances are hidden from the case manager (the family's grant denies them explicitly) and the
    /// parent hides one more document from her in Toegang; she then finds neither anywhere in the Portal: not in the
    /// documents, the dossier's start, the plan, nor by asking for the file directly.</summary>
    [Fact]
    public async Task The_parent_hides_a_document_from_the_professional_who_then_cannot_find_it()
    {
        await using var proContext = await stack.NewContextAsync();
        var professional = await proContext.SignInAsync(DemoUsers.Bos);
        await professional.OpenAsync("/dossier/strikwerda-jesse/documenten", "[data-testid=documents]");
        // The demo documents are stored just after start-up: wait for the one this test hides.
        await professional.ExpectAsync("[data-testid=documents] >> text=Aanvraag Wmo");
        (await professional.InnerTextAsync("main")).ShouldNotContain("schulden");

        await using var parentContext = await stack.NewContextAsync();
        var parent = await parentContext.SignInAsync(DemoUsers.Tessa);
        await parent.OpenAsync("/dossier/strikwerda-jesse/toegang", "[data-testid=access-matrix]");
        await parent.SelectAsync("hide-item", "Aanvraag Wmo");
        await parent.SelectAsync("hide-from", "Annelies Bos");
        await parent.ClickAsync("[data-testid=hide]");
        await parent.ExpectAsync("text=is verborgen voor");

        await professional.OpenAsync("/dossier/strikwerda-jesse/documenten", "[data-testid=documents]");
        (await professional.InnerTextAsync("main")).ShouldNotContain("Aanvraag Wmo");
        await professional.OpenAsync("/dossier/strikwerda-jesse", "[data-testid=changes]");
        (await professional.InnerTextAsync("main")).ShouldNotContain("Aanvraag Wmo");
        (await professional.InnerTextAsync("main")).ShouldNotContain("schulden");
        // Nor in the plan (the money goal is labelled financiën), nor by asking for the files directly.
        await professional.OpenAsync("/dossier/strikwerda-jesse/plan", "[data-testid=goals]");
        (await professional.InnerTextAsync("main")).ShouldNotContain("schulden");
        foreach (var file in new[] { "strikwerda-wmo-aanvraag", "strikwerda-financien-overzicht" })
            (await proContext.APIRequest.GetAsync($"/bestanden/strikwerda-jesse/{file}")).Status.ShouldBeOneOf([403, 404], file);
    }

    /// <summary>Scenario 3: the parent revokes the copilot. The copilot's open page loses the dossier at once (no click, no
    /// reload), with a Dutch message; the note they were typing is shown to copy, not lost; the menu no longer lists the dossier.</summary>
    [Fact]
    public async Task Revoking_the_copilot_closes_the_dossier_for_them_and_keeps_their_unsaved_text()
    {
        var ilona = DemoUsers.All.Single(u => u.Email == "ilona@dewit.example");
        var ilse = DemoUsers.All.Single(u => u.Email == "ilse@bondgenoten.example");
        await using var supporterContext = await stack.NewContextAsync();
        var supporter = await supporterContext.SignInAsync(ilse);
        await supporter.OpenAsync("/dossier/dewit-kim/logboek", "[data-testid=save-note]");
        await supporter.FillAsync("#note-text", "Kim sliep slecht; gesprek met de neuroloog voorbereid.");

        await using var parentContext = await stack.NewContextAsync();
        var parent = await parentContext.SignInAsync(ilona);
        try
        {
            await parent.OpenAsync("/dossier/dewit-kim/toegang", "[data-testid=access-matrix]");
            await parent.ClickAsync("[data-actor='Practitioner/bondgenoot-ilse'] [data-testid=revoke]");
            await parent.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Intrekken" }).ClickAsync();
            await parent.ExpectAsync("text=De toegang is ingetrokken.");
            // The row goes when the list has reloaded, which may come just after the message: wait for it (Playwright's retrying assertion).
            await Assertions.Expect(parent.Locator("[data-actor='Practitioner/bondgenoot-ilse']")).ToHaveCountAsync(0);

            await supporter.ExpectAsync("[data-testid=dossier-gone]");
            await supporter.ExpectAsync("[data-testid=live-last] >> text=zojuist ingetrokken");
            (await supporter.Locator("#note-text").CountAsync()).ShouldBe(0);
            (await supporter.InputValueAsync("#unsaved-text")).ShouldBe("Kim sliep slecht; gesprek met de neuroloog voorbereid.");
            (await supporter.SeriousViolationsAsync()).ShouldBeEmpty();
            await supporter.ExpectAsync("nav");
            (await supporter.Locator("nav >> text=Kim de Wit").CountAsync()).ShouldBe(0);
        }
        finally
        {
            // Give Ilse her grant back, so the other tests see the demo world as it was.
            using var api = await stack.ApiAsAsync(ilona);
            (await api.PostJsonAsync("/api/dossiers/dewit-kim/access/grants", new
            {
                // The demo's bondgenoot sections (Api/Demo/DemoGrants.cs BondgenootSections): a later test reads her gebeurtenissen.
                actor = "Practitioner/bondgenoot-ilse", role = "ondersteuner",
                sections = new[] { "plan", "doelen", "afspraken", "logboek", "berichten", "agenda", "netwerk", "metingen", "tijd", "gebeurtenissen" }, write = true,
            })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Scenario 4: the parent makes a share package for the gemeente that ends in under a minute; the Wmo consultant
    /// sees what was shared, for which purpose and until when, opens it and downloads exactly the shared document; when the
    /// package ends, the open page says in Dutch that it expired (the Api's dossier hub tells it; no click), the Api refuses
    /// the document, the parent's Toegang lists the package as verlopen, and "wie heeft wat bekeken" shows the download.</summary>
    [Fact]
    public async Task A_share_package_for_the_gemeente_opens_for_its_user_and_expires()
    {
        Needs.Blobs(); // documents need Azurite
        const string purpose = "Herindicatie dagbesteding (scenario 4)";
        const string document = "Indicatiebesluit Wlz Jesse Strikwerda";
        // The agency signs in first: the package runs for under a minute.
        await using var agencyContext = await stack.NewContextAsync();
        var agency = await agencyContext.SignInAsync(DemoUsers.DeGroot, "/gedeeld");

        await using var parentContext = await stack.NewContextAsync();
        var parent = await parentContext.SignInAsync(DemoUsers.Tessa);
        await parent.OpenAsync("/dossier/strikwerda-jesse/toegang", "[data-testid=access-matrix]");
        await parent.SelectAsync("share-org", "Gemeente Leeuwarden");
        await parent.FillAsync("#share-purpose", purpose);
        var end = DateTime.Now.AddSeconds(45);
        await parent.FillAsync("#share-until", end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await parent.FillAsync("#share-until-time", end.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        await parent.Locator($"label:has-text('{document}')").ClickAsync();
        await parent.ClickAsync("[data-testid=share]");
        await parent.ExpectAsync("text=Het deelpakket is gemaakt.");

        // What was shared with us, for which purpose, until when.
        await agency.OpenAsync("/gedeeld", $"[data-testid=package-row][data-state=open]:has-text('{purpose}')");
        var row = await agency.InnerTextAsync($"[data-testid=package-row]:has-text('{purpose}')");
        row.ShouldContain("Jesse Strikwerda");
        row.ShouldContain("1 stuk");
        row.ShouldContain(end.ToString("HH:mm", CultureInfo.InvariantCulture));
        await agency.ClickAsync($"[data-testid=package-row]:has-text('{purpose}') [data-testid=open-package]");
        await agency.ExpectAsync("[data-testid=package-items]");
        (await agency.InnerTextAsync("[data-testid=package-purpose]")).ShouldContain(purpose);
        (await agency.Locator("[data-testid=package-items] > li").CountAsync()).ShouldBe(1);
        (await agency.InnerTextAsync("[data-testid=package-items]")).ShouldContain(document);
        var main = await agency.InnerTextAsync("main");
        main.ShouldNotContain("schulden");
        main.ShouldNotContain("Aanvraag Wmo");
        var download = await agency.RunAndWaitForDownloadAsync(() => agency.ClickAsync("[data-testid=download]"));
        download.SuggestedFilename.ShouldEndWith(".pdf");
        (await File.ReadAllBytesAsync(await download.PathAsync())).Take(4).ToArray().ShouldBe("%PDF"u8.ToArray());
        (await agency.SeriousViolationsAsync()).ShouldBeEmpty();

        // The package ends: the open page says so by itself (Playwright waits up to 60 s; the package ends within 45 s).
        await agency.ExpectAsync("[data-testid=package-expired]");
        (await agency.InnerTextAsync("[data-testid=package-expired]")).ShouldContain("Dit deelpakket is verlopen");
        (await agency.Locator("[data-testid=download]").CountAsync()).ShouldBe(0);
        (await agency.SeriousViolationsAsync()).ShouldBeEmpty();
        await agency.OpenAsync("/gedeeld", $"[data-testid=package-row][data-state=verlopen]:has-text('{purpose}')");
        using (var api = await stack.ApiAsAsync(DemoUsers.DeGroot))
        {
            (await api.GetAsync("/fhir/DocumentReference/demo-strikwerda-jesse-indicatiebesluit")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
            (await api.GetAsync("/api/dossiers/strikwerda-jesse/documents/demo-strikwerda-jesse-indicatiebesluit/content")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        }

        // The family sees the package as expired, and who viewed what.
        await parent.OpenAsync("/dossier/strikwerda-jesse/toegang", $"[data-testid=share-package][data-state=verlopen]:has-text('{purpose}')");
        await parent.ClickAsync("[data-testid=audit-search]");
        await parent.ExpectAsync("[data-testid=audit-table] tbody tr");
        await parent.SelectAsync("audit-person", "Peter de Groot");
        await parent.ClickAsync("[data-testid=audit-search]");
        // The unfiltered table already lists his download: wait for the filtered one (no rows of Tessa left), then look.
        await Assertions.Expect(parent.Locator("[data-testid=audit-table] tbody")).Not.ToContainTextAsync("Tessa", new() { Timeout = 60_000 });
        await Assertions.Expect(parent.Locator("[data-testid=audit-table]")).ToContainTextAsync($"downloadde {document}");
    }

    /// <summary>Scenario 5: two people co-write one logbook note. The second save, made on the old version, is not written
    /// over the first: the Portal shows the merge of both edits in the editor, in Dutch, and saving it keeps both.</summary>
    [Fact]
    public async Task Two_people_co_write_one_logbook_note_and_the_later_save_merges_instead_of_overwriting()
    {
        var ilona = DemoUsers.All.Single(u => u.Email == "ilona@dewit.example");
        var ilse = DemoUsers.All.Single(u => u.Email == "ilse@bondgenoten.example");
        const string note = "Co-schrijven een\nCo-schrijven twee\nCo-schrijven drie\nCo-schrijven vier\nCo-schrijven vijf";
        const string edit = "li:has-text('Co-schrijven een') [data-testid=edit-note]";

        await using var parentContext = await stack.NewContextAsync();
        var parent = await parentContext.SignInAsync(ilona);
        await parent.OpenAsync("/dossier/dewit-kim/logboek", "[data-testid=save-note]");
        await parent.FillAsync("#note-text", note);
        await parent.ClickAsync("[data-testid=save-note]");
        await parent.ExpectAsync(edit);

        await using var supporterContext = await stack.NewContextAsync();
        var supporter = await supporterContext.SignInAsync(ilse);
        await supporter.OpenAsync("/dossier/dewit-kim/logboek", edit);
        await supporter.ClickAsync(edit);
        await supporter.ExpectAsync("#edit-note-text");
        await parent.ClickAsync(edit);
        await parent.ExpectAsync("#edit-note-text");

        await parent.FillAsync("#edit-note-text", note.Replace("Co-schrijven een", "Co-schrijven een (Ilona)"));
        await parent.ClickAsync("[data-testid=save-edit]");
        await parent.ExpectAsync("[data-testid=notes] >> text=Co-schrijven een (Ilona)");

        // Ilse still edits the version she opened; her editor stays while the list updates live.
        await supporter.FillAsync("#edit-note-text", note.Replace("Co-schrijven vijf", "Co-schrijven vijf (Ilse)"));
        await supporter.ClickAsync("[data-testid=save-edit]");
        await supporter.ExpectAsync("[data-testid=note-merged]");
        var merged = await supporter.InputValueAsync("#edit-note-text");
        merged.ShouldContain("Co-schrijven een (Ilona)");
        merged.ShouldContain("Co-schrijven vijf (Ilse)");
        (await supporter.SeriousViolationsAsync()).ShouldBeEmpty();

        await supporter.ClickAsync("[data-testid=save-edit]");
        await supporter.ExpectAsync("[data-testid=notes] >> text=Co-schrijven vijf (Ilse)");
        // Retrying: the list may still be re-rendering after the save.
        await Assertions.Expect(supporter.Locator("[data-testid=notes]")).ToContainTextAsync("Co-schrijven een (Ilona)");
    }

    /// <summary>"Wie heeft wat bekeken": the parent filters the audit trail by person and downloads it as CSV.</summary>
    [Fact]
    public async Task The_parent_sees_who_viewed_what_filters_it_and_downloads_it_as_csv()
    {
        await using var context = await stack.NewContextAsync();
        var parent = await context.SignInAsync(DemoUsers.Luc);
        await parent.OpenAsync("/dossier/vanassen-luc/toegang", "[data-testid=access-matrix]");
        await parent.ClickAsync("[data-testid=audit-search]");
        await parent.ExpectAsync("[data-testid=audit-table] tbody tr");
        await parent.SelectAsync("audit-section", "Toegang en logging");
        await parent.ClickAsync("[data-testid=audit-search]");
        await parent.ExpectAsync("[data-testid=audit-table] tbody tr");
        var download = await parent.RunAndWaitForDownloadAsync(() => parent.ClickAsync("[data-testid=audit-export]"));
        download.SuggestedFilename.ShouldBe("wie-heeft-wat-bekeken-vanassen-luc.csv");
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        csv.ShouldStartWith("nr;tijdstip;wie;rol");
        csv.ShouldContain("toegang");
    }

    /// <summary>Scenario 6: a copilot posts in the team space and the guard catches a BSN; nothing is posted, the text stays,
    /// and after taking the number out the post goes through.</summary>
    [Fact]
    public async Task The_team_space_guard_catches_a_BSN_before_anything_is_posted()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Elise);
        await page.OpenAsync("/team", "[data-testid=threads]");
        const string withBsn = "Wie weet hoe het CIZ omgaat met BSN 111222333 bij een herindicatie?";
        await page.FillAsync("#post-text", withBsn);
        await page.ClickAsync("[data-testid=post-text-send]");
        await page.ExpectAsync("[data-testid=guard-warning]");
        (await page.InputValueAsync("#post-text")).ShouldBe(withBsn);
        (await page.InnerTextAsync("[data-testid=threads]")).ShouldNotContain("111222333");

        await page.FillAsync("#post-text", "Wie weet hoe het CIZ omgaat met een herindicatie na een verhuizing?");
        await page.ClickAsync("[data-testid=post-text-send]");
        await page.ExpectAsync("[data-testid=threads] >> text=herindicatie na een verhuizing");
        (await page.Locator("[data-testid=guard-warning]").CountAsync()).ShouldBe(0);
    }
}
