using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Tests.TeamSpace;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;

namespace Pgo.Api.Tests.Access;

public sealed class DossierOperationsOnSqlite(SqliteMatrixFamily f) : DossierOperationsTests(f), IClassFixture<SqliteMatrixFamily>;
public sealed class DossierOperationsOnPostgres(PostgresMatrixFamily f) : DossierOperationsTests(f), IClassFixture<PostgresMatrixFamily>;

/// <summary>
/// The named dossier operations (Fhir/Access/DossierOperations.cs) for the roles of docs/authorization-matrix.md: what
/// each may do, what "my dossiers" tells the Portal, and that the handlers refuse exactly what the rules refuse.
/// </summary>
public abstract class DossierOperationsTests(MatrixFamily family)
{
    private const string Client = MatrixFamily.Client;

    private static readonly string[] Regie = ["read-overview", "manage-access", "view-audit-trail", "export", "schedule-deletion", "upload-document", "write-notes", "view-regie", "decide-regie"];

    /// <summary>Per role: the operations in the matrix client's dossier (null: the dossier is not in their list at all).</summary>
    public static readonly IReadOnlyDictionary<string, string[]?> Expected = new Dictionary<string, string[]?>
    {
        ["regiehouder"] = Regie,
        ["regiehouder-2"] = Regie,
        // The adult client is represented by a mentor and a curator (issue 18): they keep read and write of their own
        // dossier and see who holds regie, but manage nothing.
        ["client"] = ["read-overview", "upload-document", "write-notes", "view-regie"],
        ["sibling"] = ["read-overview"],
        // Write on logboek, but no tijd in the grant: no time registration; no manage: no access screen, no export.
        // A supporter (and their stand-in) sees who holds regie and the steps to 18, and decides nothing about it.
        // Write on the plan: they set the intensity with the family (issue 20).
        ["supporter"] = ["read-overview", "write-notes", "view-regie", "set-intensity"],
        ["stand-in"] = ["read-overview", "write-notes", "view-regie", "set-intensity"],
        // Write on medisch only: no upload into documenten.
        ["professional"] = ["read-overview"],
        ["agency"] = ["read-overview"],
        // The mother's own app, limited by its scopes to reading Goals: it manages, exports and deletes nothing.
        ["app"] = ["read-overview"],
        ["stranger"] = null,
        ["former-supporter"] = null,
    };

    public static TheoryData<string> Roles() => [.. Expected.Keys];

