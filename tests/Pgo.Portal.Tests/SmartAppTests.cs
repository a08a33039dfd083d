using Microsoft.Playwright;
using System.Text.Json;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>
/// A SMART App Launch by the JavaScript client real SMART apps use (<c>fhirclient</c> from npm, tests/clients), in
/// Chromium against Identity and the Api: discovery, the patient picker, the consent screen, the token redeemed from the
/// app's own page (cross-origin), and FHIR reads limited to the picked client and the family's grants.
/// The app is Identity's Development client <c>pgo-demo-app</c>; its pages are served at its registered origin
/// (http://localhost:5400) by the browser itself (Playwright routes), so only the app's files are not real traffic.
/// </summary>
public sealed class SmartAppTests(PortalStack stack)
{
    private const string AppOrigin = "http://localhost:5400";
    private static readonly DemoUser Ricardo = DemoUsers.All.Single(u => u.Email.StartsWith("ricardo@", StringComparison.Ordinal));

    private static string FhirClientScript { get; } = Path.Combine(Repository.Root, "tests", "clients", "node_modules", "fhirclient", "build", "fhir-client.js");

    [Fact]
    public async Task Fhirclient_launches_standalone_and_the_supporter_picks_Cheryl_allows_the_app_and_it_reads_only_what_her_family_granted()
    {
        if (!File.Exists(FhirClientScript))
            throw new InvalidOperationException($"fhirclient is not installed: run `npm ci --prefix tests/clients` (./pgo test does).");
        await using var context = await stack.NewContextAsync();
        // Ricardo is signed in at Identity (his session), as a person opening an app usually is.
        await (await context.SignInAsync(Ricardo)).CloseAsync();
        await ServeAppAsync(context, stack.ApiUrl + "/fhir");
        // The app's pages come from the route, not from an address Chromium knows, so it treats them as a public site
        // calling a loopback server: a person would allow that at Chromium's prompt; the test grants it.
        await context.GrantPermissionsAsync(["local-network-access"], new() { Origin = AppOrigin });

        var page = await context.NewPageAsync();
        page.Console += (_, message) => { lock (Console) Console.Add($"{message.Type}: {message.Text}"); };
        await page.GotoAsync(AppOrigin + "/launch");

        // Identity asks which dossier: Ricardo supports Jesse and Cheryl.
        await WaitOrSayWhereAsync(page, "input[name=pgo_patient]");
        (await page.Locator("label[for^=patient-]").AllInnerTextsAsync()).ShouldBe(["Cheryl Strikwerda", "Jesse Strikwerda"], ignoreOrder: true);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.Locator("label:has-text('Cheryl Strikwerda')").ClickAsync();
        await page.ClickAsync("button[type=submit].primary");

        // The consent screen names the app and what it asks, in Dutch.
        await WaitOrSayWhereAsync(page, "button[name=decision][value]");
        (await page.InnerTextAsync("h1")).ShouldContain("Voorbeeld-app van een andere partij");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ClickAsync("button[name=decision].primary");

        // Back at the app: fhirclient redeemed the code at Identity's token endpoint and read through the Api.
        var result = await WaitOrSayWhereAsync(page, "#result[data-done]");
        using var json = JsonDocument.Parse(await result!.InnerTextAsync());
        var r = json.RootElement;
        r.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null, r.GetProperty("error").ToString());
        r.GetProperty("patientId").GetString().ShouldBe("strikwerda-cheryl");
        r.GetProperty("scope").GetString()!.ShouldContain("patient/*.rs");
        // Her goals are granted to Ricardo (doelen): the search finds them, all hers.
        r.GetProperty("goalSubjects").EnumerateArray().Select(s => s.GetString()).ShouldNotBeEmpty();
        r.GetProperty("goalSubjects").EnumerateArray().Select(s => s.GetString()).ShouldAllBe(s => s == "Patient/strikwerda-cheryl");
        // The app works in Cheryl's dossier only: Jesse's goals are out of its reach, though Ricardo may read them in the Portal.
        r.GetProperty("jesseGoals").GetInt32().ShouldBe(0);
        // Her profile (the Patient resource, which exists) is not among the sections the family gave Ricardo: nor does the app get it.
        r.GetProperty("patientStatus").GetInt32().ShouldBe(404);
        // A write is more than patient/*.rs allows.
        r.GetProperty("writeStatus").GetInt32().ShouldBe(403);
    }

    /// <summary>What the app's page logged (CORS refusals show here).</summary>
    private List<string> Console { get; } = [];

    /// <summary>Waits for a selector; when it does not come, the failure says which page the browser is on and what it shows.</summary>

    private async Task<IElementHandle?> WaitOrSayWhereAsync(IPage page, string selector)
    {
        try { return await page.WaitForSelectorAsync(selector); }
        catch (TimeoutException)
        {
            var text = await page.InnerTextAsync("body");
            throw new InvalidOperationException($"'{selector}' did not appear; the browser is at {page.Url}, showing: {text[..Math.Min(text.Length, 600)]}; console: {string.Join(" | ", Console)}");
        }
    }

    /// <summary>The app's pages at its own origin: a launch page and a callback page that report what the client got.</summary>
    private static async Task ServeAppAsync(IBrowserContext context, string fhirBase)
    {
        var launch = $$"""
            <!doctype html><html lang="nl"><head><title>Voorbeeld-app</title><script src="/fhir-client.js"></script></head>
            <body><main><h1>Voorbeeld-app</h1><p>Bezig met aanmelden…</p></main><script>
            FHIR.oauth2.authorize({ iss: {{JsonSerializer.Serialize(fhirBase)}}, clientId: "pgo-demo-app",
              scope: "openid fhirUser launch/patient patient/*.rs", redirectUri: "{{AppOrigin}}/callback" });
            </script></body></html>
            """;
        const string callback = """
            <!doctype html><html lang="nl"><head><title>Voorbeeld-app</title><script src="/fhir-client.js"></script></head>
            <body><main><h1>Voorbeeld-app</h1><pre id="result"></pre></main><script>
            const out = { error: null };
            const status = async (promise) => { try { await promise; return 200; } catch (e) { return e.status || (e.response && e.response.status) || -1; } };
            (async () => {
              try {
                const client = await FHIR.oauth2.ready();
                out.patientId = client.patient.id;
                out.scope = client.state.tokenResponse.scope;
                out.patientStatus = await status(client.patient.read());
                const goals = await client.request("Goal?patient=" + client.patient.id, { flat: true });
                out.goalSubjects = goals.map(g => g.subject.reference);
                try { out.jesseGoals = (await client.request("Goal?patient=strikwerda-jesse", { flat: true })).length; }
                catch (e) { out.jesseGoals = 0; out.jesseGoalsStatus = e.status || -1; }
                out.writeStatus = await status(client.create({ resourceType: "Goal", lifecycleStatus: "proposed",
                  description: { text: "Door de app" }, subject: { reference: "Patient/" + client.patient.id } }));
              } catch (e) { out.error = String(e && e.message || e); }
              const pre = document.getElementById("result");
              pre.textContent = JSON.stringify(out);
              pre.setAttribute("data-done", "");
            })();
            </script></body></html>
            """;
        var script = await File.ReadAllBytesAsync(FhirClientScript);
        await context.RouteAsync(AppOrigin + "/**", route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            return path switch
            {
                "/launch" => route.FulfillAsync(new() { ContentType = "text/html; charset=utf-8", Body = launch }),
                "/callback" => route.FulfillAsync(new() { ContentType = "text/html; charset=utf-8", Body = callback }),
                "/fhir-client.js" => route.FulfillAsync(new() { ContentType = "text/javascript", BodyBytes = script }),
                _ => route.FulfillAsync(new() { Status = 404 }),
            };
        });
    }
}
