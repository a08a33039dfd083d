using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Accounts;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

public class RegistrationTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registration_refuses_a_password_shorter_than_12_characters_in_Dutch()
    {
        var (response, page) = await RegisterAsync(NewEmail(), "kort1234");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain("Kies een wachtwoord van minstens 12 tekens.");
        (await FindAsync(response)).ShouldBeNull();
    }

    [Theory]
    [InlineData("wachtwoord1234")]
    [InlineData("Wachtwoord2024!")]
    [InlineData("123456789012")]
    [InlineData("qwertyuiopasdf")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    public async Task Registration_refuses_a_common_password_in_Dutch(string password)
    {
        var (response, page) = await RegisterAsync(NewEmail(), password);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain("Dit wachtwoord wordt te vaak gebruikt");
    }

    [Fact]
    public async Task Registration_answers_an_existing_address_exactly_as_a_new_one_and_mails_the_holder()
    {
        var existing = await TestAccounts.CreateAsync(app, Roles.Family, "bestaand");
        var fresh = NewEmail();

        var (forExisting, existingPage) = await RegisterAsync(existing, "een heel ander lang wachtwoord");
        var (forNew, newPage) = await RegisterAsync(fresh, "een heel ander lang wachtwoord");

        forExisting.StatusCode.ShouldBe(HttpStatusCode.OK);
        forNew.StatusCode.ShouldBe(HttpStatusCode.OK);
        forExisting.Headers.Location.ShouldBeNull();
        forNew.Headers.Contains("Set-Cookie").ShouldBe(forExisting.Headers.Contains("Set-Cookie"));
        Comparable(existingPage, existing).ShouldBe(Comparable(newPage, fresh));
        newPage.ShouldContain("Controleer uw e-mail");
        newPage.ShouldNotContain("Er is al een account");

        // The holder of the existing account hears of it; the new address gets the usual confirmation.
        var warning = await app.Mail.WaitForAsync(existing);
        warning.Subject.ShouldBe("Iemand wilde een PGO-account maken met uw e-mailadres");
        warning.Body().ShouldContain(AccountPaths.SignIn);
        warning.Body().ShouldContain(AccountPaths.ForgotPassword);
        (await app.Mail.WaitForAsync(fresh)).Subject.ShouldBe("Bevestig uw e-mailadres voor PGO");
        // The existing account is untouched: its own password still works.
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync(existing, TestAccounts.Password);

        // The page with the typed address and the per-request antiforgery token taken out.
        static string Comparable(string page, string email) => System.Text.RegularExpressions.Regex.Replace(
            page.Replace(email, "ADRES"), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"", "TOKEN");
    }

    [Fact]
    public async Task Registration_judges_the_password_before_the_address_so_a_weak_one_gets_the_same_error_for_an_existing_address()
    {
        var (_, forExisting) = await RegisterAsync("tessa@strikwerda.example", "kort1234");
        var (_, forNew) = await RegisterAsync(NewEmail(), "kort1234");

        Errors(forExisting).ShouldBe(Errors(forNew));
        Errors(forNew).ShouldContain("Kies een wachtwoord van minstens 12 tekens.");

        static string Errors(string page) => string.Join("|",
            System.Text.RegularExpressions.Regex.Matches(page, "class=\"error[^\"]*\"[^>]*>([^<]+)<").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task Registration_with_a_long_uncommon_password_creates_a_regiehouder_who_then_signs_in()
    {
        var email = NewEmail();
        var (response, page) = await RegisterAsync(email, "fietsen langs de zee in mei");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain("Controleer uw e-mail");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
            var user = (await users.FindByEmailAsync(email)).ShouldNotBeNull();
            user.DisplayName.ShouldBe("Nieuwe Ouder");
            (await users.GetRolesAsync(user)).ShouldBe([Roles.Regiehouder]);
        }
        using var browser = app.Browser();
        await browser.SignInSuccessfullyAsync(email, "fietsen langs de zee in mei");
    }

    [Fact]
    public async Task Registration_page_is_Dutch_and_labels_every_field()
    {
        using var browser = app.Browser();
        var page = await browser.GetStringAsync("/registreren");

        page.ShouldContain("<html lang=\"nl\">");
        page.ShouldContain("<label for=\"Form_DisplayName\">Uw naam</label>");
        page.ShouldContain("<label for=\"Form_Email\">E-mailadres</label>");
        page.ShouldContain("<label for=\"Form_Password\">Wachtwoord</label>");
        page.ShouldContain("autocomplete=\"new-password\"");
    }

    private string? lastEmail;

    private async Task<(HttpResponseMessage Response, string Page)> RegisterAsync(string email, string password)
    {
        lastEmail = email;
        using var browser = app.Browser();
        var response = await browser.SubmitAsync("/registreren", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Nieuwe Ouder", ["Form.Email"] = email, ["Form.Password"] = password,
        });
        return (response, await response.Content.ReadAsStringAsync(Cancel));
    }

    private async Task<PgoUser?> FindAsync(HttpResponseMessage _)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>().FindByEmailAsync(lastEmail!);
    }

    private static string NewEmail() => $"ouder-{Guid.NewGuid():N}@test.example";
}