    public static TheoryData<string, string> RolesAndOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in Expected.Keys)
            foreach (var op in DossierOperations.All)
                data.Add(role, DossierOperations.Name(op));
        return data;
    }

    private ValueTask<AccessScope> ScopeAsync(string role)
    {
        var (person, scopes) = MatrixFamily.Roles[role];
        var caller = new CallerContext("account-" + person.Replace('/', '-'), person, scopes.Split(' '), IsSystem: false);
        return family.Api.Services.GetRequiredService<FhirRepository>().Access.CompileAsync(caller, CancellationToken.None);
    }

    [Theory, MemberData(nameof(RolesAndOperations))]
    public async System.Threading.Tasks.Task Each_operation_is_allowed_exactly_for_the_roles_the_rules_name(string role, string operation)
    {
        var op = DossierOperations.All.Single(o => DossierOperations.Name(o) == operation);
        var allowed = Expected[role]?.Contains(operation) == true;
        DossierOperations.Allows(await ScopeAsync(role), Client, op).ShouldBe(allowed, $"{family.Provider}: {role} × {operation}");
    }

    [Theory, MemberData(nameof(Roles))]
    public async System.Threading.Tasks.Task My_dossiers_returns_the_operations_the_rules_allow_and_the_sections_of_the_scope(string role)
    {
        var entry = (await MyDossiersAsync(family.As(role))).SingleOrDefault(e => e.GetProperty("patientId").GetString() == Client);
        var label = $"{family.Provider}: {role}";
        if (Expected[role] is not { } expected)
        {
            entry.ValueKind.ShouldBe(JsonValueKind.Undefined, label);
            return;
        }
        Strings(entry, "operations").ShouldBe(expected, label);
        var scope = await ScopeAsync(role);
        Strings(entry, "operations").ShouldBe(DossierOperations.Allowed(scope, Client), label);
        Strings(entry, "readSections").ShouldBe(scope.Patients[Client].ReadSections.Order(StringComparer.Ordinal).ToArray(), label);
        Strings(entry, "writeSections").ShouldBe(scope.Patients[Client].WriteSections.Order(StringComparer.Ordinal).ToArray(), label);
        entry.GetProperty("manage").GetBoolean().ShouldBe(expected.Contains("manage-access"), label);
    }

    [Theory]
    [InlineData("regiehouder"), InlineData("client"), InlineData("supporter"), InlineData("professional"), InlineData("agency"), InlineData("sibling"), InlineData("stranger")]
    public async System.Threading.Tasks.Task The_access_screen_and_the_audit_trail_answer_as_the_rules_decide(string role)
    {
        await ExpectAsync(role, "manage-access", c => c.GetAsync($"/api/dossiers/{Client}/access"));
        await ExpectAsync(role, "view-audit-trail", c => c.GetAsync($"/api/dossiers/{Client}/audit"));
    }

    [Theory]
    [InlineData("regiehouder"), InlineData("supporter"), InlineData("professional"), InlineData("agency"), InlineData("stranger")]
    public async System.Threading.Tasks.Task Export_and_the_deletion_schedule_answer_as_the_rules_decide(string role)
    {
        await ExpectAsync(role, "export", c => c.GetAsync($"/api/dossiers/{Client}/export"));
        await ExpectAsync(role, "schedule-deletion", c => c.GetAsync($"/api/dossiers/{Client}/deletion"));
    }

    [Theory]
    [InlineData("regiehouder"), InlineData("supporter"), InlineData("professional"), InlineData("agency"), InlineData("stranger")]
    public async System.Threading.Tasks.Task Time_registration_is_refused_to_everyone_without_a_supporter_grant_on_tijd(string role)
    {
        // A date that does not parse: an allowed caller gets 400, so nothing is stored either way.
        await ExpectAsync(role, "register-time", c => c.PostAsync($"/api/dossiers/{Client}/time",
            new StringContent("""{"date":"gisteren","minutes":30,"activity":"gesprek"}""", Encoding.UTF8, "application/json")));
    }

    [Theory]
    [InlineData("regiehouder"), InlineData("supporter"), InlineData("stand-in"), InlineData("sibling"), InlineData("professional"), InlineData("stranger")]
    public async System.Threading.Tasks.Task Setting_the_intensity_is_refused_to_everyone_but_the_supporter_who_writes_the_plan(string role)
    {
        // A date that does not parse: an allowed caller gets 400, so nothing is stored either way.
        await ExpectAsync(role, "set-intensity", c => c.PostAsync($"/api/dossiers/{Client}/intensity",
            new StringContent("""{"intensity":"waakvlam","effective":"gisteren","reason":"x","agreedWithFamily":true}""", Encoding.UTF8, "application/json")));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_regiehouder_writes_the_tijd_section_yet_registers_no_time_the_servers_rule_wins()
    {
        // The Portal used to offer time registration to whoever could write tijd; the server only takes a supporter's.
        var entry = (await MyDossiersAsync(family.As("regiehouder"))).Single(e => e.GetProperty("patientId").GetString() == Client);
        Strings(entry, "writeSections").ShouldContain(PgoCodes.Section.Tijd);
        Strings(entry, "operations").ShouldNotContain("register-time");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_manage_grant_manages_access_but_only_a_regiehouder_exports_or_deletes()
    {
        var scope = await ScopeAsync("regiehouder");
        var manager = new AccessScope
        {
            Patients = new Dictionary<string, PatientAccess>
            {
                [Client] = new(Client, [new GrantRule(["c1"], PgoCodes.GrantRole.Gezinslid, new HashSet<string>([PgoCodes.Section.Logboek, PgoCodes.Section.Toegang]), true, true, true)]),
            },
        };
        DossierOperations.Allows(manager, Client, DossierOperation.ManageAccess).ShouldBeTrue();
        DossierOperations.Allows(manager, Client, DossierOperation.ViewAuditTrail).ShouldBeTrue();
        DossierOperations.Allows(manager, Client, DossierOperation.Export).ShouldBeFalse();
        DossierOperations.Allows(manager, Client, DossierOperation.ScheduleDeletion).ShouldBeFalse();
        DossierOperations.Allows(scope, Client, DossierOperation.Export).ShouldBeTrue();
        // Nothing at all of another dossier.
        DossierOperations.Allowed(scope, "mx-other").ShouldBeEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Allowed: anything but 403/404; seen but refused: 403 with a Dutch text; not seen: 404 as for a missing dossier.</summary>
    private async System.Threading.Tasks.Task ExpectAsync(string role, string operation, Func<HttpClient, Task<HttpResponseMessage>> call)
    {
        var label = $"{family.Provider}: {role} × {operation}";
        var response = await call(family.As(role));
        var body = await response.Content.ReadAsStringAsync();
        if (Expected[role] is not { } ops)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, label);
            body.ShouldContain("Dossier niet gevonden", Case.Sensitive, label);
        }
        else if (ops.Contains(operation))
        {
            response.StatusCode.ShouldNotBeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.NotFound], label + ": " + body);
        }
        else
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, label);
            var op = DossierOperations.All.Single(o => DossierOperations.Name(o) == operation);
            JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString().ShouldBe(DossierOperations.Refusal(op), label);
        }
    }

    private static async Task<JsonElement[]> MyDossiersAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/access/dossiers");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();
    }

    private static string[] Strings(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToArray();
}

