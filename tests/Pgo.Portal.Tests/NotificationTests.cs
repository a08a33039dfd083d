using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using MimeKit;
using Pgo.Portal.Tests.Support;

namespace Pgo.Portal.Tests;

/// <summary>Notifications (issue 17) as people meet them: the bell in the app bar with its unread count and list, live;
/// the mail in the local SMTP listener that says only that there is something new, never what; opening one marks it
/// read; the unread mark on Berichten; the mail choices on the account page; the administrator's failed mails. Works in
/// Jesse Strikwerda's dossier with fresh items, removed afterwards; Tessa's mail choices are put back as they were.</summary>
public sealed class NotificationTests(PortalStack stack)
{
    private const string Jesse = "strikwerda-jesse";
    private const string Tessa = "tessa@strikwerda.example";

    [Fact]
    public async Task The_bondgenoot_assigns_an_agreement_to_the_parent_whose_bell_shows_it_live_whose_mail_holds_no_text_and_opening_it_marks_it_read()
    {
        // A word that must never reach a mail or the bell: only the plan shows it, to whoever may read it there.
        var canary = $"kanarie{Guid.NewGuid():N}";
        var text = $"Schuldhulp bellen over de beslaglegging {canary}";
        using var tessaApi = await stack.ApiAsAsync(DemoUsers.Tessa);
        var ricardoApi = await RicardoAsync();
        var preferences = await tessaApi.GetStringAsync("/api/notifications/preferences");
        var mailsBefore = MailFiles();
        string? taskId = null;
        try
        {
            await using var tessaContext = await stack.NewContextAsync();
            var tessa = await tessaContext.SignInAsync(DemoUsers.Tessa);

            // Tessa wants a mail at once when she is given an agreement, at any hour (this test runs day and night).
            await tessa.OpenAsync("/account", "[data-testid=mail-preferences][data-loaded=true]");
            // Tall enough for the whole form, so the app bar does not cover its top in the picture.
            await tessa.SetViewportSizeAsync(1280, 1500);
            await tessa.PhotographAsync("meldingen-per-mail", "[data-testid=mail-preferences]");
            await tessa.SetViewportSizeAsync(1280, 800);
            var row = tessa.Locator("[data-testid=mail-pref][data-kind=afspraak-toegewezen]");
            await row.GetByRole(AriaRole.Radio, new() { Name = "Direct", Exact = true }).CheckAsync();
            await tessa.GetByLabel("Stille uren", new() { Exact = false }).UncheckAsync();
            await tessa.FillAsync("#max-per-day", "50");
            await tessa.ClickAsync("[data-testid=save-mail-preferences]");
            await tessa.ExpectAsync("text=Uw keuzes zijn bewaard.");
            using (var saved = JsonDocument.Parse(await tessaApi.GetStringAsync("/api/notifications/preferences")))
            {
                var root = saved.RootElement;
                root.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "afspraak-toegewezen")
                    .GetProperty("mail").GetString().ShouldBe("direct");
                root.GetProperty("quietFrom").GetString().ShouldBe(root.GetProperty("quietUntil").GetString());
                root.GetProperty("maxPerDay").GetInt32().ShouldBe(50);
            }
            (await tessa.SeriousViolationsAsync()).ShouldBeEmpty();

            // She waits on her overview; the page is never loaded again from here on.
            await tessa.OpenAsync("/", "[data-testid=bell]");
            var unreadBefore = await UnreadAsync(tessa);
            var reloads = 0;
            tessa.FrameNavigated += (_, frame) => { if (frame == tessa.MainFrame) reloads++; };

            // Ricardo gives her an agreement on the plan.
            await using var ricardoContext = await stack.NewContextAsync();
            var ricardo = await ricardoContext.SignInAsync(DemoUsers.Ricardo);
            await ricardo.OpenAsync($"/dossier/{Jesse}/plan", "#task-text");
            await ricardo.FillAsync("#task-text", text);
            await ricardo.SelectAsync("task-owner", "Tessa Strikwerda");
            await ricardo.FillAsync("#task-due", DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            await ricardo.ClickAsync("[data-testid=save-agreement]");
            await ricardo.ExpectAsync($"[data-testid=agreement] >> text={text}");
            taskId = await ricardo.Locator("[data-testid=agreement]", new() { HasText = text }).GetAttributeAsync("data-id");
            taskId.ShouldNotBeNull();

            // Tessa's bell counts it, live, and says so in its name.
            await tessa.WaitForFunctionAsync("n => Number(document.querySelector('[data-testid=bell]')?.dataset.unread) > n", unreadBefore, new() { Timeout = 60_000 });
            var label = await tessa.GetAttributeAsync("[data-testid=bell]", "aria-label");
            label.ShouldNotBeNull();
            label.ShouldMatch(@"^Meldingen, \d+ ongelezen$");
            await tessa.ClickAsync("[data-testid=bell]");
            var item = tessa.Locator($"[data-testid=notification][data-item='Task/{taskId}']");
            await tessa.ExpectAsync($"[data-testid=notification][data-item='Task/{taskId}']");
            (await item.GetAttributeAsync("data-read")).ShouldBe("false");
            var sentence = await item.InnerTextAsync();
            sentence.ShouldContain("Ricardo");
            sentence.ShouldContain("heeft u een afspraak gegeven in het dossier van Jesse");
            (await tessa.InnerTextAsync("[data-testid=notifications]")).ShouldNotContain(canary);
            (await tessa.SeriousViolationsAsync()).ShouldBeEmpty();
            // The list only (the page behind it shows this test's agreement): for the README.
            await tessa.PhotographAsync("meldingen", "[data-testid=notifications]");
            await tessa.ResizeAsync(375, 800);
            await tessa.ExpectAsync($"[data-testid=notification][data-item='Task/{taskId}']");
            (await tessa.SeriousViolationsAsync()).ShouldBeEmpty();
            reloads.ShouldBe(0);

            // The mail reached the SMTP listener: something new in Jesse's dossier, a link to the Portal, not the agreement.
            var mail = await NewMailAsync(mailsBefore, Tessa, "iets nieuws");
            var body = mail.TextBody ?? mail.HtmlBody ?? "";
            body.ShouldContain("Jesse");
            body.ShouldContain(stack.PortalUrl);
            foreach (var sent in NewMails(mailsBefore))
            {
                sent.Subject.ShouldNotContain(canary);
                (sent.TextBody ?? "").ShouldNotContain(canary);
                (sent.HtmlBody ?? "").ShouldNotContain(canary);
                (sent.TextBody ?? "").ShouldNotContain("beslaglegging");
            }

            // Opening it leads to the agreement on the plan and marks it read, on every device (the Api keeps it).
            await item.Locator("a").ClickAsync();
            await tessa.ExpectAsync($"[data-testid=agreement][data-id='{taskId}']");
            new Uri(tessa.Url).PathAndQuery.ShouldBe($"/dossier/{Jesse}/plan");
            new Uri(tessa.Url).Fragment.ShouldBe($"#Task-{taskId}");
            var unread = await tessaApi.GetFromJsonAsync<JsonObject>("/api/notifications?unread=true&count=100");
            unread!["items"]!.AsArray().ShouldNotContain(n => n!["item"]!.GetValue<string>() == $"Task/{taskId}");
            var all = await tessaApi.GetFromJsonAsync<JsonObject>("/api/notifications?count=100");
            all!["items"]!.AsArray().ShouldContain(n => n!["item"] != null && n["item"]!.GetValue<string>() == $"Task/{taskId}");
            await tessa.ClickAsync("[data-testid=bell]");
            await tessa.ExpectAsync($"[data-testid=notification][data-item='Task/{taskId}'][data-read=true]");
            (await tessa.SeriousViolationsAsync()).ShouldBeEmpty();
        }
        finally
        {
            if (taskId is not null) await ricardoApi.DeleteAsync($"/fhir/Task/{taskId}");
            using var put = new HttpRequestMessage(HttpMethod.Put, "/api/notifications/preferences")
            {
                Content = new StringContent(preferences, Encoding.UTF8, "application/json"),
            };
            await tessaApi.SendAsync(put);
        }
    }

