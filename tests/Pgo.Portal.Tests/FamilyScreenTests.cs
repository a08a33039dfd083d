using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>The family's own screens: the dossier home (what changed since the last visit, what is due), Berichten
/// (threads, reply, live for the other person, a refused send keeps the text) and Metingen (the chart's text table). Each screen is checked with axe.</summary>
public sealed class FamilyScreenTests(PortalStack stack)
{
    private static readonly DemoUser Karin = DemoUsers.All.Single(u => u.Email == "karin@frank.example");
    private static readonly DemoUser Ruben = DemoUsers.All.Single(u => u.Email == "ruben@frank.example");

    [Fact]
    public async Task The_home_shows_the_overdue_agreement_the_one_due_soon_and_links_to_the_goals_and_measurements()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync("/dossier/strikwerda-jesse", "[data-testid=due] li");

        var overdue = page.Locator("[data-testid=due] li[data-overdue=true]");
        (await overdue.InnerTextAsync()).ShouldContain("Aanvraag dagbesteding (Wmo) indienen");
        (await overdue.InnerTextAsync()).ShouldContain("te laat");
        var soon = await page.Locator("[data-testid=due] li:not([data-overdue=true])").AllInnerTextsAsync();
        soon.ShouldContain(t => t.Contains("Gesprek met de mentor van Rowena"));
        soon.ShouldContain(t => t.Contains("Evaluatie gezinsplan"));
        (await page.Locator("[data-testid=home-measurements]").InnerTextAsync()).ShouldContain("Gezinsvragenlijst kwaliteit van leven: 33");
        (await page.Locator("[data-testid=home-goals] li").CountAsync()).ShouldBeGreaterThan(0);
        (await page.GetByRole(AriaRole.Link, new() { Name = "Naar de metingen" }).GetAttributeAsync("href")).ShouldBe("/dossier/strikwerda-jesse/metingen");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_home_remembers_the_last_visit_and_then_shows_only_what_changed_since()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(Karin);
        await page.OpenAsync("/dossier/frank-leo", "[data-testid=since][data-visit=read]");
        (await page.InnerTextAsync("[data-testid=since]")).ShouldBe("Dit is er het laatst gebeurd.");
        (await page.Locator("[data-testid=changes] li").CountAsync()).ShouldBeGreaterThan(0);

