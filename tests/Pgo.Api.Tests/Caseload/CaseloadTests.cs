using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Dossier;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Caseload;

/// <summary>GET /api/caseload: "Mijn gezinnen" in one call, under the caller's access scope, with the overview's rules.</summary>
public sealed class CaseloadTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static async Task<string> AgreementAsync(HttpClient client, string patient, string description, string due)
    {
        var task = new Hl7.Fhir.Model.Task
        {
            Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Plan,
            Description = description,
            For = new ResourceReference($"Patient/{patient}"),
            Owner = new ResourceReference { Display = "Moeder" },
            Restriction = new Hl7.Fhir.Model.Task.RestrictionComponent { Period = new Period { End = due } },
        };
        var response = await client.PostAsync("/fhir/Task", task);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadAs<Hl7.Fhir.Model.Task>()).Id!;
    }

    private static async Task<CaseloadFamily[]> CaseloadAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/caseload");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<CaseloadFamily[]>(body, Strict)!;
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task An_agreement_due_today_is_open_but_not_overdue_in_the_caseload_as_on_the_dossier_start(string provider)
    {
        await using var api = new ApiFactory(provider, clock: new MutableClock(Now));
        var mother = api.ClientAs("Person/pgo-moeder");
        var patient = await (await mother.NewDossierAsync("Mila", "de Vries")).CreatedPatientIdAsync();
        var today = await AgreementAsync(mother, patient, "Vandaag de school bellen", "2026-12-04");
        var yesterday = await AgreementAsync(mother, patient, "Gisteren het formulier opsturen", "2026-12-03");

        var row = (await CaseloadAsync(mother)).ShouldHaveSingleItem();
        row.PatientId.ShouldBe(patient);
        row.Name.ShouldBe("Mila de Vries");
        row.OpenAgreements.ShouldBe(2);
        // A date-only due date includes that whole day: only yesterday's agreement is late, here and on the dossier start.
        row.OverdueAgreements.ShouldBe(1);
        var overview = await mother.GetJsonAsync($"/api/dossiers/{patient}/overview");
        overview.GetProperty("overdueAgreements").Ids().ShouldBe([yesterday]);
        overview.GetProperty("openAgreements").Ids().ShouldContain(today);
        row.GoalsInProgress.ShouldBe(0);
        row.LastContact.ShouldBeNull();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task The_caseload_shows_only_the_caller_s_families_and_null_for_what_is_not_shared(string provider)
    {
        await using var api = new ApiFactory(provider, demoData: true);
        // The bondgenoot of the Strikwerda family reads agreements, goals, plan and logbook, not the profile.
        var ricardo = await CaseloadAsync(api.ClientAs("Person/bondgenoot-ricardo"));
        // Jesse's dossier, and (issue 18) the own dossier of his daughter Cheryl, whom Ricardo supports too.
        ricardo.Select(r => r.PatientId).ShouldBe(["strikwerda-cheryl", "strikwerda-jesse"]);
        var jesse = ricardo.Single(r => r.PatientId == "strikwerda-jesse");
        jesse.PatientId.ShouldBe("strikwerda-jesse");
        jesse.OpenAgreements.ShouldNotBeNull();
        jesse.OverdueAgreements.ShouldNotBeNull();
        jesse.Intensity.ShouldBe("intensief");
        jesse.IntensityDisplay.ShouldBe("Intensief");
        jesse.LastContact.ShouldNotBeNull();

        // The municipality holds a grant without sections: the family is listed, every count is "not shared".
        var wmo = (await CaseloadAsync(api.ClientAs("Person/gemeente-wmo-degroot"))).ShouldHaveSingleItem();
        wmo.OpenAgreements.ShouldBeNull();
        wmo.GoalsInProgress.ShouldBeNull();
        wmo.LastContact.ShouldBeNull();
        wmo.Intensity.ShouldBeNull();

        // Someone without any grant has no families, and no one may ask without signing in.
        (await CaseloadAsync(api.ClientAs("Person/pgo-vreemde"))).ShouldBeEmpty();
        (await api.ClientFor(null).GetAsync("/api/caseload")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