public sealed class DemoDossierOperationsOnSqlite(SqliteDemoFamilies f) : DemoDossierOperationsTests(f), IClassFixture<SqliteDemoFamilies>;
public sealed class DemoDossierOperationsOnPostgres(PostgresDemoFamilies f) : DemoDossierOperationsTests(f), IClassFixture<PostgresDemoFamilies>;

/// <summary>"My dossiers" of every demo account lists exactly what <see cref="DossierOperations"/> allows it.</summary>
public abstract class DemoDossierOperationsTests(DemoFamilies demo)
{
    public static TheoryData<string> People() =>
    [
        "strikwerda-tessa", "bilic-gulan", "sterk-loes", "frank-karin", "frank-ruben", "dewit-ilona", "vanassen-luc", "vanassen-paula",
        "bondgenoot-ricardo", "bondgenoot-khadija", "bondgenoot-sven", "bondgenoot-hans", "bondgenoot-ilse", "bondgenoot-elise",
        "coach-smit", "casemanager-dementie-bos", "gemeente-wmo-degroot",
    ];

    [Theory, MemberData(nameof(People))]
    public async System.Threading.Tasks.Task My_dossiers_lists_exactly_the_operations_DossierOperations_allows(string person)
    {
        var caller = new CallerContext($"account-Person-{person}", $"Person/{person}", ["openid", "fhirUser", "user/*.cruds"], IsSystem: false);
        var scope = await demo.Api.Services.GetRequiredService<FhirRepository>().Access.CompileAsync(caller, CancellationToken.None);
        var response = await demo.Api.ClientAs($"Person/{person}").GetAsync("/api/access/dossiers");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var listed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("patientId").GetString()!, e => e.GetProperty("operations").EnumerateArray().Select(x => x.GetString()!).ToArray());
        listed.Keys.Order(StringComparer.Ordinal).ShouldBe(scope.Patients.Keys.Order(StringComparer.Ordinal), $"{demo.Provider}: {person}");
        foreach (var (patient, operations) in listed)
            operations.ShouldBe(DossierOperations.Allowed(scope, patient), $"{demo.Provider}: {person} in {patient}");
    }

    [Fact]
    public async System.Threading.Tasks.Task The_bondgenoot_registers_time_and_the_regiehouder_exports_but_not_the_other_way_round()
    {
        static async System.Threading.Tasks.Task<string[]> Ops(HttpClient client, string patient)
        {
            var body = await (await client.GetAsync("/api/access/dossiers")).Content.ReadAsStringAsync();
            return JsonDocument.Parse(body).RootElement.EnumerateArray().Single(e => e.GetProperty("patientId").GetString() == patient)
                .GetProperty("operations").EnumerateArray().Select(x => x.GetString()!).ToArray();
        }
        var ricardo = demo.Api.ClientAs("Person/bondgenoot-ricardo");
        var tessa = demo.Api.ClientAs("Person/strikwerda-tessa");
        (await Ops(ricardo, "strikwerda-jesse")).ShouldBe(["read-overview", "register-time", "write-notes", "view-regie", "set-intensity"]);
        (await Ops(tessa, "strikwerda-jesse")).ShouldBe(["read-overview", "manage-access", "view-audit-trail", "export", "schedule-deletion", "upload-document", "write-notes", "view-regie", "decide-regie"]);
        (await Ops(demo.Api.ClientAs("Person/gemeente-wmo-degroot"), "strikwerda-jesse")).ShouldBe(["read-overview"]);

        // What the list promises, the handlers keep: a bad date is the only thing wrong with Ricardo's registration.
        var time = new StringContent("""{"date":"gisteren","minutes":30,"activity":"gesprek"}""", Encoding.UTF8, "application/json");
        (await ricardo.PostAsync("/api/dossiers/strikwerda-jesse/time", time)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tessa.PostAsync("/api/dossiers/strikwerda-jesse/time", time)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ricardo.GetAsync("/api/dossiers/strikwerda-jesse/deletion")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await tessa.GetAsync("/api/dossiers/strikwerda-jesse/deletion")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>The handlers ask <see cref="DossierOperations"/>; a copy of a rule in a handler is how the Portal and the Api came to disagree.</summary>
public sealed class DossierDecisionsStayInOnePlace
{
    [Fact]
    public void No_handler_in_the_Api_decides_from_grant_rules_or_role_names_of_its_own()
    {
        // Demo data writes the grants; AccessApi builds and labels Consents from a request (the policy decides the write).
        string[] forbidden = [".Rules.", ".CanManage(", ".HasAnyAccessTo(", "r.Manage", "r.Role ", "GrantRole.Regiehouder", "\"regiehouder\"", "\"client\" &&"];
        var allowedRegiehouder = new[] { Path.Combine("Api", "Access", "AccessApi.cs") };
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepoFiles.Path("Api"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoFiles.Root, file);
            // The team space decides in its own one place (TeamSpaceAuthorization) over team roles, not dossier grants.
            if (relative.StartsWith(Path.Combine("Api", "Demo"), StringComparison.Ordinal) || relative.StartsWith(Path.Combine("Api", "TeamSpace"), StringComparison.Ordinal) || relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                || relative.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = Regex.Replace(lines[i], @"^\s*///?.*$", "");
                foreach (var word in forbidden.Where(w => code.Contains(w, StringComparison.Ordinal)))
                {
                    if (word == "GrantRole.Regiehouder" && allowedRegiehouder.Contains(relative)) continue;
                    offenders.Add($"{relative}:{i + 1}: {word}");
                }
            }
        }
        offenders.ShouldBeEmpty("Ask Fhir/Access/DossierOperations.cs instead:\n" + string.Join("\n", offenders));
    }
}
