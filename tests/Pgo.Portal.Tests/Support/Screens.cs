using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OtpNet;

namespace Pgo.Portal.Tests.Support;

/// <summary>What the browser tests do again and again: open a screen and wait for it, check it with axe-core, call the Api directly.</summary>
public static class Screens
{
    /// <summary>Navigates inside the Portal and waits until the screen's heading and <paramref name="ready"/> are there.</summary>
    public static async Task OpenAsync(this IPage page, string path, string? ready = null)
    {
        await page.GotoAsync(path);
        await page.ExpectAsync("main h1");
        if (ready is not null) await page.ExpectAsync(ready);
    }

    /// <summary>Waits for <paramref name="selector"/>; when it does not come, fails with what the page shows instead.</summary>
    // 60 s: the suite runs beside the other test projects on two cores, where a screen can take long to come.
    public static async Task ExpectAsync(this IPage page, string selector, float timeout = 60_000)
    {
        try
        {
            await page.WaitForSelectorAsync(selector, new() { Timeout = timeout, State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException)
        {
            var text = await page.InnerTextAsync("body");
            throw new ShouldAssertException($"{selector} did not appear on {page.Url}; the page shows:\n{text}");
        }
    }

    /// <summary>No transition or animation running (endless ones, such as a busy indicator, aside) and every snackbar fully shown.</summary>
    private const string Settled = """
        () => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)
            && [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')
        """;

    /// <summary>A picture of the page as it shows now (or of one element of it) into <see cref="PortalStack.ScreenshotFolder"/>:
    /// TestResults, or the README's docs/screenshots under <c>./pgo screenshots</c>.</summary>
    public static async Task PhotographAsync(this IPage page, string name, string? element = null)
    {
        Directory.CreateDirectory(PortalStack.ScreenshotFolder);
        var path = Path.Combine(PortalStack.ScreenshotFolder, $"{name}.png");
        if (element is null) await page.ScreenshotAsync(new() { Path = path, FullPage = false });
        else await page.Locator(element).ScreenshotAsync(new() { Path = path });
    }

    /// <summary>Makes the page <paramref name="width"/> wide and waits until it has settled: the side menu slides from
    /// persistent to temporary below 960 px, and a page measured mid-slide is wider than it will be.</summary>
    public static async Task ResizeAsync(this IPage page, int width, int height = 800)
    {
        await page.SetViewportSizeAsync(width, height);
        await page.WaitForFunctionAsync(Settled, null, new() { Timeout = 30_000 });
    }

    /// <summary>The serious and critical accessibility violations axe-core finds on the page, as readable lines.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(this IPage page)
    {
        // A snackbar fading in, or a button whose colour is still changing (enabled again after a save), has a blended
        // colour that axe reads as too little contrast: look once the page has settled (the theme's colours themselves pass).
        await page.WaitForFunctionAsync(Settled, null, new() { Timeout = 30_000 });
        var result = await page.RunAxe();
        return result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
    }

    /// <summary>Picks an option of a MudBlazor select by the visible text.</summary>
    public static async Task SelectAsync(this IPage page, string inputId, string option)
    {
        await page.Locator($"#{inputId}").Locator("xpath=ancestor::div[contains(@class,'mud-select')][1]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = false }).First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
    }

    /// <summary>Each demo user's access token from the Development password grant, kept until a minute before it
    /// expires: a token per call would spend one of the account's authenticator codes each time (each is taken once).</summary>
    private static readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Until)> Tokens = new(StringComparer.Ordinal);

    /// <summary>A demo user's access token through the Development password grant, for setting up or restoring state directly.</summary>
    public static async Task<HttpClient> ApiAsAsync(this PortalStack stack, DemoUser user)
    {
        if (!Tokens.TryGetValue(user.Email, out var kept) || kept.Until <= DateTimeOffset.UtcNow)
        {
            using var http = new HttpClient();
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = user.Email, ["password"] = DemoUsers.Password,
                ["scope"] = "openid fhirUser user/*.cruds",
            };
            if (user.TwoFactor) form["otp"] = await DemoUsers.NextCodeAsync(user);
            var asked = DateTimeOffset.UtcNow;
            var response = await http.PostAsync($"{stack.IdentityUrl}/connect/token", new FormUrlEncodedContent(form));
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var lifetime = TimeSpan.FromSeconds(json.RootElement.GetProperty("expires_in").GetInt32());
            kept = (json.RootElement.GetProperty("access_token").GetString()!, asked + lifetime - TimeSpan.FromMinutes(1));
            Tokens[user.Email] = kept;
        }
        var client = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", kept.Token);
        return client;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