    [Fact]
    public async Task A_new_message_marks_Berichten_live_and_opening_the_conversation_marks_it_read()
    {
        var ricardoApi = await RicardoAsync();
        using var tessaApi = await stack.ApiAsAsync(DemoUsers.Tessa);
        await using var context = await stack.NewContextAsync(375, 800);
        var tessa = await context.SignInAsync(DemoUsers.Tessa);
        // Whatever earlier tests left unread, she reads it first: the mark below is this message's.
        await tessa.OpenAsync($"/dossier/{Jesse}", "[data-testid=bell]");
        if (await UnreadAsync(tessa) > 0)
        {
            await tessa.ClickAsync("[data-testid=bell]");
            await tessa.ClickAsync("[data-testid=all-read]");
            await tessa.ExpectAsync("[data-testid=bell][data-unread='0']");
            await tessa.Keyboard.PressAsync("Escape");
        }

        var topic = $"Vervoer naar de dagbesteding {Guid.NewGuid().ToString("N")[..6]}";
        var id = await MessageToTessaAsync(ricardoApi, topic, "Kan Jesse donderdag met de taxi?");
        try
        {
            // The menu (open on a phone) marks Berichten, live; a screen reader hears "Berichten, 1 ongelezen".
            await tessa.ExpectAsync("[data-testid=bell]:not([data-unread='0'])");
            if (!await tessa.Locator("nav[aria-label=Hoofdmenu]").IsVisibleAsync())
                await tessa.ClickAsync("button[aria-label='Menu openen of sluiten']");
            var berichten = tessa.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Berichten", Exact = false }).First;
            await tessa.ExpectAsync("[data-testid=messages-unread]");
            (await berichten.InnerTextAsync()).ShouldContain("1");
            (await tessa.SeriousViolationsAsync()).ShouldBeEmpty();

            // Opening Berichten opens the newest conversation, this one: its message is read, and the marks go.
            await berichten.ClickAsync();
            await tessa.ExpectAsync($"[data-testid=thread-messages] >> text=Kan Jesse donderdag met de taxi?");
            await tessa.WaitForFunctionAsync("() => !document.querySelector('[data-testid=messages-unread]')", null, new() { Timeout = 60_000 });
            var unread = await tessaApi.GetFromJsonAsync<JsonObject>("/api/notifications/unread");
            unread!["marks"]!.AsArray().ShouldNotContain(m => m!["item"] != null && m["item"]!.GetValue<string>() == $"Communication/{id}");
            (await tessa.SeriousViolationsAsync()).ShouldBeEmpty();
        }
        finally
        {
            await ricardoApi.DeleteAsync($"/fhir/Communication/{id}");
        }
    }

