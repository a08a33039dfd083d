using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Accounts;
using Pgo.Identity.SignInLog;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>Mail over real SMTP (read from the local listener): confirming an address, resetting a password.</summary>
public class PasswordResetAndMailTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registration_mails_a_Dutch_confirmation_link_that_confirms_the_address()
    {
        var email = $"nieuw-{Guid.NewGuid():N}@test.example";
        using var browser = app.Browser();
        await browser.SubmitAsync("/registreren", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Nieuwe Ouder", ["Form.Email"] = email, ["Form.Password"] = "fietsen langs de zee in mei",
        });

        var mail = await app.Mail.WaitForAsync(email);
        mail.Subject.ShouldBe("Bevestig uw e-mailadres voor PGO");
        mail.Body().ShouldContain("Beste Nieuwe Ouder,");
        await browser.SignInSuccessfullyAsync(email, "fietsen langs de zee in mei");
        (await browser.GetStringAsync("/account")).ShouldContain("nog niet bevestigd");

        var confirmed = await browser.GetStringAsync(mail.LinkTo(AccountPaths.ConfirmEmail));

        confirmed.ShouldContain("Uw e-mailadres is bevestigd.");
        (await TestAccounts.FindAsync(app, email)).EmailConfirmed.ShouldBeTrue();
        (await TestAccounts.LogAsync(app, email)).ShouldContain(SignInEventKind.EmailConfirmed);
    }

    [Fact]
    public async Task Password_reset_link_sets_a_new_password_once_and_its_reuse_is_refused()
    {
        var email = await TestAccounts.CreateAsync(app, Roles.Regiehouder, "vergeten");
        using var browser = app.Browser();
        var asked = await browser.SubmitAsync(AccountPaths.ForgotPassword, new Dictionary<string, string> { ["Email"] = email });
        (await asked.Content.ReadAsStringAsync(Cancel)).ShouldContain("Als er een account is met dit e-mailadres");

        var mail = await app.Mail.WaitForAsync(email);
        mail.Subject.ShouldBe("Een nieuw wachtwoord voor PGO");
        var link = mail.LinkTo(AccountPaths.ResetPassword);
        var done = await browser.SubmitAsync(link, new Dictionary<string, string> { ["Password"] = "een gloednieuwe lange zin" });
        (await done.Content.ReadAsStringAsync(Cancel)).ShouldContain("Uw nieuwe wachtwoord is ingesteld.");
        await browser.SignInSuccessfullyAsync(email, "een gloednieuwe lange zin");

        var reused = await browser.SubmitAsync(link, new Dictionary<string, string> { ["Password"] = "nog een ander lang wachtwoord" });

        (await reused.Content.ReadAsStringAsync(Cancel)).ShouldContain("Deze link is niet (meer) geldig.");
        await browser.SignInSuccessfullyAsync(email, "een gloednieuwe lange zin");
        var log = await TestAccounts.LogAsync(app, email);
        log.ShouldContain(SignInEventKind.PasswordResetRequested);
        log.ShouldContain(SignInEventKind.PasswordReset);
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_an_unknown_address_and_sends_nothing()
    {
        var unknown = $"niemand-{Guid.NewGuid():N}@test.example";
        var known = await TestAccounts.CreateAsync(app, Roles.Family, "bekend");
        using var browser = app.Browser();

        var forUnknown = await (await browser.SubmitAsync(AccountPaths.ForgotPassword, new Dictionary<string, string> { ["Email"] = unknown }))
            .Content.ReadAsStringAsync(Cancel);
        var forKnown = await (await browser.SubmitAsync(AccountPaths.ForgotPassword, new Dictionary<string, string> { ["Email"] = known }))
            .Content.ReadAsStringAsync(Cancel);

        Sentence(forUnknown).ShouldBe(Sentence(forKnown));
        await app.Mail.WaitForAsync(known);
        app.Mail.CountTo(unknown).ShouldBe(0);

        static string Sentence(string page) => System.Text.RegularExpressions.Regex.Match(page, "<p role=\"status\" id=\"sent\">[^<]*</p>").Value;
    }

    [Fact]
    public async Task Reset_link_older_than_an_hour_is_refused()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var clocked = new IdentityApp("Development", services: s => s.AddSingleton<TimeProvider>(clock));
        var email = await TestAccounts.CreateAsync(clocked, Roles.Regiehouder, "laat");
        using var browser = clocked.Browser();
        await browser.SubmitAsync(AccountPaths.ForgotPassword, new Dictionary<string, string> { ["Email"] = email });
        var link = (await clocked.Mail.WaitForAsync(email)).LinkTo(AccountPaths.ResetPassword);

        clock.Advance(TimeSpan.FromMinutes(61));

        var late = await browser.SubmitAsync(link, new Dictionary<string, string> { ["Password"] = "een gloednieuwe lange zin" });
        (await late.Content.ReadAsStringAsync(Cancel)).ShouldContain("Deze link is niet (meer) geldig.");
        await browser.SignInSuccessfullyAsync(email, TestAccounts.Password);
    }

    [Fact]
    public async Task Without_an_SMTP_server_mail_is_written_to_the_pickup_folder()
    {
        await using var pickup = new IdentityApp("Development", settings: new Dictionary<string, string?> { ["Pgo:Mail:Host"] = "" });
        var email = await TestAccounts.CreateAsync(pickup, Roles.Regiehouder, "map");
        using var browser = pickup.Browser();

        await browser.SubmitAsync(AccountPaths.ForgotPassword, new Dictionary<string, string> { ["Email"] = email });

        // Sent in the background (Mail/MailQueue.cs): wait for the file.
        var folder = Path.Combine(pickup.DataDirectory, "mail");
        for (var i = 0; i < 100 && !(Directory.Exists(folder) && Directory.GetFiles(folder, "*.eml").Length > 0); i++) await Task.Delay(100, Cancel);
        var file = Directory.GetFiles(folder, "*.eml").ShouldHaveSingleItem();
        var message = await MimeKit.MimeMessage.LoadAsync(file, Cancel);
        message.To.Mailboxes.Single().Address.ShouldBe(email);
        message.TextBody.ShouldContain(AccountPaths.ResetPassword);
    }
}
