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
    public async Task Registration_refuses_an_e_mail_address_that_already_has_an_account()
    {
        var (_, page) = await RegisterAsync("tessa@strikwerda.example", "een heel ander lang wachtwoord");

        page.ShouldContain("Er is al een account met dit e-mailadres.");
    }

    [Fact]
    public async Task Registration_with_a_long_uncommon_password_creates_a_regiehouder_and_signs_in()
    {
        var email = NewEmail();
        var (response, _) = await RegisterAsync(email, "fietsen langs de zee in mei");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
        var user = (await users.FindByEmailAsync(email)).ShouldNotBeNull();
        user.DisplayName.ShouldBe("Nieuwe Ouder");
        (await users.GetRolesAsync(user)).ShouldBe([Roles.Regiehouder]);
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
