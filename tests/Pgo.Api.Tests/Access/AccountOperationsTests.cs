using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pgo.Api.Tests.Access;

/// <summary>
/// Who may start (or import) a dossier is the Api's decision (DossierOperations.StartDossierRefusal), returned by
/// GET /api/access/account so that the Portal offers "Start een dossier" without rules of its own: family starts a
/// dossier; a supporter, professional, agency or administrator account is invited by a family instead.
/// </summary>
public class AccountOperationsTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private static HttpClient As(ApiFactory api, string person, params string[] roles) =>
        api.ClientFor(TestTokens.Person($"Person/{person}", "openid fhirUser user/*.cruds", "pgo-portal", roles));

    private static async Task<string[]> OperationsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/access/account", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("operations")
            .EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    [Theory]
    [InlineData("regiehouder")]
    [InlineData("family")]
    [InlineData("")]
    public async Task A_family_account_may_start_and_import_a_dossier_and_does(string role)
    {
        await using var api = new ApiFactory();
        var parent = As(api, "ouder-" + (role.Length == 0 ? "zonder-rol" : role), role.Length == 0 ? [] : [role]);

        (await OperationsAsync(parent)).ShouldBe(["start-dossier", "import-dossier"]);
        var started = await parent.PostAsJsonAsync("/api/dossiers", new { given = "Eigen", family = "Kind", birthDate = "2016-04-01", relationship = "ouder" }, Ct);
        started.StatusCode.ShouldBe(HttpStatusCode.Created, await started.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("supporter")]
    [InlineData("professional")]
    [InlineData("agency")]
    [InlineData("admin")]
    public async Task An_account_that_works_for_families_is_offered_no_start_and_is_refused_one_in_Dutch(string role)
    {
        await using var api = new ApiFactory();
        var worker = As(api, "werker-" + role, role);

        (await OperationsAsync(worker)).ShouldBeEmpty();
        var started = await worker.PostAsJsonAsync("/api/dossiers", new { given = "Eigen", family = "Kind", birthDate = "2016-04-01", relationship = "ouder" }, Ct);
        started.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await started.Content.ReadAsStringAsync(Ct)).ShouldContain("de familie u uitnodigt");
    }
}
