using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Events that count and procedures (issue 20): the Gebeurtenissen screen of a dossier and the supporter's Termijnen, on a phone.</summary>
public sealed class ProcedureTests(PortalStack stack)
{
    private static readonly DemoUser Ilse = DemoUsers.All.Single(u => u.Email == "ilse@bondgenoten.example");
    private static readonly DemoUser Ilona = DemoUsers.All.Single(u => u.Email == "ilona@dewit.example");
    private const string Screen = "/dossier/dewit-kim/gebeurtenissen";

    private static DateOnly AmsterdamToday() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);

    private static async Task ExpectNoSidewaysScrollAndNoSeriousViolationsAsync(IPage page, string what)
    {
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, $"{what} scrolls sideways");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_bondgenoot_objects_to_the_gemeentes_refusal_with_a_deadline_and_sees_it_in_the_register_and_in_Termijnen_and_the_parent_changes_it()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var description = $"Bezwaar plafondlift {tag}";
        var deadline = AmsterdamToday().AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var created = $"[data-testid=event]:has-text('{description}')";

        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(Ilse);
        await page.OpenAsync(Screen, "[data-testid=events] #Basic-gebeurtenis-dewit-besluit-lift");
        await page.ExpectAsync("[data-testid=event-counts]");
        await ExpectNoSidewaysScrollAndNoSeriousViolationsAsync(page, Screen);

        // "Bezwaar maken" on the gemeente's refusal: the form comes prefilled and linked to it; Ilse adds the deadline.
        await page.ClickAsync("#Basic-gebeurtenis-dewit-besluit-lift [data-testid=object-event]");
        await page.ExpectAsync("[data-testid=event-form-contests]");
        (await page.InnerTextAsync("[data-testid=event-form-contests]")).ShouldContain("Besluit (beschikking)");
        await page.FillAsync("#event-description", description);
        await page.FillAsync("#event-deadline", deadline);
        await page.ClickAsync("[data-testid=save-event]");

        await page.ExpectAsync($"{created} [data-testid=event-days-left]");
        (await page.InnerTextAsync($"{created} [data-testid=event-days-left]")).ShouldBe("nog 10 dagen");
        (await page.InnerTextAsync($"{created} [data-testid=event-contests]")).ShouldContain("Besluit (beschikking)");
        (await page.InnerTextAsync($"{created} [data-testid=event-procedure]")).ShouldContain("Ingediend");
        (await page.Locator("[data-testid=problem]").CountAsync()).ShouldBe(0);

        // The register filtered to objections shows it; the counts follow the filter.
        await page.SelectAsync("filter-type", "Bezwaar");
        await page.ExpectAsync("[data-testid=events] [data-testid=event][data-type=bezwaar]");
        await Assertions.Expect(page.Locator("[data-testid=events] [data-testid=event]:not([data-type=bezwaar])")).ToHaveCountAsync(0);
        await page.ExpectAsync(created);

        // Termijnen: the supporter's open procedures across her families.
        await page.OpenAsync("/termijnen", "[data-testid=termijnen]");
        var termijn = page.Locator("[data-testid=termijn]", new() { HasText = description });
        await Assertions.Expect(termijn.Locator("[data-testid=termijn-days-left]")).ToHaveTextAsync("nog 10 dagen");
        await Assertions.Expect(termijn).ToContainTextAsync("Kim de Wit");
        await ExpectNoSidewaysScrollAndNoSeriousViolationsAsync(page, "/termijnen");

        // The parent (regiehouder) reads and writes it as the policy says: she records the gemeente's decision on it.
        await using var parentContext = await stack.NewContextAsync(375, 800);
        var parent = await parentContext.SignInAsync(Ilona);
        await parent.OpenAsync(Screen, created);
        await parent.ExpectAsync("[data-testid=event-form]");
        await parent.ClickAsync($"{created} [data-testid=edit-event]");
        await parent.ExpectAsync("[data-testid=event-editor]");
        await parent.SelectAsync("edit-status", "Afgerond");
        await parent.SelectAsync("edit-outcome", "Gegrond");
        await parent.ClickAsync("[data-testid=save-event-edit]");
        await Assertions.Expect(parent.Locator($"{created} [data-testid=event-procedure]")).ToContainTextAsync("Gegrond");
        await Assertions.Expect(parent.Locator($"{created} [data-testid=event-days-left]")).ToHaveCountAsync(0); // closed: no days counted
        await ExpectNoSidewaysScrollAndNoSeriousViolationsAsync(parent, Screen);

        // Closed, it leaves Ilse's Termijnen.
        await page.OpenAsync("/termijnen", "[data-testid=termijnen], [data-testid=termijnen-empty]");
        await Assertions.Expect(page.Locator("[data-testid=termijn]", new() { HasText = description })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Someone_without_the_section_has_no_Gebeurtenissen_in_the_menu_and_the_screen_says_it_is_not_shared()
    {
        await using var context = await stack.NewContextAsync();
        var page = await context.SignInAsync(DemoUsers.Bos);
        await page.ExpectAsync("a[href='/dossier/strikwerda-jesse/logboek']");
        (await page.Locator("a[href='/dossier/strikwerda-jesse/gebeurtenissen']").CountAsync()).ShouldBe(0);
        await page.OpenAsync("/dossier/strikwerda-jesse/gebeurtenissen", "[data-testid=not-shared]");
        (await page.Locator("[data-testid=event-form], [data-testid=events]").CountAsync()).ShouldBe(0);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_reader_without_write_sees_the_register_read_only_and_a_stale_edit_says_Intussen_gewijzigd_and_keeps_the_other_change()
    {
        // Ilona lets the dementia case manager read Kim's events, nothing more (revoked again below).
        var ilona = await stack.ApiAsAsync(Ilona);
        var granted = await ilona.PostJsonAsync("/api/dossiers/dewit-kim/access/grants",
            new { actor = "Practitioner/casemanager-dementie-bos", role = "zorgverlener", sections = new[] { "gebeurtenissen" }, write = false });
        var grantBody = await granted.Content.ReadAsStringAsync();
        granted.IsSuccessStatusCode.ShouldBeTrue(grantBody);
        var grantId = System.Text.Json.JsonDocument.Parse(grantBody).RootElement.GetProperty("id").GetString();
        try
        {
            await using var readerContext = await stack.NewContextAsync(375, 800);
            var reader = await readerContext.SignInAsync(DemoUsers.Bos);
            await reader.OpenAsync(Screen, "[data-testid=events] #Basic-gebeurtenis-dewit-contact-wmo");
            await reader.ExpectAsync("[data-testid=events-read-only]");
            (await reader.Locator("[data-testid=event-form], [data-testid=edit-event], [data-testid=object-event], [data-testid=save-event]").CountAsync()).ShouldBe(0);
            (await reader.GetByText("Gebeurtenis vastleggen").CountAsync()).ShouldBe(0);
            await ExpectNoSidewaysScrollAndNoSeriousViolationsAsync(reader, Screen);
        }
        finally
        {
            await ilona.DeleteAsync($"/api/dossiers/dewit-kim/access/grants/{grantId}");
        }

        // Ilse opens the call with the Wmo consultant to change it; Ilona changes it through the Api in between.
        var tag = Guid.NewGuid().ToString("N")[..6];
        const string item = "#Basic-gebeurtenis-dewit-contact-wmo";
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(Ilse);
        await page.OpenAsync(Screen, $"{item} [data-testid=edit-event]");
        await page.ClickAsync($"{item} [data-testid=edit-event]");
        await page.ExpectAsync("[data-testid=event-editor]");

        var register = System.Text.Json.JsonDocument.Parse(await ilona.GetStringAsync("/api/dossiers/dewit-kim/events?type=contact-instantie")).RootElement;
        var current = register.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "gebeurtenis-dewit-contact-wmo");
        var theirs = $"De hoorzitting is op de agenda gezet ({tag}).";
        var put = await ilona.PutAsJsonAsync("/api/dossiers/dewit-kim/events/gebeurtenis-dewit-contact-wmo", new
        {
            version = current.GetProperty("version").GetInt32(), date = current.GetProperty("date").GetString(), description = theirs,
            regeling = current.GetProperty("regeling").GetString(), instantie = current.GetProperty("instantie").GetString(), links = Array.Empty<string>(),
        });
        put.IsSuccessStatusCode.ShouldBeTrue(await put.Content.ReadAsStringAsync());

        await page.FillAsync("#edit-description", $"Ilse's versie ({tag}).");
        await page.ClickAsync("[data-testid=save-event-edit]");
        await page.ExpectAsync("[role=alert]:has-text('Intussen gewijzigd')");
        await page.ExpectAsync("[data-testid=event-stale]");
        // The other person's change stands, on the screen and in the dossier; Ilse's is still in the form.
        await Assertions.Expect(page.Locator($"{item} [data-testid=event-description]")).ToHaveTextAsync(theirs);
        (await page.InputValueAsync("#edit-description")).ShouldBe($"Ilse's versie ({tag}).");
        (await ilona.GetStringAsync("/api/dossiers/dewit-kim/events?type=contact-instantie")).ShouldContain(theirs);
        await ExpectNoSidewaysScrollAndNoSeriousViolationsAsync(page, Screen);
    }
}
