using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Playwright;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Netwerk and Agenda (issue 16): a parent adds someone without an account ("opa Jan": a RelatedPerson and a
/// participant of the dossier's CareTeam), edits him and plans his weekly rota; an appointment is edited and cancelled;
/// someone who only reads netwerk and agenda gets no forms and the Api refuses her writes; naming someone widens nothing.
/// The writes happen in families the tests start themselves, so no demo data changes.</summary>
public sealed class NetworkAgendaTests(PortalStack stack)
{
    private const string OpaJan = "opa Jan";
    private const string Rota = "Opa Jan haalt Jesse op";

    [Fact]
    public async Task A_parent_adds_opa_Jan_without_an_account_edits_him_and_plans_his_weekly_rota_on_a_phone()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var (page, dossier, parent) = await NewFamilyAsync(context, "Jesse", "Vos");

        await page.OpenAsync(dossier + "/netwerk", "#network-name");
        await AxeAsync(page);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        await page.FillAsync("#network-name", OpaJan);
        await page.SelectAsync("network-role", "Grootouder");
        await page.FillAsync("#network-phone", "06 12345678");
        await page.ClickAsync("[data-testid=save-member]");
        var jan = page.Locator($"[data-testid=network-member][data-name='{OpaJan}']");
        await page.ExpectAsync($"[data-testid=network-member][data-name='{OpaJan}'] [data-testid=member-phone]");
        (await jan.Locator("[data-testid=member-role]").InnerTextAsync()).ShouldBe("Grootouder");
        (await jan.InnerTextAsync()).ShouldNotContain("RelatedPerson");

        // Edit: another phone number and an organisation; still one opa Jan, also after a reload.
        await jan.Locator("[data-testid=edit-member]").ClickAsync();
        await page.ExpectAsync("#netwerk-form-kop:has-text('Gegevens wijzigen van opa Jan')");
        (await page.InputValueAsync("#network-phone")).ShouldBe("06 12345678");
        await page.FillAsync("#network-phone", "06 87654321");
        await page.FillAsync("#network-organization", "Buurthuis De Linde");
        await page.ClickAsync("[data-testid=save-member]");
        await page.ExpectAsync($"[data-testid=network-member][data-name='{OpaJan}'] [data-testid=member-phone]:has-text('06 87654321')");
        await page.ReloadAsync();
        await page.ExpectAsync($"[data-testid=network-member][data-name='{OpaJan}'] [data-testid=member-phone]:has-text('06 87654321')");
        (await jan.CountAsync()).ShouldBe(1);
        (await jan.Locator("[data-testid=member-role]").InnerTextAsync()).ShouldBe("Grootouder · Buurthuis De Linde");
        await AxeAsync(page);

        // What the agreements' owner list reads (DossierOverview.Network): opa Jan, with his role and organisation.
        using (var api = await ApiAsAsync(parent))
        {
            using var overview = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync($"api/dossiers/{dossier.Split('/')[2]}/overview"));
            var member = overview.RootElement.GetProperty("network").EnumerateArray().Single(m => m.GetProperty("name").GetString() == OpaJan);
            member.GetProperty("member").GetString()!.ShouldStartWith("RelatedPerson/");
            member.GetProperty("role").GetString().ShouldBe("grootouder");
            member.GetProperty("organization").GetString().ShouldBe("Buurthuis De Linde");
        }

        // The rota: every Tuesday at 15:00 for four weeks, opa Jan chosen from the network.
        await page.OpenAsync(dossier + "/agenda", "#appointment-what");
        await page.FillAsync("#appointment-what", Rota);
        await page.FillAsync("#appointment-place", "Basisschool De Regenboog");
        var tuesday = NextTuesday();
        await page.FillAsync("#appointment-start", tuesday.ToString("yyyy-MM-dd'T'15:00", CultureInfo.InvariantCulture));
        await page.FillAsync("#appointment-end", tuesday.ToString("yyyy-MM-dd'T'15:30", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "opa Jan (Grootouder)" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Elke week herhalen" }).CheckAsync();
        await page.FillAsync("#appointment-weeks", "4");
        await AxeAsync(page);
        await page.ClickAsync("[data-testid=save-appointment]");
        var rota = page.Locator($"[data-testid=appointment][data-description='{Rota}']");
        await page.ExpectAsync($"[data-testid=appointment][data-description='{Rota}'] >> nth=3");
        (await rota.CountAsync()).ShouldBe(4);
        for (var week = 0; week < 4; week++)
        {
            var item = rota.Nth(week);
            (await item.Locator("[data-testid=appointment-who]").InnerTextAsync()).ShouldBe("Met: opa Jan");
            (await item.Locator("[data-testid=appointment-place]").InnerTextAsync()).ShouldBe("Waar: Basisschool De Regenboog");
            (await item.Locator("[data-testid=appointment-when]").InnerTextAsync()).ShouldContain("15:00");
            (await item.InnerTextAsync()).ShouldContain("Elke week");
        }
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        await AxeAsync(page);
        await page.ResizeAsync(1280, 900);
        await AxeAsync(page);
    }

    [Fact]
    public async Task An_appointment_is_edited_and_cancelled_and_the_rest_of_a_rota_can_be_cancelled_at_once()
    {
        await using var context = await stack.NewContextAsync();
        var (page, dossier, parent) = await NewFamilyAsync(context, "Noor", "Bakker");
        await page.OpenAsync(dossier + "/netwerk", "#network-name");
        await page.FillAsync("#network-name", "buurvrouw Els");
        await page.SelectAsync("network-role", "Vriend of buur");
        await page.ClickAsync("[data-testid=save-member]");
        await page.ExpectAsync("[data-testid=network-member][data-name='buurvrouw Els']");

        await page.OpenAsync(dossier + "/agenda", "#appointment-what");
        var day = NextTuesday().AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.FillAsync("#appointment-what", "Gesprek met de juf");
        await page.FillAsync("#appointment-place", "School");
        await page.FillAsync("#appointment-start", day + "T10:00");
        await page.FillAsync("#appointment-end", day + "T10:45");
        await page.ClickAsync("[data-testid=save-appointment]");
        var talk = page.Locator("[data-testid=appointment][data-description='Gesprek met de juf']");
        await page.ExpectAsync("[data-testid=appointment][data-description='Gesprek met de juf']");
        (await talk.Locator("[data-testid=appointment-when]").InnerTextAsync()).ShouldContain("45 minuten");

        // Edit: another place, Els joins, a later time.
        await talk.Locator("[data-testid=edit-appointment]").ClickAsync();
        await page.ExpectAsync("#agenda-form-kop:has-text('Afspraak in de agenda wijzigen')");
        (await page.InputValueAsync("#appointment-place")).ShouldBe("School");
        await page.FillAsync("#appointment-place", "Gymzaal");
        await page.FillAsync("#appointment-start", day + "T11:00");
        await page.FillAsync("#appointment-end", day + "T12:00");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "buurvrouw Els (Vriend of buur)" }).CheckAsync();
        await AxeAsync(page);
        await page.ClickAsync("[data-testid=save-appointment]");
        await page.ExpectAsync("[data-testid=appointment][data-description='Gesprek met de juf'] [data-testid=appointment-place]:has-text('Gymzaal')");
        (await talk.CountAsync()).ShouldBe(1);
        (await talk.Locator("[data-testid=appointment-who]").InnerTextAsync()).ShouldBe("Met: buurvrouw Els");
        (await talk.Locator("[data-testid=appointment-when]").InnerTextAsync()).ShouldContain("11:00");

        // Cancel: it stays in the agenda, shown as cancelled, with nothing left to change.
        await talk.Locator("[data-testid=cancel-appointment]").ClickAsync();
        await page.ExpectAsync("[data-testid=appointment][data-description='Gesprek met de juf'][data-status=cancelled]");
        (await talk.Locator("[data-testid=appointment-cancelled]").InnerTextAsync()).ShouldBe("Geannuleerd");
        (await talk.Locator("[data-testid=edit-appointment]").CountAsync()).ShouldBe(0);
        using (var api = await ApiAsAsync(parent))
        {
            // The dossier's home lists what is coming up: a cancelled appointment is not.
            var overview = await api.GetStringAsync($"api/dossiers/{dossier.Split('/')[2]}/overview");
            overview.ShouldNotContain("Gesprek met de juf");
        }

        // A rota of three weeks: "this and all later" from the second cancels the second and third, not the first.
        await page.FillAsync("#appointment-what", "Els brengt Noor naar zwemles");
        await page.FillAsync("#appointment-start", day + "T17:00");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Elke week herhalen" }).CheckAsync();
        await page.FillAsync("#appointment-weeks", "3");
        await page.ClickAsync("[data-testid=save-appointment]");
        var swim = page.Locator("[data-testid=appointment][data-description='Els brengt Noor naar zwemles']");
        await page.ExpectAsync("[data-testid=appointment][data-description='Els brengt Noor naar zwemles'] >> nth=2");
        await swim.Nth(1).Locator("[data-testid=cancel-series]").ClickAsync();
        await page.ExpectAsync("[data-testid=appointment][data-description='Els brengt Noor naar zwemles'][data-status=cancelled] >> nth=1");
        (await swim.Nth(0).GetAttributeAsync("data-status")).ShouldBe("booked");
        (await swim.Nth(1).GetAttributeAsync("data-status")).ShouldBe("cancelled");
        (await swim.Nth(2).GetAttributeAsync("data-status")).ShouldBe("cancelled");
        await AxeAsync(page);
        await page.ResizeAsync(375, 800);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        await AxeAsync(page);
    }

    /// <summary>Annelies Bos reads netwerk and agenda of Jesse Strikwerda but may not write there: no forms, and the Api
    /// refuses her writes (also as a transaction, which then stores nothing).</summary>
    [Fact]
    public async Task Someone_who_only_reads_netwerk_and_agenda_gets_no_forms_and_the_Api_refuses_her_writes()
    {
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(DemoUsers.Bos);
        await page.OpenAsync("/dossier/strikwerda-jesse/netwerk", "[data-testid=network-member]");
        (await page.Locator("#network-name").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=edit-member]").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=network-access]").CountAsync()).ShouldBe(0);
        (await page.InnerTextAsync("[data-testid=network]")).ShouldContain("Tessa Strikwerda");
        await AxeAsync(page);
        await page.OpenAsync("/dossier/strikwerda-jesse/agenda", "[data-testid=appointment]");
        (await page.Locator("#appointment-what").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=cancel-appointment]").CountAsync()).ShouldBe(0);
        await AxeAsync(page);

        using var api = await stack.ApiAsAsync(DemoUsers.Bos);
        var member = """{"resourceType":"RelatedPerson","patient":{"reference":"Patient/strikwerda-jesse"},"name":[{"text":"opa Jan van Bos"}]}""";
        (await api.PostAsync("fhir/RelatedPerson", Fhir(member))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var appointment = """{"resourceType":"Appointment","status":"booked","description":"Afspraak van Bos","start":"2030-01-01T10:00:00+01:00","end":"2030-01-01T11:00:00+01:00","participant":[{"actor":{"reference":"Patient/strikwerda-jesse"},"status":"accepted"}]}""";
        (await api.PostAsync("fhir/Appointment", Fhir(appointment))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var transaction = """{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:0b7d4bd6-1f1e-4b7e-9d39-5b3c1a4f2a10","resource":"""
            + member + ""","request":{"method":"POST","url":"RelatedPerson"}},{"resource":""" + appointment + ""","request":{"method":"POST","url":"Appointment"}}]}""";
        (await api.PostAsync("fhir", Fhir(transaction))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var stored = await api.GetStringAsync("fhir/RelatedPerson?patient=Patient/strikwerda-jesse&_count=200");
        stored.ShouldNotContain("opa Jan van Bos");
    }

    /// <summary>Naming someone is not sharing: Khadija (bondgenoot of Atilla Bilic) names Annelies Bos, who has no grant there,
    /// in an appointment and in the network; Bos still cannot read either (the same 404 as missing). Undone afterwards.</summary>
    [Fact]
    public async Task Naming_someone_as_participant_or_network_member_gives_them_no_access()
    {
        var khadija = DemoUsers.All.Single(u => u.Email == "khadija@bondgenoten.example");
        using var writer = await stack.ApiAsAsync(khadija);
        using var bos = await stack.ApiAsAsync(DemoUsers.Bos);
        var appointment = """{"resourceType":"Appointment","status":"booked","description":"Overleg met de casemanager","start":"2031-03-04T10:00:00+01:00","end":"2031-03-04T11:00:00+01:00","participant":[{"actor":{"reference":"Patient/bilic-atilla"},"status":"accepted"},{"actor":{"reference":"Practitioner/casemanager-dementie-bos","display":"Annelies Bos"},"status":"accepted"}]}""";
        var member = """{"resourceType":"RelatedPerson","patient":{"reference":"Patient/bilic-atilla"},"name":[{"text":"Annelies Bos"}],"telecom":[{"system":"email","value":"casemanager@dementiezorg.example"}]}""";
        var created = new List<string>();
        try
        {
            foreach (var (type, body) in new[] { ("Appointment", appointment), ("RelatedPerson", member) })
            {
                var response = await writer.PostAsync($"fhir/{type}", Fhir(body));
                response.StatusCode.ShouldBe(HttpStatusCode.Created);
                var location = response.Headers.Location!.ToString();
                var id = location[(location.IndexOf($"{type}/", StringComparison.Ordinal) + type.Length + 1)..].Split('/')[0];
                created.Add($"{type}/{id}");
                (await bos.GetAsync($"fhir/{type}/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            }
            (await bos.GetAsync("api/dossiers/bilic-atilla/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            foreach (var reference in created) await writer.DeleteAsync($"fhir/{reference}");
        }
    }

    /// <summary>axe-core once the snackbars are gone: a snackbar fading in or out has a blended colour axe reads as low contrast.</summary>
    private static async Task AxeAsync(IPage page)
    {
        await page.WaitForSelectorAsync(".mud-snackbar", new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
    }

    private static StringContent Fhir(string json) => new(json, Encoding.UTF8, "application/fhir+json");

    private static DateTime NextTuesday()
    {
        var day = DateTime.Today.AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Tuesday) day = day.AddDays(1);
        return day;
    }

    /// <summary>A new parent registers, confirms the address and starts a dossier for their child: a family no other test reads.</summary>
    private async Task<HttpClient> ApiAsAsync(NewAccount account)
    {
        using var http = new HttpClient();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = account.Email, ["password"] = account.Password,
            ["scope"] = "openid fhirUser user/*.cruds",
        };
        var response = await http.PostAsync($"{stack.IdentityUrl}/connect/token", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var client = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
        return client;
    }

    private async Task<(IPage Page, string Dossier, NewAccount Parent)> NewFamilyAsync(IBrowserContext context, string given, string family)
    {
        var parent = new NewAccount($"netwerk-{Guid.NewGuid().ToString("N")[..8]}@example.org", $"Sanne {family}");
        var page = await context.RegisterAsync(parent);
        var mail = await stack.WaitForMailAsync(parent.Email, "Bevestig uw e-mailadres");
        var confirm = await context.NewPageAsync();
        await confirm.GotoAsync(mail.LinkTo("/account/bevestigen"));
        await confirm.ExpectAsync("#confirmed");
        await confirm.CloseAsync();
        await page.OpenAsync("/nieuw-dossier", "[data-testid=create-dossier]");
        await page.FillAsync("#dossier-given", given);
        await page.FillAsync("#dossier-family", family);
        await page.FillAsync("#dossier-birth", "2017-09-12");
        await page.ClickAsync("[data-testid=create-dossier]");
        await page.ExpectAsync($"main h1:has-text('{given} {family}')");
        return (page, new Uri(page.Url).AbsolutePath, parent);
    }
}
