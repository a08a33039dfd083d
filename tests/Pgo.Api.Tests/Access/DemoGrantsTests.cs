using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Fhir;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Access;

public abstract class DemoFamilies(string provider) : IAsyncLifetime
{
    public ApiFactory Api { get; } = new(provider, demoData: true);
    public string Provider => provider;
    public ValueTask InitializeAsync()
    {
        Api.CreateClient(); // starts the app: demo data is loaded
        return ValueTask.CompletedTask;
    }
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Api.DisposeAsync();
    }
}

public sealed class SqliteDemoFamilies() : DemoFamilies("sqlite");
public sealed class PostgresDemoFamilies() : DemoFamilies("postgres");
public sealed class DemoGrantsOnSqlite(SqliteDemoFamilies f) : DemoGrantsTests(f), IClassFixture<SqliteDemoFamilies>;
public sealed class DemoGrantsOnPostgres(PostgresDemoFamilies f) : DemoGrantsTests(f), IClassFixture<PostgresDemoFamilies>;

/// <summary>The demo families' grants behave as DOMAIN.md and issue 4 describe.</summary>
public abstract partial class DemoGrantsTests(DemoFamilies demo)
{
    private HttpClient As(string person) => demo.Api.ClientAs($"Person/{person}");

    [Fact]
    public async System.Threading.Tasks.Task Strikwerda_finances_are_hidden_from_the_dementia_case_manager_who_reads_the_rest_she_needs()
    {
        var casemanager = As("casemanager-dementie-bos");
        (await casemanager.GetAsync("/fhir/DocumentReference/strikwerda-financien-overzicht")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await casemanager.GetAsync("/fhir/Condition/strikwerda-dementie")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await casemanager.GetAsync("/fhir/Goal/strikwerda-doel-rust")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await casemanager.GetAsync("/fhir/Patient/strikwerda-jesse")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var documents = await (await casemanager.GetAsync("/fhir/DocumentReference?patient=Patient/strikwerda-jesse")).ReadAs<Bundle>();
        documents.Entry.Select(e => e.Resource.Id).ShouldNotContain("strikwerda-financien-overzicht");
        documents.Entry.Select(e => e.Resource.Id).ShouldContain("strikwerda-logboek-1");
        var everything = await (await casemanager.GetAsync("/fhir/Patient/strikwerda-jesse/$everything")).ReadAs<Bundle>();
        everything.Entry.Select(e => e.Resource.Id).ShouldNotContain("strikwerda-financien-overzicht");

        var tessa = As("strikwerda-tessa");
        (await tessa.GetAsync("/fhir/DocumentReference/strikwerda-financien-overzicht")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_bondgenoot_reads_and_writes_the_shared_work_but_not_the_medical_file_or_the_finances()
    {
        var ricardo = As("bondgenoot-ricardo");
        (await ricardo.GetAsync("/fhir/Goal/strikwerda-doel-rust")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ricardo.GetAsync("/fhir/DocumentReference/strikwerda-logboek-1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ricardo.GetAsync("/fhir/Condition/strikwerda-dementie")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ricardo.GetAsync("/fhir/DocumentReference/strikwerda-financien-overzicht")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var goal = new Goal { LifecycleStatus = Goal.GoalLifecycleStatus.Proposed, Subject = new ResourceReference("Patient/strikwerda-jesse"), Description = new CodeableConcept { Text = "Dagbesteding vinden" },
            Category = [new CodeableConcept(Pgo.Fhir.Access.PgoCodes.LifeDomain.System, "dagbesteding-werk")] };
        (await ricardo.PostAsync("/fhir/Goal", goal)).StatusCode.ShouldBe(HttpStatusCode.Created);
        // Another family's dossier stays closed.
        (await ricardo.GetAsync("/fhir/Goal/vanassen-doel-thuis")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async System.Threading.Tasks.Task Paula_reads_only_the_agenda_of_her_brother_Luc()
    {
        var paula = As("vanassen-paula");
        (await paula.GetAsync("/fhir/Appointment/vanassen-thuiszorg-intake")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await paula.GetAsync("/fhir/Goal/vanassen-doel-thuis")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await paula.GetAsync("/fhir/DocumentReference/vanassen-logboek-1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await paula.GetAsync("/fhir/Patient/vanassen-luc")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await paula.CountAsync("Appointment", "patient=Patient/vanassen-luc")).ShouldBe(2);
        (await paula.CountAsync("Goal")).ShouldBe(0);
        var change = await (await demo.Api.CreateClient().GetAsync("/fhir/Appointment/vanassen-thuiszorg-intake")).ReadAs<Appointment>();
        (await paula.PutAsync("/fhir/Appointment/vanassen-thuiszorg-intake", change)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async System.Threading.Tasks.Task Luc_is_his_own_regiehouder_and_sees_who_has_access()
    {
        var luc = As("vanassen-luc");
        (await luc.GetAsync("/fhir/Goal/vanassen-doel-thuis")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var overview = await luc.GetAsync("/api/dossiers/vanassen-luc/access");
        overview.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await overview.Content.ReadAsStringAsync();
        text.ShouldContain("RelatedPerson/vanassen-paula");
        text.ShouldContain("agenda");
        // Paula may not see or manage the access list.
        (await As("vanassen-paula").GetAsync("/api/dossiers/vanassen-luc/access")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async System.Threading.Tasks.Task Karin_and_Ruben_are_both_regiehouder_and_each_can_grant_and_revoke()
    {
        var karin = As("frank-karin");
        var ruben = As("frank-ruben");
        var grant = await karin.GrantAsync("frank-leo", new { actor = "RelatedPerson/frank-wesley", role = "gezinslid", sections = new[] { "agenda" } });
        grant.StatusCode.ShouldBe(HttpStatusCode.Created, await grant.Content.ReadAsStringAsync());
        var id = await grant.GrantIdAsync();
        (await ruben.DeleteAsync($"/api/dossiers/frank-leo/access/grants/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var again = await ruben.GrantAsync("frank-leo", new { actor = "RelatedPerson/frank-wesley", role = "gezinslid", sections = new[] { "agenda" } });
        (await karin.DeleteAsync($"/api/dossiers/frank-leo/access/grants/{await again.GrantIdAsync()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        // Hans, their bondgenoot, may not grant.
        var hans = await As("bondgenoot-hans").GrantAsync("frank-leo", new { actor = "RelatedPerson/frank-wesley", role = "gezinslid", sections = new[] { "agenda" } });
        hans.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await hans.ProblemTitleAsync()).ShouldBe("Geen toegang"); // the one 403 title of /api (Api/Errors/README.md)
    }

    [Fact]
    public async System.Threading.Tasks.Task The_gemeente_sees_only_the_shared_application_through_its_share_package()
    {
        var wmo = As("gemeente-wmo-degroot");
        (await wmo.GetAsync("/fhir/DocumentReference/strikwerda-wmo-aanvraag")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wmo.CountAsync("DocumentReference")).ShouldBe(1);
        (await wmo.GetAsync("/fhir/DocumentReference/strikwerda-logboek-1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var change = await (await demo.Api.CreateClient().GetAsync("/fhir/DocumentReference/strikwerda-wmo-aanvraag")).ReadAs<DocumentReference>();
        (await wmo.PutAsync("/fhir/DocumentReference/strikwerda-wmo-aanvraag", change)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async System.Threading.Tasks.Task Every_demo_account_has_its_Person_with_the_id_Identity_gives_it()
    {
        var source = File.ReadAllText(Path.Combine(OfficialExamples.RepositoryRoot, "Identity", "Demo", "DemoAccounts.cs"));
        var persons = PersonIds().Matches(source).Select(m => m.Groups[1].Value).ToList();
        persons.Count.ShouldBeGreaterThan(10);
        var system = demo.Api.CreateClient();
        foreach (var person in persons)
        {
            var p = await (await system.GetAsync($"/fhir/Person/{person}")).ReadAs<Person>();
            p.Link.ShouldNotBeEmpty(person);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Project_code_systems_are_served()
    {
        var bundle = await (await As("strikwerda-tessa").GetAsync("/fhir/CodeSystem?url=https://fhir.pgo-platform.nl/CodeSystem/dossier-section")).ReadAs<Bundle>();
        var sections = (CodeSystem)bundle.Entry.Single().Resource;
        sections.Concept.Select(c => c.Code).ShouldContain("financien");
    }

    [GeneratedRegex("\"Person/([a-z0-9-]+)\"")]
    private static partial Regex PersonIds();

    [Fact]
    public async System.Threading.Tasks.Task My_dossiers_lists_each_dossier_a_person_has_a_grant_on_and_no_other()
    {
        static async System.Threading.Tasks.Task<string[]> Ids(HttpClient client)
        {
            var response = await client.GetAsync("/api/access/dossiers");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return doc.RootElement.EnumerateArray().Select(e => $"{e.GetProperty("patientId").GetString()}:{e.GetProperty("name").GetString()}").ToArray();
        }

        // The bondgenoot cannot read Jesse's profile, yet sees whose dossier it is; nothing of another family.
        // He supports Jesse's daughter Cheryl in her own dossier too (issue 18); her mother has no part in it.
        (await Ids(As("bondgenoot-ricardo"))).ShouldBe(["strikwerda-cheryl:Cheryl Strikwerda", "strikwerda-jesse:Jesse Strikwerda"]);
        (await Ids(As("strikwerda-tessa"))).ShouldBe(["strikwerda-jesse:Jesse Strikwerda"]);
        (await Ids(As("strikwerda-cheryl"))).ShouldBe(["strikwerda-cheryl:Cheryl Strikwerda"]);
        (await Ids(As("vanassen-luc"))).ShouldBe(["vanassen-luc:Luc van Assen"]);
        // The coach supports no family: an empty list, not a refusal.
        (await Ids(As("coach-smit"))).ShouldBeEmpty();
    }
}