        // Someone else writes after this visit; the next visit names the previous one and shows that message.
        var text = $"Leo vraagt of hij vrijdag mag blijven slapen ({Guid.NewGuid():N})";
        using (var api = await stack.ApiAsAsync(Ruben))
            (await api.PostAsync("/fhir/Communication", FhirMessage(text))).EnsureSuccessStatusCode();
        await page.OpenAsync("/dossier/frank-leo", "[data-testid=since][data-visit=read]");
        (await page.InnerTextAsync("[data-testid=since]")).ShouldStartWith("Sinds uw vorige bezoek op");
        await page.ExpectAsync($"[data-testid=changes] >> text={text[..30]}");
        (await page.Locator("[data-testid=changes]").InnerTextAsync()).ShouldNotContain("Verzoekschrift mentorschap");
    }

    [Fact]
    public async Task A_reply_appears_in_the_thread_and_live_for_the_other_parent_without_reload()
    {
        await using var karinContext = await stack.NewContextAsync();
        var karin = await karinContext.SignInAsync(Karin);
        await karin.OpenAsync("/dossier/frank-leo/berichten", "[data-testid=threads] >> text=Weekend Leo");
        await karin.ClickAsync("[data-testid=threads] >> text=Weekend Leo");
        await karin.ExpectAsync("[data-testid=thread-messages] >> text=brommerbeurs");

        await using var rubenContext = await stack.NewContextAsync();
        var ruben = await rubenContext.SignInAsync(Ruben);
        await ruben.OpenAsync("/dossier/frank-leo/berichten", "[data-testid=threads] >> text=Weekend Leo");
        await ruben.ClickAsync("[data-testid=threads] >> text=Weekend Leo");
        var reply = $"Ik breng hem zondag om zes uur terug ({Guid.NewGuid().ToString("N")[..8]})";
        // The reply goes to the others in the conversation, and the screen says so.
        // Blazor renders the thread's participants after the click: wait for the text, then read it.
        await ruben.ExpectAsync("[data-testid=who-can-read] >> text=Karin Frank");
        (await ruben.InnerTextAsync("[data-testid=who-can-read]")).ShouldStartWith("Alleen u en ");
        await ruben.FillAsync("#message-reply", reply);
        await ruben.ClickAsync("[data-testid=send-reply]");
        await ruben.ExpectAsync($"[data-testid=thread-messages] >> text={reply}");
        (await ruben.InputValueAsync("#message-reply")).ShouldBe("");

        // Karin's open page gets it without a reload, in the same thread, with who wrote it.
        await karin.ExpectAsync($"[data-testid=thread-messages] >> text={reply}");
        (await karin.Locator("[data-testid=thread-messages] li").Last.InnerTextAsync()).ShouldContain("Ruben Frank");
        (await karin.SeriousViolationsAsync()).ShouldBeEmpty();

        // A refused send (the Api refuses HTML in a message) says why in Dutch and keeps the text in the box.
        const string refused = "Kijk hier: <script>alert('hoi')</script>";
        await ruben.FillAsync("#message-reply", refused);
        await ruben.ClickAsync("[data-testid=send-reply]");
        await ruben.ExpectAsync("[data-testid=problem]");
        (await ruben.InnerTextAsync("[data-testid=problem]")).ShouldContain("HTML");
        (await ruben.InputValueAsync("#message-reply")).ShouldBe(refused);

        // A new conversation to someone in the network shows up in the other parent's list.
        var topic = $"Verjaardag oma {Guid.NewGuid().ToString("N")[..6]}";
        await karin.ClickAsync("[data-testid=new-thread]");
        await karin.Locator("[data-testid=recipients]").GetByLabel("Ruben Frank", new() { Exact = false }).CheckAsync();
        // Before sending, the screen says who will be able to read it (W6).
        // Ticking a recipient re-renders the notice: wait for the new text rather than reading the old one.
        await karin.ExpectAsync("[data-testid=who-can-read] >> text=Alleen u en Ruben Frank");
        (await karin.InnerTextAsync("[data-testid=who-can-read]")).ShouldEndWith("kunnen dit bericht lezen.");
        await karin.FillAsync("#message-topic", topic);
        await karin.FillAsync("#message-new-text", "Neem jij Leo zaterdag mee naar oma?");
        (await karin.SeriousViolationsAsync()).ShouldBeEmpty();
        await karin.ClickAsync("[data-testid=send-new]");
        await karin.ExpectAsync($"#gesprek-kop >> text={topic}");
        await ruben.ExpectAsync($"[data-testid=threads] >> text={topic}");
    }

    [Fact]
    public async Task The_measurements_table_beside_the_chart_shows_the_totals_of_the_demo_family()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Tessa);
        await page.OpenAsync("/dossier/strikwerda-jesse/metingen", "[data-testid=measurement-kwaliteit-van-leven] [data-testid=totals]");

        var quality = page.Locator("[data-testid=measurement-kwaliteit-van-leven]");
        (await quality.Locator("[data-testid=totals] tbody tr").AllInnerTextsAsync()).Select(Cells).ShouldBe(["0-meting 23", "1-meting 33"]);
        (await quality.Locator("[data-testid=change]").InnerTextAsync()).ShouldContain("Van 23 bij de 0-meting naar 33 bij de 1-meting: 10 punten hoger");
        var burden = page.Locator("[data-testid=measurement-belasting-naaste]");
        (await burden.Locator("[data-testid=totals] tbody tr").AllInnerTextsAsync()).Select(Cells).ShouldBe(["0-meting 22", "1-meting 17"]);
        (await burden.Locator("[data-testid=change]").InnerTextAsync()).ShouldContain("Bij deze lijst is lager beter");
        (await page.Locator("svg").CountAsync()).ShouldBeGreaterThan(0);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_parent_fills_in_a_new_measurement_and_its_total_joins_the_table()
    {
        var loes = DemoUsers.All.Single(u => u.Email == "loes@sterk.example");
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(loes);
        await page.OpenAsync("/dossier/sterk-johan/metingen", "[data-testid=new-measurement]");
        await page.ClickAsync("[data-testid=new-measurement]");
        await page.SelectAsync("measurement-questionnaire", "Gezinsvragenlijst kwaliteit van leven");
        await page.SelectAsync("measurement-moment", "2-meting");
        foreach (var question in new[] { "rust", "gezondheid", "regie", "zorg-geregeld", "netwerk", "toekomst" })
        {
            await page.ExpectAsync($"#answer-{question}");
            await page.SelectAsync($"answer-{question}", "7");
        }
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=save-measurement]");

        var quality = page.Locator("[data-testid=measurement-kwaliteit-van-leven]");
        await page.ExpectAsync("[data-testid=measurement-kwaliteit-van-leven] [data-testid=totals] >> text=2-meting");
        (await quality.Locator("[data-testid=totals] tbody tr").AllInnerTextsAsync()).Select(Cells).ShouldBe(["0-meting 19", "1-meting 34", "2-meting 42"]);
        (await quality.Locator("[data-testid=change]").InnerTextAsync()).ShouldContain("naar 42 bij de 2-meting: 23 punten hoger");
    }

    [Fact]
    public async Task The_supporter_fills_in_namens_a_parent_and_each_parent_is_shown_with_their_own_change()
    {
        var hans = DemoUsers.All.Single(u => u.Email == "hans@bondgenoten.example");
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(hans);
        await page.OpenAsync("/dossier/frank-leo/metingen", "[data-testid=new-measurement]");
        await page.ClickAsync("[data-testid=new-measurement]");
        await page.SelectAsync("measurement-respondent", "Ruben Frank (ik vul in namens)");
        await page.SelectAsync("measurement-questionnaire", "Gezinsvragenlijst kwaliteit van leven");
        await page.SelectAsync("measurement-moment", "1-meting");
        foreach (var question in new[] { "rust", "gezondheid", "regie", "zorg-geregeld", "netwerk", "toekomst" })
        {
            await page.ExpectAsync($"#answer-{question}");
            await page.SelectAsync($"answer-{question}", "7");
        }
        await page.ClickAsync("[data-testid=save-measurement]");

        // Two respondents, each with their own table and change: Karin's demo answers, and Ruben's recorded by Hans "namens" him.
        await page.ExpectAsync("[data-testid=measurement-kwaliteit-van-leven] [data-testid=respondent-name] >> text=Ruben Frank");
        var quality = page.Locator("[data-testid=measurement-kwaliteit-van-leven] [data-testid=respondent]");
        (await quality.Locator("[data-testid=respondent-name]").AllInnerTextsAsync()).ShouldBe(["Antwoorden van Karin Frank", "Antwoorden van Ruben Frank"]);
        (await quality.Nth(0).Locator("[data-testid=change]").InnerTextAsync()).ShouldContain("Van 29 bij de 0-meting naar 35 bij de 1-meting: 6 punten hoger");
        (await quality.Nth(1).Locator("[data-testid=change]").InnerTextAsync()).ShouldContain("Eén meting tot nu toe: totaal 42");
        (await quality.Nth(1).Locator("[data-testid=totals] tbody tr").InnerTextAsync()).ShouldContain("namens Ruben Frank");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "/metingen scrolls sideways");
    }

    /// <summary>A row's moment and total (the first and third cell).</summary>
    private static string Cells(string row)
    {
        var cells = row.Split('\t', StringSplitOptions.TrimEntries);
        return $"{cells[0]} {cells[2]}";
    }

    // "sent" to the millisecond: cut to whole seconds, a message written in the same second as the visit would sort before it.
    private static StringContent FhirMessage(string text) => new($$"""
        {"resourceType":"Communication","status":"completed","subject":{"reference":"Patient/frank-leo"},
         "sender":{"reference":"RelatedPerson/frank-ruben","display":"Ruben Frank"},"recipient":[{"reference":"RelatedPerson/frank-karin"}],
         "sent":"{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}}","topic":{"text":"{{text}}"},"payload":[{"contentString":"{{text}}"}]}
        """, System.Text.Encoding.UTF8, "application/fhir+json");
}
