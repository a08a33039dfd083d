using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Pgo.Identity.Accounts;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

/// <summary>Identity as it runs outside Development: real secrets, HTTPS, no shortcuts.</summary>
public class ProductionTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Password_grant_is_refused_in_production_even_with_the_right_password()
    {
        const string email = "iemand@productie.example", password = "een prima lang wachtwoord";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
            (await users.CreateAsync(new PgoUser { UserName = email, Email = email, DisplayName = "Iemand" }, password)).Succeeded.ShouldBeTrue();
        }
        using var browser = app.Browser();

        var tokens = await Oidc.TokenAsync(browser, new()
        {
            ["grant_type"] = "password", ["client_id"] = "pgo-dev", ["username"] = email, ["password"] = password, ["scope"] = "openid",
        });

        tokens.Status.ShouldBe(HttpStatusCode.BadRequest);
        tokens.Error.ShouldBe("unsupported_grant_type");
        var discovery = JsonDocument.Parse(await browser.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ShouldNotContain("password");
    }

    [Fact]
    public async Task Development_only_clients_carried_over_in_the_database_are_removed_in_production()
    {
        var data = IdentityApp.NewDataDirectory();
        await using (var development = new IdentityApp("Development", data))
            (await ClientExistsAsync(development, "pgo-dev")).ShouldBeTrue();

        await using (var production = new IdentityApp("Production", data, IdentityApp.ProductionSecrets()))
        {
            (await ClientExistsAsync(production, "pgo-dev")).ShouldBeFalse();
            (await ClientExistsAsync(production, "pgo-demo-app")).ShouldBeFalse();
            (await ClientExistsAsync(production, "pgo-portal")).ShouldBeTrue();
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Demo_accounts_are_not_created_in_production()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();

        (await users.FindByEmailAsync("tessa@strikwerda.example")).ShouldBeNull();
    }

    [Fact]
    public async Task Production_refuses_plain_HTTP_on_the_token_endpoint()
    {
        using var http = app.CreateClient(new() { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false });

        var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "pgo-system", ["client_secret"] = "whatever",
        }), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("invalid_request");
    }

    [Fact]
    public async Task Production_refuses_to_start_with_the_development_secrets()
    {
        var development = JsonDocument.Parse(await File.ReadAllTextAsync(Repository.File("Identity", "appsettings.Development.json"), Cancel))
            .RootElement.GetProperty("Pgo").GetProperty("Clients");
        await using var production = new IdentityApp("Production", settings: new Dictionary<string, string?>
        {
            ["Pgo:Clients:Portal:Secret"] = development.GetProperty("Portal").GetProperty("Secret").GetString(),
            ["Pgo:Clients:System:Secret"] = development.GetProperty("System").GetProperty("Secret").GetString(),
        });

        var failure = Should.Throw<Exception>(() => production.CreateClient());

        failure.ToString().ShouldContain("is the development secret");
    }

    [Fact]
    public async Task Production_refuses_to_start_without_client_secrets()
    {
        await using var production = new IdentityApp("Production");

        var failure = Should.Throw<Exception>(() => production.CreateClient());

        failure.ToString().ShouldContain("Pgo:Clients:Portal:Secret is not configured");
    }

    private static async Task<bool> ClientExistsAsync(IdentityApp identity, string clientId)
    {
        await using var scope = identity.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        return await applications.FindByClientIdAsync(clientId, Cancel) is not null;
    }
}

public sealed class ProductionApp() : IdentityApp("Production", settings: ProductionSecrets());
