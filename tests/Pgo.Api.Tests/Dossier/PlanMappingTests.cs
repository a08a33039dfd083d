using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using Pgo.Shared.Mapping;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Dossier;

/// <summary>The plan as the Portal writes it (Shared/Mapping/PlanMapping) reads back the same in the overview: who made
/// it, its evaluations, the waakvlam-plan's contact rhythm, a naaste goal's progress notes. Someone outside the dossier
/// cannot evaluate it.</summary>
public sealed class PlanMappingTests
{
    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_plan_written_evaluated_and_a_waakvlam_plan_read_back_in_the_overview_as_written(string provider)
    {
        await using var api = new ApiFactory(provider);
        var mother = api.ClientAs("Person/pgo-plan-moeder");
        var patient = await (await mother.NewDossierAsync("Ties", "Bakker")).CreatedPatientIdAsync();
        var me = new ResourceReference("Person/pgo-plan-moeder", "Sanne Bakker");

        var plan = PlanMapping.NewPlan(patient, "2026-11-01", me);
        PlanMapping.Edit(plan, "Gezinsplan Bakker", "Ties gaat **graag** naar school.", SupportIntensity.Intensief);
        PlanMapping.SetNextEvaluation(plan, "2026-11-01", "2026-12-01");
        var created = await mother.PostAsync("/fhir/CarePlan", plan);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var stored = await created.ReadAs<CarePlan>();

        // Evaluated: the held date stays as history, the next one replaces the planned one.
        PlanMapping.Evaluate(stored, "2026-12-01", "2026-12-01T10:00:00+01:00", me, "Het gaat *goed*.", "2027-03-01");
        var evaluated = await mother.PutAsync($"/fhir/CarePlan/{stored.Id}", stored);
        evaluated.StatusCode.ShouldBe(HttpStatusCode.OK, await evaluated.Content.ReadAsStringAsync());

        var waakvlam = PlanMapping.NewWaakvlam(patient, stored.Id, "2026-12-01", me);
        PlanMapping.Edit(waakvlam, "Waakvlam-plan Ties", "Bellen als het weer misgaat.", SupportIntensity.Waakvlam);
        PlanMapping.SetContactRhythm(waakvlam, "2-maanden");
        (await mother.PostAsync("/fhir/CarePlan", waakvlam)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var related = (await (await mother.GetAsync($"/fhir/RelatedPerson?patient=Patient/{patient}")).ReadAs<Bundle>()).Entry.Single().Resource.Id;
        var goal = PlanMapping.NewGoal(patient, "2026-11-01");
        PlanMapping.EditGoal(goal, "Sanne heeft een avond voor zichzelf", "mantelzorg-ontlasting", GoalKinds.Doel,
            new ResourceReference($"RelatedPerson/{related}", "Sanne"), "2027-06-01");
        PlanMapping.AddProgress(goal, "2026-11-15T09:00:00+01:00", me, "Oma past op.");
        PlanMapping.AddProgress(goal, "2026-11-29T09:00:00+01:00", me, "Oma past **elke** dinsdag op.");
        (await mother.PostAsync("/fhir/Goal", goal)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var overview = (await mother.GetJsonAsync($"/api/dossiers/{patient}/overview")).Deserialize<DossierOverview>(DossierClient.Json)!;
        var main = overview.Plans!.Single(p => p.Intensity == SupportIntensity.Intensief);
        main.Title.ShouldBe("Gezinsplan Bakker");
        main.Description.ShouldBe("Ties gaat **graag** naar school.");
        main.Author.ShouldBe("Sanne Bakker");
        main.Created.ShouldBe("2026-11-01");
        main.EvaluationDates.ShouldBe(["2026-12-01", "2027-03-01"]);
        main.Evaluations!.Single().ShouldBe(new PlanNote("2026-12-01T10:00:00+01:00", "Sanne Bakker", "Het gaat *goed*."));
        var flame = overview.Plans!.Single(p => p.Intensity == SupportIntensity.Waakvlam);
        flame.Status.ShouldBe("draft");
        flame.BasedOn.ShouldBe($"CarePlan/{stored.Id}");
        flame.ContactRhythm.ShouldBe("2-maanden");
        var naaste = overview.Goals!.Single().Goals.Single();
        naaste.Kind.ShouldBe(GoalKinds.Doel);
        naaste.Concerns.ShouldBe("Sanne");
        naaste.Due.ShouldBe("2027-06-01");
        naaste.LatestProgress.ShouldBe("Oma past **elke** dinsdag op.");
        naaste.Progress!.Select(p => p.Text).ShouldBe(["Oma past op.", "Oma past **elke** dinsdag op."]);

        // Someone outside the dossier cannot evaluate (or even find) the plan.
        var stranger = api.ClientAs("Person/pgo-plan-vreemde");
        PlanMapping.Evaluate(stored, "2026-12-02", "2026-12-02T10:00:00+01:00", new ResourceReference("Person/pgo-plan-vreemde"), "Overgenomen.", null);
        (await stranger.PutAsync($"/fhir/CarePlan/{stored.Id}", stored)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var again = (await mother.GetJsonAsync($"/api/dossiers/{patient}/overview")).Deserialize<DossierOverview>(DossierClient.Json)!;
        again.Plans!.Single(p => p.Id == stored.Id).Evaluations!.Length.ShouldBe(1);
    }
}
