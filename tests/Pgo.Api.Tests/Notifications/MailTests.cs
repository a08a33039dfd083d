using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Notifications.Mail;
using Pgo.Api.Notifications.Rules;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Notifications.MailFamily;

namespace Pgo.Api.Tests.Notifications;

/// <summary>
/// The notification mail on a fake clock: the daily digest (never empty), quiet hours and the maximum per day; two
/// senders send each mail once; refusals, failures and retries are recorded (and shown to an administrator only); access
/// and the address are decided again at sending time; a person's preferences.
/// </summary>
public class MailTests
{
    private static readonly NotificationPreferences AllDaily = new(
        NotificationKinds.All.Select(k => new KindPreference(k.Code, MailChoice.Daily)).ToList());

    private static async Task<IReadOnlyList<MailDelivery>> DeliveriesAsync(MailFamily family, params string[] states) =>
        await family.Deliveries.ListMailDeliveriesAsync(states.Length > 0 ? states : MailDeliveryStates.All, null, 500);

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_digest_goes_at_eight_with_what_waited_once_a_day_and_never_empty(string provider)
    {
        await using var family = await StartAsync(provider);
        await family.SetPreferencesAsync(Parent, AllDaily);

        // Nothing waiting: no digest at eight, nor later.
        family.Clock.Set(Amsterdam(2026, 6, 10, 8, 5));
        await family.RoundAsync();
        (await DeliveriesAsync(family)).ShouldBeEmpty();

        family.Clock.Set(Amsterdam(2026, 6, 10, 10));
        await family.NotifyAsync(Parent, NotificationKinds.GoalChanged);
        await family.NotifyAsync(Parent, NotificationKinds.Message, "Communication/mail-message", "berichten");
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(0);

        family.Clock.Set(Amsterdam(2026, 6, 11, 7, 59));
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(0);

        family.Clock.Set(Amsterdam(2026, 6, 11, 8, 0));
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(1);
        (await family.Smtp.WaitForAsync(AddressOf(Parent))).TextBody.ShouldContain("- in het dossier van Jesse: 2 meldingen");

        // Later that day: what comes in waits for tomorrow; no second digest today, and none tomorrow without news.
        family.Clock.Set(Amsterdam(2026, 6, 11, 9, 0));
        await family.NotifyAsync(Parent, NotificationKinds.GoalChanged);
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(1);
        family.Clock.Set(Amsterdam(2026, 6, 12, 8, 30));
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(2);
        family.Clock.Set(Amsterdam(2026, 6, 13, 8, 30));
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(2);
        (await DeliveriesAsync(family)).ShouldAllBe(d => d.Kind == MailDeliveryKinds.Digest && d.State == MailDeliveryStates.Sent);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_direct_mail_in_quiet_hours_waits_until_they_end(string provider)
    {
        await using var family = await StartAsync(provider);
        family.Clock.Set(Amsterdam(2026, 6, 10, 22, 30));
        await family.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken"); // direct by default
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(0);
        (await DeliveriesAsync(family)).ShouldHaveSingleItem().NextAttempt.ShouldBe(Amsterdam(2026, 6, 11, 8));

        family.Clock.Set(Amsterdam(2026, 6, 11, 7, 59));
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(0);
        family.Clock.Set(Amsterdam(2026, 6, 11, 8, 0));
        await family.RoundAsync();
        (await family.Smtp.WaitForAsync(AddressOf(Parent))).Subject.ShouldBe("Er is iets nieuws voor u in PGO");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Over_the_maximum_a_day_the_rest_goes_in_the_next_digest(string provider)
    {
        await using var family = await StartAsync(provider);
        await family.SetPreferencesAsync(Parent, new NotificationPreferences([], MaxPerDay: 2));
        for (var i = 0; i < 3; i++) await family.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken");
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(2);

        family.Clock.Set(Amsterdam(2026, 6, 11, 8, 0));
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(3);
        var digest = family.Smtp.Received.Single(m => m.Subject == "Uw dagelijkse overzicht van PGO");
        digest.TextBody.ShouldContain("- in het dossier van Jesse: 1 melding");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Two_planners_and_two_senders_at_once_send_each_mail_once(string provider)
    {
        await using var family = await StartAsync(provider);
        await family.SetPreferencesAsync(Parent, new NotificationPreferences([], MaxPerDay: 50));
        const int count = 12;
        for (var i = 0; i < count; i++) await family.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken");

        // Two instances' planners on one database.
        await Task.WhenAll(family.Planner.PlanAsync(CancellationToken.None), family.Planner.PlanAsync(CancellationToken.None));
        (await DeliveriesAsync(family)).Count.ShouldBe(count);

        // Two instances' senders, each with its own claim, taking small turns until nothing is left.
        var one = family.NewSender();
        var two = family.NewSender();
        async Task DrainAsync(MailDeliverer sender) { while (await sender.SendDueAsync(CancellationToken.None) > 0) { } }
        await Task.WhenAll(DrainAsync(one), DrainAsync(two), DrainAsync(one), DrainAsync(two));

        family.MailsTo(Parent).ShouldBe(count);
        var sent = await DeliveriesAsync(family);
        sent.ShouldAllBe(d => d.State == MailDeliveryStates.Sent && d.Attempts == 1);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_refused_recipient_is_recorded_and_only_an_administrator_sees_it(string provider)
    {
        await using var family = await StartAsync(provider);
        family.Smtp.RefuseRecipient = address => address == AddressOf(Parent);
        await family.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken");
        await family.RoundAsync();

        var refused = (await DeliveriesAsync(family)).ShouldHaveSingleItem();
        refused.State.ShouldBe(MailDeliveryStates.Refused);
        refused.Attempts.ShouldBe(1);
        refused.Address.ShouldBe(AddressOf(Parent));
        refused.LastError.ShouldStartWith("550");
        family.MailsTo(Parent).ShouldBe(0);

        // Not tried again: a refusal is final.
        family.Clock.Advance(TimeSpan.FromHours(1));
        await family.RoundAsync();
        (await DeliveriesAsync(family)).ShouldHaveSingleItem().Attempts.ShouldBe(1);

        var admin = family.Api.ClientFor(TestTokens.Create("beheer", null, "openid", "pgo-portal", [AccountRoles.Admin]));
        var list = await admin.GetFromJsonAsync<MailDeliveryList>("/api/admin/mail-deliveries");
        var view = list!.Items.ShouldHaveSingleItem();
        view.State.ShouldBe("refused");
        view.Recipient.ShouldBe(Parent);
        view.LastError.ShouldStartWith("550");
        view.LastError.ShouldNotContain(Canary);
        (await admin.GetFromJsonAsync<MailDeliveryList>("/api/admin/mail-deliveries?state=sent"))!.Items.ShouldBeEmpty();
        (await admin.GetAsync("/api/admin/mail-deliveries?state=kwijt")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var parent = await family.Api.ClientAs(Parent).GetAsync("/api/admin/mail-deliveries");
        parent.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await parent.Content.ReadAsStringAsync()).ShouldContain("Alleen een beheerder");
        (await family.Api.ClientFor(null).GetAsync("/api/admin/mail-deliveries")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task An_unreachable_server_is_tried_again_later_with_a_doubling_wait_and_then_given_up(string provider)
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now
        await using var family = await StartAsync(provider, smtpPort: port, settings: new Dictionary<string, string?> { ["Notifications:Mail:MaxAttempts"] = "3" });
        await family.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken");
        var start = family.Clock.GetUtcNow();

        await family.RoundAsync();
        var first = (await DeliveriesAsync(family)).ShouldHaveSingleItem();
        first.State.ShouldBe(MailDeliveryStates.Pending);
        first.Attempts.ShouldBe(1);
        first.NextAttempt.ShouldBe(start + TimeSpan.FromMinutes(1));
        first.LastError.ShouldNotBeNullOrEmpty();

        await family.RoundAsync(); // not due yet
        (await DeliveriesAsync(family)).Single().Attempts.ShouldBe(1);

        family.Clock.Advance(TimeSpan.FromMinutes(1));
        await family.RoundAsync();
        (await DeliveriesAsync(family)).Single().NextAttempt.ShouldBe(family.Clock.GetUtcNow() + TimeSpan.FromMinutes(2));

        family.Clock.Advance(TimeSpan.FromMinutes(2));
        await family.RoundAsync();
        var failed = (await DeliveriesAsync(family)).Single();
        failed.State.ShouldBe(MailDeliveryStates.Failed);
        failed.Attempts.ShouldBe(3);

        var admin = family.Api.ClientFor(TestTokens.Create("beheer", null, "openid", "pgo-portal", [AccountRoles.Admin]));
        (await admin.GetFromJsonAsync<MailDeliveryList>("/api/admin/mail-deliveries"))!.Items.ShouldHaveSingleItem().State.ShouldBe("failed");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_person_whose_access_was_revoked_before_the_mail_went_gets_none(string provider)
    {
        await using var family = await StartAsync(provider);
        await family.SetPreferencesAsync(Supporter, new NotificationPreferences([new(NotificationKinds.GoalChanged, MailChoice.Direct)]));
        // Told while they could see it; the mail waits for quiet hours to end.
        family.Clock.Set(Amsterdam(2026, 6, 10, 23, 0));
        await family.NotifyAsync(Supporter, NotificationKinds.GoalChanged);
        await family.RoundAsync();
        (await DeliveriesAsync(family, MailDeliveryStates.Pending)).ShouldHaveSingleItem();

        (await family.Api.CreateClient().DeleteAsync($"/fhir/Consent/{SupportGrant}")).EnsureSuccessStatusCode();
        family.Clock.Set(Amsterdam(2026, 6, 11, 8, 0));
        await family.RoundAsync();
        family.MailsTo(Supporter).ShouldBe(0);
        var skipped = (await DeliveriesAsync(family)).ShouldHaveSingleItem();
        skipped.State.ShouldBe(MailDeliveryStates.Skipped);
        skipped.Address.ShouldBeNull();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_section_the_person_lacks_or_something_already_read_is_not_mailed(string provider)
    {
        await using var family = await StartAsync(provider);
        await family.SetPreferencesAsync(Supporter, new NotificationPreferences(
            NotificationKinds.All.Select(k => new KindPreference(k.Code, MailChoice.Direct)).ToList(), "00:00", "00:00"));
        // The supporter reads doelen only: a logbook note (stored by mistake, say) is not mailed.
        await family.NotifyAsync(Supporter, NotificationKinds.DocumentShared, "DocumentReference/mail-note", "logboek");
        var read = await family.NotifyAsync(Supporter, NotificationKinds.GoalChanged);
        await family.Notifications.MarkNotificationsReadAsync(Supporter, new ReadSelection(Ids: [read]), family.Clock.GetUtcNow());
        await family.RoundAsync();
        family.MailsTo(Supporter).ShouldBe(0);
        (await DeliveriesAsync(family)).ShouldAllBe(d => d.State == MailDeliveryStates.Skipped);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task Only_a_confirmed_address_gets_mail_and_in_the_person_s_language(string provider)
    {
        await using var family = await StartAsync(provider);
        family.Contacts.Overrides[Parent] = new MailContact(AddressOf(Parent), false, "nl", "Tessa Ouder");
        await family.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken");
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(0);
        var skipped = (await DeliveriesAsync(family)).ShouldHaveSingleItem();
        skipped.State.ShouldBe(MailDeliveryStates.Skipped);
        skipped.LastError.ShouldBe("Het e-mailadres is niet bevestigd.");

        family.Contacts.Overrides[Parent] = new MailContact(AddressOf(Parent), true, "en", "Tessa Parent");
        await family.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken");
        await family.RoundAsync();
        var mail = await family.Smtp.WaitForAsync(AddressOf(Parent));
        mail.Subject.ShouldBe("There is something new for you in PGO");
        mail.TextBody.ShouldContain("There is something new for you in the dossier of Jesse.");
        mail.Headers["Auto-Submitted"].ShouldBe("auto-generated");
    }

    [Fact]
    public async Task A_person_reads_and_changes_their_own_preferences_and_a_wrong_one_is_refused_in_Dutch()
    {
        await using var family = await StartAsync("sqlite");
        var parent = family.Api.ClientAs(Parent);
        var defaults = await parent.GetFromJsonAsync<NotificationPreferences>("/api/notifications/preferences");
        defaults!.Kinds.Count.ShouldBe(NotificationKinds.All.Count);
        defaults.Kinds.Single(k => k.Kind == NotificationKinds.AgreementAssigned).Mail.ShouldBe(MailChoice.Direct);
        defaults.Kinds.Single(k => k.Kind == NotificationKinds.Message).Mail.ShouldBe(MailChoice.Daily);
        (defaults.QuietFrom, defaults.QuietUntil, defaults.MaxPerDay, defaults.DigestAt).ShouldBe(("21:00", "08:00", 6, "08:00"));

        var put = await parent.PutAsJsonAsync("/api/notifications/preferences",
            new NotificationPreferences([new(NotificationKinds.Message, MailChoice.Off)], "22:00", "07:30", 3, "07:45"));
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await parent.GetFromJsonAsync<NotificationPreferences>("/api/notifications/preferences");
        after!.Kinds.Single(k => k.Kind == NotificationKinds.Message).Mail.ShouldBe(MailChoice.Off);
        after.Kinds.Single(k => k.Kind == NotificationKinds.AgreementAssigned).Mail.ShouldBe(MailChoice.Direct); // left out: kept
        (after.QuietFrom, after.QuietUntil, after.MaxPerDay, after.DigestAt).ShouldBe(("22:00", "07:30", 3, "07:45"));
        // Another person's are their own.
        (await family.Api.ClientAs(Supporter).GetFromJsonAsync<NotificationPreferences>("/api/notifications/preferences"))!.MaxPerDay.ShouldBe(6);

        foreach (var (wrong, says) in new (NotificationPreferences, string)[]
        {
            (new([new("geheim", MailChoice.Direct)]), "is geen soort melding"),
            (new([new(NotificationKinds.Message, "soms")]), "direct, dagelijks of uit"),
            (new([], QuietFrom: "9 uur"), "uu:mm"),
            (new([], MaxPerDay: 51), "tussen 0 en 50"),
        })
        {
            var refused = await parent.PutAsJsonAsync("/api/notifications/preferences", wrong);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).ShouldContain(says);
        }
        (await parent.GetFromJsonAsync<NotificationPreferences>("/api/notifications/preferences"))!.MaxPerDay.ShouldBe(3); // nothing stored
    }
}

/// <summary>The mail with real neighbours: Identity as a process answering the contact look-up, and two Api instances on
/// one PostgreSQL database.</summary>
public class MailSystemTests
{
    [Fact]
    public async Task The_Api_learns_the_address_from_Identity_and_its_own_loop_mails_the_demo_parent()
    {
        var root = Directory.CreateTempSubdirectory("pgo-mail-e2e-").FullName;
        using var identity = await Pgo.Api.Tests.EndToEnd.IdentityProcess.StartAsync(Path.Combine(root, "identity"));
        await using var smtp = new Pgo.Identity.Tests.Support.SmtpSink();
        await using var api = new ApiFactory(demoData: true, settings: new Dictionary<string, string?>
        {
            ["Pgo:Identity:Authority"] = identity.BaseUrl,
            ["Pgo:Invitations:ClientSecret"] = "development-only-system-secret", // the mail's look-up uses the same client
            ["Notifications:Mail:Host"] = "127.0.0.1",
            ["Notifications:Mail:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Mail:Security"] = "None",
            ["Notifications:Mail:PollInterval"] = "00:00:00.500",
            ["Notifications:Mail:DefaultQuietFrom"] = "00:00",
            ["Notifications:Mail:DefaultQuietUntil"] = "00:00",
        });
        var contacts = api.Services.GetRequiredService<IContactDirectory>();
        var tessa = await contacts.FindAsync("Person/strikwerda-tessa", CancellationToken.None);
        tessa.ShouldBe(new MailContact("tessa@strikwerda.example", true, "nl", "Tessa Strikwerda"));
        (await contacts.FindAsync("Person/bestaat-niet", CancellationToken.None)).ShouldBeNull();

        // The hosted loop plans and sends by itself.
        await api.Services.GetRequiredService<Pgo.Api.Notifications.NotificationSink>().AddAsync(new NewNotification("Person/strikwerda-tessa",
            "mail-e2e", NotificationKinds.AgreementAssigned, "strikwerda-jesse", "afspraken", "Task/mail-e2e", "Person/bondgenoot-ricardo",
            "Ricardo (bondgenoot)", DateTimeOffset.UtcNow));
        var mail = await smtp.WaitForAsync("tessa@strikwerda.example");
        mail.TextBody.ShouldContain("Beste Tessa Strikwerda,");
        mail.TextBody.ShouldContain("Er is iets nieuws voor u in het dossier van Jesse.");
        mail.TextBody.ShouldNotContain("Ricardo");
        mail.TextBody.ShouldNotContain("Strikwerda-jesse", Case.Insensitive);
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Two_Api_instances_on_one_PostgreSQL_database_plan_and_send_each_mail_once()
    {
        await using var first = await StartAsync("postgres");
        // The second instance: the same database and SMTP listener, its own services, planner and sender.
        var database = first.Api.Services.GetRequiredService<IConfiguration>()["ConnectionStrings:Fhir"];
        // The second instance's outbox rules go on from the shared cursor: move it past the seed, whose writes the first
        // instance's stopped rules never handled, so that only the test's own notifications are mailed.
        var outbox = await first.Api.Services.GetRequiredService<IOutboxStore>().ChangeBoundsAsync();
        await first.Api.Services.GetRequiredService<INotificationStore>().AdvanceNotificationCursorAsync(NotificationDispatcher.Consumer, outbox.Latest);
        await using var second = new ApiFactory("sqlite", clock: first.Clock, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Fhir"] = database,
            ["Notifications:Mail:Host"] = "127.0.0.1",
            ["Notifications:Mail:Port"] = first.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Mail:Security"] = "None",
            ["Notifications:Mail:PollInterval"] = "1.00:00:00",
        });
        await second.KeepOnlyNotificationProducersAsync();
        await first.SetPreferencesAsync(Parent, new NotificationPreferences([], MaxPerDay: 50));
        const int count = 10;
        for (var i = 0; i < count; i++) await first.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken");

        async Task RoundOnAsync(IServiceProvider services)
        {
            await services.GetRequiredService<MailPlanner>().PlanAsync(CancellationToken.None);
            var sender = ActivatorUtilities.CreateInstance<MailDeliverer>(services, (IContactDirectory)first.Contacts);
            while (await sender.SendDueAsync(CancellationToken.None) > 0) { }
        }
        await Task.WhenAll(RoundOnAsync(first.Api.Services), RoundOnAsync(second.Services), RoundOnAsync(first.Api.Services), RoundOnAsync(second.Services));

        first.MailsTo(Parent).ShouldBe(count);
        var deliveries = await second.Services.GetRequiredService<IMailDeliveryStore>().ListMailDeliveriesAsync(MailDeliveryStates.All, null, 100);
        deliveries.Count.ShouldBe(count);
        deliveries.ShouldAllBe(d => d.State == MailDeliveryStates.Sent && d.Attempts == 1);
    }
}

/// <summary>The mail's settings are checked at start, with the setting named (docs/settings.md).</summary>
public class MailSettingsTests
{
    [Theory]
    [InlineData("Production", "Notifications:Mail:ClientSecret", "development-only-system-secret", "Notifications:Mail:ClientSecret is het ontwikkelgeheim")]
    [InlineData("Development", "Notifications:Mail:From", "geen adres", "Notifications:Mail:From is geen e-mailadres")]
    [InlineData("Development", "Notifications:Mail:Port", "70000", "Notifications:Mail:Port ligt tussen 1 en 65535")]
    [InlineData("Development", "Notifications:PortalUrl", "portaal", "Notifications:PortalUrl is het adres van het Portaal")]
    public async Task A_wrong_mail_setting_stops_the_start_before_touching_the_database(string environment, string key, string value, string named)
    {
        var data = Directory.CreateTempSubdirectory("pgo-api-mail-settings-").FullName;
        try
        {
            await using var api = new ApiFactory(environment: environment, dataDir: data, settings: new Dictionary<string, string?> { [key] = value });
            var e = Should.Throw<InvalidOperationException>(() => api.CreateClient());
            e.Message.ShouldContain("Pgo.Api weigert te starten: ");
            e.Message.ShouldContain(named);
            File.Exists(Path.Combine(data, "fhir.db")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

/// <summary>The rhythm of a person who chose none comes from the settings (the Portal's test stack has no quiet hours).</summary>
public class MailDefaultsTests
{
    [Fact]
    public async Task Configured_defaults_apply_to_a_person_who_chose_nothing()
    {
        await using var family = await StartAsync("sqlite", settings: new Dictionary<string, string?>
        {
            ["Notifications:Mail:DefaultQuietFrom"] = "00:00",
            ["Notifications:Mail:DefaultQuietUntil"] = "00:00",
            ["Notifications:Mail:DefaultMaxPerDay"] = "20",
        });
        var defaults = await family.Api.ClientAs(Parent).GetFromJsonAsync<NotificationPreferences>("/api/notifications/preferences");
        (defaults!.QuietFrom, defaults.QuietUntil, defaults.MaxPerDay, defaults.DigestAt).ShouldBe(("00:00", "00:00", 20, "08:00"));

        family.Clock.Set(Amsterdam(2026, 6, 10, 23, 30));
        await family.NotifyAsync(Parent, NotificationKinds.AgreementAssigned, "Task/mail-task", "afspraken");
        await family.RoundAsync();
        family.MailsTo(Parent).ShouldBe(1);
    }
}