    [Fact]
    public async Task Alles_gelezen_marks_every_notification_read_and_the_bell_says_none_are_unread()
    {
        var ricardoApi = await RicardoAsync();
        await using var context = await stack.NewContextAsync(375, 800);
        var tessa = await context.SignInAsync(DemoUsers.Tessa);
        await tessa.OpenAsync("/", "[data-testid=bell]");
        var before = await UnreadAsync(tessa);
        var ids = new List<string>();
        try
        {
            for (var i = 0; i < 2; i++) ids.Add(await MessageToTessaAsync(ricardoApi, $"Rooster van de dagbesteding {i} {Guid.NewGuid().ToString("N")[..6]}", "Zie de bijlage."));
            await tessa.WaitForFunctionAsync("n => Number(document.querySelector('[data-testid=bell]')?.dataset.unread) >= n + 2", before, new() { Timeout = 60_000 });
            await tessa.ClickAsync("[data-testid=bell]");
            foreach (var id in ids) await tessa.ExpectAsync($"[data-testid=notification][data-item='Communication/{id}'][data-read=false]");
            (await tessa.InnerTextAsync($"[data-testid=notification][data-item='Communication/{ids[0]}']"))
                .ShouldContain("heeft u een bericht gestuurd in het dossier van Jesse");
            // The list names who and where, never the message's words.
            (await tessa.InnerTextAsync("[data-testid=notifications]")).ShouldNotContain("Zie de bijlage");
            (await tessa.SeriousViolationsAsync()).ShouldBeEmpty();

            await tessa.ClickAsync("[data-testid=all-read]");
            await tessa.ExpectAsync("[data-testid=bell][data-unread='0']");
            (await tessa.GetAttributeAsync("[data-testid=bell]", "aria-label")).ShouldBe("Meldingen, geen ongelezen");
            await tessa.WaitForFunctionAsync("() => !document.querySelector('[data-testid=notification][data-read=false]')");
            using (var tessaApi = await stack.ApiAsAsync(DemoUsers.Tessa))
                (await tessaApi.GetFromJsonAsync<JsonObject>("/api/notifications/unread"))!["total"]!.GetValue<int>().ShouldBe(0);

            // Closed with its own button on a phone, the focus back on the bell.
            await tessa.ClickAsync("[data-testid=close-notifications]");
            await tessa.WaitForFunctionAsync("() => !document.querySelector('[data-testid=notifications]') && document.activeElement?.dataset.testid === 'bell'");
            await tessa.ResizeAsync(1280, 900);
            (await tessa.SeriousViolationsAsync()).ShouldBeEmpty();
        }
        finally
        {
            foreach (var id in ids) await ricardoApi.DeleteAsync($"/fhir/Communication/{id}");
        }
    }

    [Fact]
    public async Task The_administrator_sees_the_failed_mails_screen_and_a_parent_does_not()
    {
        var admin = DemoUsers.All.Single(u => u.Role == "admin");
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(admin);
        await page.OpenAsync("/beheer/mail", "[data-testid=mail-deliveries], [data-testid=no-failed-mail]");
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        await page.ResizeAsync(1280, 900);
        (await page.SeriousViolationsAsync()).ShouldBeEmpty();

        await using var parentContext = await stack.NewContextAsync();
        var parent = await parentContext.SignInAsync(DemoUsers.Tessa);
        await parent.OpenAsync("/beheer/mail", "[data-testid=not-admin]");
        // The Api refuses her too: the screen is no gate, the Api is.
        using var api = await stack.ApiAsAsync(DemoUsers.Tessa);
        ((int)(await api.GetAsync("/api/admin/mail-deliveries")).StatusCode).ShouldBe(403);
    }

