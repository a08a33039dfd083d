using System.Net;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Dossier;

/// <summary>POST /api/dossiers: a signed-in person starts a client's dossier and becomes its regiehouder (a Consent as in
/// ADR 3); the creator reads and writes it, nobody else sees anything of it.</summary>
public sealed class NewDossierTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_creator_becomes_regiehouder_and_reads_and_writes_while_others_cannot(string provider)
    {
        await using var api = new ApiFactory(provider);
        var mother = api.ClientAs("Person/pgo-0d6f7a1e");
        var created = await mother.NewDossierAsync("Mila", "de Vries", relationship: "ouder", birthDate: "2018-03-14");
        var patient = await created.CreatedPatientIdAsync();
        created.Headers.Location!.ToString().ShouldBe($"/api/dossiers/{patient}/overview");

        // The founding grant is a regie Consent naming the mother's RelatedPerson, linked from her Person.
        var system = api.CreateClient();
        var consents = await (await system.GetAsync($"/fhir/Consent?patient=Patient/{patient}")).ReadAs<Bundle>();
        var regie = (Consent)consents.Entry.Single().Resource;
        var actor = regie.Provision.Actor.Single();
        actor.Role.Coding.ShouldContain(c => c.System == PgoCodes.GrantRole.System && c.Code == PgoCodes.GrantRole.Regiehouder);
        var person = await (await system.GetAsync("/fhir/Person/pgo-0d6f7a1e")).ReadAs<Person>();
        person.Link.Select(l => l.Target.Reference).ShouldBe([actor.Reference.Reference]);

        // She reads and writes it.
        (await mother.GetAsync($"/fhir/Patient/{patient}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var goal = new Goal
        {
            LifecycleStatus = Goal.GoalLifecycleStatus.Active,
            Subject = new ResourceReference($"Patient/{patient}"),
            Description = new CodeableConcept { Text = "Mila gaat naar het speciaal onderwijs" },
            Category = [new CodeableConcept(PgoCodes.LifeDomain.System, "onderwijs")],
        };
        (await mother.PostAsync("/fhir/Goal", goal)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var overview = await mother.GetJsonAsync($"/api/dossiers/{patient}/overview");
        overview.GetProperty("canManageAccess").GetBoolean().ShouldBeTrue();
        overview.GetProperty("client").GetProperty("name").GetString().ShouldBe("Mila de Vries");
        overview.GetProperty("goals")[0].GetProperty("domain").GetString().ShouldBe("onderwijs");

        // Someone else sees nothing and writes nothing.
        var stranger = api.ClientAs("Person/pgo-vreemde");
        (await stranger.GetAsync($"/api/dossiers/{patient}/overview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/dossiers/{patient}/timeline")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/fhir/Patient/{patient}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.CountAsync("Goal")).ShouldBe(0);
        (await stranger.PostAsync("/fhir/Goal", goal)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await system.CountAsync("Goal", $"patient=Patient/{patient}")).ShouldBe(1);

        // The creation is in the dossier's audit log under her name.
        var audit = await mother.GetJsonAsync($"/api/dossiers/{patient}/audit?person=Person/pgo-0d6f7a1e");
        audit.EnumerateArray().Select(r => r.GetProperty("action").GetString()).ShouldContain("transaction:create");
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_second_dossier_adds_a_link_and_an_adult_starts_their_own(string provider)
    {
        await using var api = new ApiFactory(provider);
        var father = api.ClientAs("Person/pgo-vader");
        var first = await (await father.NewDossierAsync("Tim", "Smit")).CreatedPatientIdAsync();
        var second = await (await father.NewDossierAsync("Eva", "Smit")).CreatedPatientIdAsync();
        (await father.GetAsync($"/api/dossiers/{first}/overview")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await father.GetAsync($"/api/dossiers/{second}/overview")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await api.CreateClient().GetAsync("/fhir/Person/pgo-vader")).ReadAs<Person>()).Link.Count.ShouldBe(2);

        // A parent cannot start an adult's dossier without mentorship or curatele; the adult can start their own.
        var refused = await father.NewDossierAsync("Bas", "Smit", birthDate: "1990-01-01");
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await api.CreateClient().CountAsync("Patient")).ShouldBe(2);
        (await father.NewDossierAsync("Bas", "Smit", birthDate: "1990-01-01", legalBasis: "mentor")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var bas = api.ClientAs("Person/pgo-bas");
        var own = await (await bas.NewDossierAsync("Bas", "Jansen", relationship: "zelf", birthDate: "1990-01-01")).CreatedPatientIdAsync();
        (await bas.GetAsync($"/fhir/Patient/{own}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Bad requests and callers who are not a person.
        (await father.NewDossierAsync("", "Smit")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await father.NewDossierAsync("Jip", "Smit", relationship: "buurman-van-de-buurman")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.CreateClient().NewDossierAsync("Jip", "Smit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ClientAs("Person/pgo-lezer", "openid fhirUser user/*.rs").NewDossierAsync("Jip", "Smit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
