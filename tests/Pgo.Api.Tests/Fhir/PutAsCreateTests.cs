using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;

namespace Pgo.Api.Tests.Fhir;

/// <summary>Issue 13, W5 over HTTP: a person's PUT tells nothing about ids they cannot see; system clients keep update-as-create.</summary>
public class PutAsCreateTests
{
    private static Goal Goal(string? id, string patient) => new()
    {
        Id = id,
        LifecycleStatus = Hl7.Fhir.Model.Goal.GoalLifecycleStatus.Active,
        Subject = new ResourceReference($"Patient/{patient}"),
        Description = new CodeableConcept { Text = "doel" },
        Category = [new CodeableConcept(PgoCodes.LifeDomain.System, "vrije-tijd")],
    };

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_person_PUT_to_a_missing_deleted_or_other_familys_id_gets_the_identical_404(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        Resource[] seed =
        [
            new Patient { Id = "pc-a", BirthDate = "2014-01-01" },
            new Patient { Id = "pc-b", BirthDate = "2014-01-01" },
            new RelatedPerson { Id = "pc-parent", Patient = new ResourceReference("Patient/pc-a") },
            new Person { Id = "pc-parent", Link = [new Person.LinkComponent { Target = new ResourceReference("RelatedPerson/pc-parent") }] },
            Named(Grants.Regie(null, "pc-a", ["RelatedPerson/pc-parent"]), "pc-regie"),
            Goal("pc-deleted", "pc-a"),
            Goal("pc-other", "pc-b"),
        ];
        foreach (var r in seed) (await system.PutAsync($"/fhir/{r.TypeName}/{r.Id}", r)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await system.DeleteAsync("/fhir/Goal/pc-deleted", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var parent = api.ClientAs("Person/pc-parent");
        var bodies = new List<string>();
        foreach (var id in new[] { "pc-missing", "pc-deleted", "pc-other" })
        {
            var response = await parent.PutAsync($"/fhir/Goal/{id}", Goal(id, "pc-a"), ifMatch: "W/\"1\"");
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, id);
            bodies.Add((await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Replace(id, "<id>", StringComparison.Ordinal));
        }
        bodies.Distinct().Count().ShouldBe(1, string.Join("\n", bodies));
        (await system.GetAsync("/fhir/Goal/pc-missing", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await system.GetAsync("/fhir/Goal/pc-other", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A system client keeps update-as-create, but not into another dossier for a deleted id.
        (await system.PutAsync("/fhir/Goal/pc-new", Goal("pc-new", "pc-a"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await system.PutAsync("/fhir/Goal/pc-deleted", Goal("pc-deleted", "pc-b"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        static Consent Named(Consent c, string id) { c.Id = id; return c; }
    }
}
