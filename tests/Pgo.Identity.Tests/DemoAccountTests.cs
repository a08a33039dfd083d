using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Identity.Accounts;
using Pgo.Identity.Demo;
using Pgo.Identity.Tests.Support;

namespace Pgo.Identity.Tests;

public class DemoAccountTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_accounts_are_seeded_once_with_their_role_and_FHIR_person()
    {
        var data = IdentityApp.NewDataDirectory();
        Dictionary<string, string> idsBefore;
        await using (var first = new IdentityApp("Development", data)) idsBefore = await CheckAccountsAsync(first);
        await using (var second = new IdentityApp("Development", data))
            (await CheckAccountsAsync(second)).ShouldBe(idsBefore); // the same accounts, not new ones
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Readme_lists_every_demo_account_and_the_shared_password()
    {
        var readme = await File.ReadAllTextAsync(Repository.File("Identity", "README.md"), Cancel);

        readme.ShouldContain(DemoAccounts.Password);
        foreach (var account in DemoAccounts.All)
            readme.ShouldContain(account.Email);
    }

    [Fact]
    public void Demo_accounts_cover_every_family_role_and_have_unique_persons()
    {
        DemoAccounts.All.Select(a => a.Role).Distinct().ShouldBe(
            [Roles.Regiehouder, Roles.Supporter, Roles.Professional, Roles.Agency, Roles.Admin, Roles.Coordinator, Roles.Funder, Roles.Researcher], ignoreOrder: true);
        DemoAccounts.All.Select(a => a.Email).ShouldBeUnique();
        DemoAccounts.All.Where(a => a.FhirUser is not null).Select(a => a.FhirUser).ShouldBeUnique();
        DemoAccounts.All.Where(a => a.FhirUser is not null).ShouldAllBe(a => a.FhirUser!.StartsWith("Person/"));
    }

    private static async Task<Dictionary<string, string>> CheckAccountsAsync(IdentityApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PgoUser>>();
        users.Users.Count().ShouldBe(DemoAccounts.All.Count);
        var ids = new Dictionary<string, string>();
        foreach (var demo in DemoAccounts.All)
        {
            var user = (await users.FindByEmailAsync(demo.Email)).ShouldNotBeNull();
            user.FhirUser.ShouldBe(demo.FhirUser);
            (await users.GetRolesAsync(user)).ShouldBe([demo.Role]);
            (await users.CheckPasswordAsync(user, DemoAccounts.Password)).ShouldBeTrue();
            ids[demo.Email] = user.Id;
        }
        return ids;
    }
}