    [Fact]
    public async Task A_supporter_follows_a_goal_from_the_plan_and_stops_following_it_again()
    {
        var ricardoApi = await RicardoAsync();
        await using var context = await stack.NewContextAsync(375, 800);
        var page = await context.SignInAsync(DemoUsers.Ricardo);
        await page.OpenAsync($"/dossier/{Jesse}/plan", "[data-testid=goal] [data-testid=follow-goal]");
        var goal = page.Locator("[data-testid=goal]").First;
        var goalId = await goal.GetAttributeAsync("data-goal");
        var toggle = goal.Locator("[data-testid=follow-goal]");
        // He may follow it already (whoever writes a goal follows it): the test turns it over and back.
        var before = await toggle.GetAttributeAsync("aria-pressed") == "true";
        async Task<bool> FollowedAsync() =>
            (await ricardoApi.GetFromJsonAsync<JsonObject>($"/api/dossiers/{Jesse}/follows"))!["items"]!.AsArray()
                .Select(i => i!.GetValue<string>()).Contains($"Goal/{goalId}");
        (await FollowedAsync()).ShouldBe(before);
        try
        {
            await toggle.ClickAsync();
            await page.ExpectAsync($"[data-goal='{goalId}'] [data-testid=follow-goal][aria-pressed={(!before).ToString().ToLowerInvariant()}]");
            // The Api keeps it: a change to this goal reaches his bell or no longer does (Api/Notifications/Rules, RulesTests).
            (await FollowedAsync()).ShouldBe(!before);
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();

            await page.ResizeAsync(1280);
            await toggle.ClickAsync();
            await page.ExpectAsync($"[data-goal='{goalId}'] [data-testid=follow-goal][aria-pressed={before.ToString().ToLowerInvariant()}]");
            (await FollowedAsync()).ShouldBe(before);
            (await page.SeriousViolationsAsync()).ShouldBeEmpty();
        }
        finally
        {
            using var restore = new HttpRequestMessage(before ? HttpMethod.Put : HttpMethod.Delete, $"/api/dossiers/{Jesse}/follow?item=Goal/{goalId}");
            await ricardoApi.SendAsync(restore);
        }
    }

    // Ricardo signs in with two factors, and Identity takes each authenticator code once: one token for the whole class,
    // so several tests in a row do not run out of codes within the allowed time steps.
    private static readonly SemaphoreSlim RicardoLock = new(1, 1);
    private static HttpClient? _ricardo;

    private async Task<HttpClient> RicardoAsync()
    {
        await RicardoLock.WaitAsync();
        try { return _ricardo ??= await stack.ApiAsAsync(DemoUsers.Ricardo); }
        finally { RicardoLock.Release(); }
    }

    /// <summary>A new conversation from Ricardo to Tessa in Jesse's dossier; its id.</summary>
    private static async Task<string> MessageToTessaAsync(HttpClient ricardo, string topic, string text)
    {
        var response = await ricardo.PostAsync("/fhir/Communication", new StringContent($$"""
            {"resourceType":"Communication","status":"completed","subject":{"reference":"Patient/{{Jesse}}"},
             "sender":{"reference":"Person/bondgenoot-ricardo","display":"Ricardo (bondgenoot)"},"recipient":[{"reference":"RelatedPerson/strikwerda-tessa"}],
             "sent":"{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}}","topic":{"text":"{{topic}}"},"payload":[{"contentString":"{{text}}"}]}
            """, Encoding.UTF8, "application/fhir+json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    private static async Task<int> UnreadAsync(IPage page) =>
        int.Parse(await page.GetAttributeAsync("[data-testid=bell]", "data-unread") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    private HashSet<string> MailFiles() => Directory.EnumerateFiles(Path.Combine(stack.MailDirectory, "new")).ToHashSet(StringComparer.Ordinal);

    private IEnumerable<MimeMessage> NewMails(HashSet<string> before) =>
        MailFiles().Where(f => !before.Contains(f)).Select(f => MimeMessage.Load(f));

    /// <summary>Waits (up to 90 s: the dispatcher and the sender each poll) for a mail to <paramref name="to"/> that came after
    /// <paramref name="before"/> was taken, with <paramref name="subject"/> in its subject.</summary>
    private async Task<MimeMessage> NewMailAsync(HashSet<string> before, string to, string subject)
    {
        for (var i = 0; i < 900; i++)
        {
            var found = NewMails(before).FirstOrDefault(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase))
                && m.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase));
            if (found is not null) return found;
            await Task.Delay(100);
        }
        throw new ShouldAssertException($"No new mail to {to} about '{subject}' within 90 s; new mails: "
            + string.Join("; ", NewMails(before).Select(m => $"{m.To} — {m.Subject}")));
    }
}
