using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Pgo.Api.Tests.Dossier;

/// <summary>
/// The project's profiles (Fhir/Profiles) refuse bad dossier content with 422 and a Dutch diagnostic, and store nothing:
/// through /fhir, and inside a transaction Bundle (the whole Bundle is refused). The writer is a regiehouder who
/// started two dossiers through POST /api/dossiers, so every refusal is the profile's, not the access policy's.
/// </summary>
public abstract class ProfileRuleApi(string provider) : IAsyncLifetime
{
    public ApiFactory Api { get; } = new(provider, settings: new Dictionary<string, string?> { ["Pgo:LoadTerminology"] = "true" });
    public ValueTask InitializeAsync()
    {
        Api.CreateClient();
        return ValueTask.CompletedTask;
    }
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Api.DisposeAsync();
    }
}

public sealed class SqliteProfileRuleApi() : ProfileRuleApi("sqlite");
public sealed class PostgresProfileRuleApi() : ProfileRuleApi("postgres");
public sealed class ProfileRulesOnSqlite(SqliteProfileRuleApi f) : ProfileRuleTests(f), IClassFixture<SqliteProfileRuleApi>;
public sealed class ProfileRulesOnPostgres(PostgresProfileRuleApi f) : ProfileRuleTests(f), IClassFixture<PostgresProfileRuleApi>;

public abstract class ProfileRuleTests(ProfileRuleApi fixture)
{
    /// <summary>Two fresh dossiers (A and B) of one mother, for one test.</summary>
    private async Task<(ApiFactory Api, HttpClient Mother, string A, string B)> World()
    {
        var mother = fixture.Api.ClientAs($"Person/pgo-moeder-{Guid.NewGuid():N}");
        var a = await (await mother.NewDossierAsync("Sam", "Jansen")).CreatedPatientIdAsync();
        var b = await (await mother.NewDossierAsync("Noor", "Bakker")).CreatedPatientIdAsync();
        return (fixture.Api, mother, a, b);
    }

    private static Goal GoodGoal(string patient) => new()
    {
        LifecycleStatus = Goal.GoalLifecycleStatus.Active,
        Subject = new ResourceReference($"Patient/{patient}"),
        Description = new CodeableConcept { Text = "Sam slaapt door" },
        Category = [new CodeableConcept(PgoCodes.LifeDomain.System, "zorg-gezondheid")],
    };

    private static FhirTask GoodTask(string patient) => new()
    {
        Status = FhirTask.TaskStatus.Accepted,
        Intent = FhirTask.TaskIntent.Plan,
        Description = "Huisarts bellen",
        For = new ResourceReference($"Patient/{patient}"),
        Owner = new ResourceReference($"Patient/{patient}"),
        Restriction = new FhirTask.RestrictionComponent { Period = new Period { Start = "2026-12-01", End = "2026-12-10" } },
    };

    private static DocumentReference Note(string patient, string markdown) => new()
    {
        Status = DocumentReferenceStatus.Current,
        Subject = new ResourceReference($"Patient/{patient}"),
        Category = [new CodeableConcept(PgoCodes.Section.System, PgoCodes.Section.Logboek)],
        Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/markdown", Data = Encoding.UTF8.GetBytes(markdown) } }],
    };

    private static async System.Threading.Tasks.Task ShouldRefuse(HttpResponseMessage response, string words)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        var outcome = await response.Outcome();
        string.Join(" ", outcome.Issue.Select(i => i.Diagnostics)).ShouldContain(words, Case.Insensitive);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_goal_without_a_life_domain_is_refused_and_not_stored()
    {
        var (api, mother, a, _) = await World();
        var goal = GoodGoal(a);
        goal.Category = [];
        await ShouldRefuse(await mother.PostAsync("/fhir/Goal", goal), "leefgebied");
        goal.Category = [new CodeableConcept(PgoCodes.LifeDomain.System, "ruimtevaart")];
        await ShouldRefuse(await mother.PostAsync("/fhir/Goal", goal), "geen leefgebied");
        (await api.CreateClient().CountAsync("Goal", $"patient=Patient/{a}")).ShouldBe(0);
        (await mother.PostAsync("/fhir/Goal", GoodGoal(a))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_agreement_without_an_owner_or_due_before_its_start_is_refused()
    {
        var (api, mother, a, _) = await World();
        var noOwner = GoodTask(a);
        noOwner.Owner = null;
        await ShouldRefuse(await mother.PostAsync("/fhir/Task", noOwner), "wie het doet");
        var backwards = GoodTask(a);
        backwards.Restriction.Period = new Period { Start = "2026-12-10", End = "2026-12-01" };
        await ShouldRefuse(await mother.PostAsync("/fhir/Task", backwards), "vóór de begindatum");
        (await api.CreateClient().CountAsync("Task", $"patient=Patient/{a}")).ShouldBe(0);
        // Due on the day it starts is fine (a date-only end includes that day).
        var sameDay = GoodTask(a);
        sameDay.Restriction.Period = new Period { Start = "2026-12-10T09:00:00+01:00", End = "2026-12-10" };
        (await mother.PostAsync("/fhir/Task", sameDay)).StatusCode.ShouldBe(HttpStatusCode.Created);
        // A name alone is an owner too (someone outside the network, as the Portal's "wie doet het?" field writes it).
        var byName = GoodTask(a);
        byName.Owner = new ResourceReference { Display = "opa Jan" };
        (await mother.PostAsync("/fhir/Task", byName)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var blankName = GoodTask(a);
        blankName.Owner = new ResourceReference { Display = "  " };
        await ShouldRefuse(await mother.PostAsync("/fhir/Task", blankName), "wie het doet");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_reference_to_another_familys_dossier_is_refused_even_for_someone_who_sees_both()
    {
        var (api, mother, a, b) = await World();
        var goalOfB = await (await mother.PostAsync("/fhir/Goal", GoodGoal(b))).ReadAs<Goal>();
        var task = GoodTask(a);
        task.Focus = new ResourceReference($"Goal/{goalOfB.Id}");
        await ShouldRefuse(await mother.PostAsync("/fhir/Task", task), "ander dossier");
        var ownerFromB = GoodTask(a);
        ownerFromB.Owner = new ResourceReference($"Patient/{b}");
        await ShouldRefuse(await mother.PostAsync("/fhir/Task", ownerFromB), "ander dossier");
        (await api.CreateClient().CountAsync("Task", $"patient=Patient/{a}")).ShouldBe(0);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_agreements_owner_reference_names_someone_of_the_dossiers_network()
    {
        var (api, mother, a, b) = await World();
        var motherInB = await (await mother.GetAsync($"/fhir/RelatedPerson?patient=Patient/{b}")).ReadAs<Bundle>();
        var motherInA = await (await mother.GetAsync($"/fhir/RelatedPerson?patient=Patient/{a}")).ReadAs<Bundle>();
        FhirTask Owned(string owner)
        {
            var task = GoodTask(a);
            task.Owner = new ResourceReference(owner);
            return task;
        }
        // Outside the network: a practitioner of no team here, her own record in the other dossier, a record that does not exist.
        foreach (var outsider in new[] { "Practitioner/iemand-anders", $"RelatedPerson/{motherInB.Entry.Single().Resource.Id}", "RelatedPerson/bestaat-niet" })
            await ShouldRefuse(await mother.PostAsync("/fhir/Task", Owned(outsider)), "niet bij dit dossier hoort");
        (await api.CreateClient().CountAsync("Task", $"patient=Patient/{a}")).ShouldBe(0);
        // In the network: the client, her own RelatedPerson here, a member of the dossier's CareTeam.
        (await mother.PostAsync("/fhir/Task", Owned($"Patient/{a}"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await mother.PostAsync("/fhir/Task", Owned($"RelatedPerson/{motherInA.Entry.Single().Resource.Id}"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var team = new CareTeam
        {
            Status = CareTeam.CareTeamStatus.Active,
            Subject = new ResourceReference($"Patient/{a}"),
            Participant = [new CareTeam.ParticipantComponent { Member = new ResourceReference("Practitioner/huisarts-de-vries") }],
        };
        var stored = await (await mother.PostAsync("/fhir/CareTeam", team)).ReadAs<CareTeam>();
        var doctors = await (await mother.PostAsync("/fhir/Task", Owned("Practitioner/huisarts-de-vries"))).ReadAs<FhirTask>();
        // Once the doctor has left the team, the agreement can still be ticked off (only a changed owner is checked).
        stored.Participant.Clear();
        (await mother.PutAsync($"/fhir/CareTeam/{stored.Id}", stored)).StatusCode.ShouldBe(HttpStatusCode.OK);
        doctors.Status = FhirTask.TaskStatus.Completed;
        (await mother.PutAsync($"/fhir/Task/{doctors.Id}", doctors)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldRefuse(await mother.PostAsync("/fhir/Task", Owned("Practitioner/huisarts-de-vries")), "niet bij dit dossier hoort");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_logbook_note_whose_markdown_carries_script_or_html_is_refused()
    {
        var (api, mother, a, _) = await World();
        foreach (var bad in new[]
                 {
                     "Vandaag ging goed <script>alert('x')</script>",
                     "[klik hier](javascript:alert(1))",
                     "[klik](JaVaScRiPt&#58;alert(1))",
                     "<img src=x onerror=alert(1)>",
                     "![foto](data:text/html;base64,PHNjcmlwdD4=)",
                 })
            await ShouldRefuse(await mother.PostAsync("/fhir/DocumentReference", Note(a, bad)), "niet toegestaan");
        var goal = GoodGoal(a);
        goal.Note = [new Annotation { Text = new Markdown("<b onmouseover=alert(1)>voortgang</b>") }];
        await ShouldRefuse(await mother.PostAsync("/fhir/Goal", goal), "HTML");
        (await api.CreateClient().CountAsync("DocumentReference", $"patient=Patient/{a}")).ShouldBe(0);

        var fine = await mother.PostAsync("/fhir/DocumentReference", Note(a, "**Goede dag.** Zie [de website](https://www.example.nl) en mail naar <info@example.nl>. 3 < 4."));
        fine.StatusCode.ShouldBe(HttpStatusCode.Created, await fine.Content.ReadAsStringAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_questionnaire_answer_outside_its_options_is_refused()
    {
        var (api, mother, a, _) = await World();
        QuestionnaireResponse Response(string linkId, DataType value) => new()
        {
            Questionnaire = $"{PgoCodes.Base}/Questionnaire/kwaliteit-van-leven",
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference($"Patient/{a}"),
            Item = [new QuestionnaireResponse.ItemComponent { LinkId = linkId, Answer = [new QuestionnaireResponse.AnswerComponent { Value = value }] }],
        };
        await ShouldRefuse(await mother.PostAsync("/fhir/QuestionnaireResponse", Response("rust", new Integer(11))), "geen van de antwoordmogelijkheden");
        await ShouldRefuse(await mother.PostAsync("/fhir/QuestionnaireResponse", Response("lievelingskleur", new Integer(5))), "bestaat niet");
        var burden = Response("overbelast", new Coding(PgoCodes.Likert5.System, "7"));
        burden.Questionnaire = $"{PgoCodes.Base}/Questionnaire/belasting-naaste";
        await ShouldRefuse(await mother.PostAsync("/fhir/QuestionnaireResponse", burden), "antwoordmogelijkheden");
        var unknown = Response("rust", new Integer(5));
        unknown.Questionnaire = "https://example.org/Questionnaire/onbekend";
        await ShouldRefuse(await mother.PostAsync("/fhir/QuestionnaireResponse", unknown), "niet gevonden");
        (await api.CreateClient().CountAsync("QuestionnaireResponse", $"patient=Patient/{a}")).ShouldBe(0);
        (await mother.PostAsync("/fhir/QuestionnaireResponse", Response("rust", new Integer(7)))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async System.Threading.Tasks.Task One_bad_entry_refuses_the_whole_transaction_and_nothing_is_stored()
    {
        var (api, mother, a, _) = await World();
        var badTask = GoodTask(a);
        badTask.Owner = null;
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new() { FullUrl = "urn:uuid:7d1c1f4e-0000-4000-8000-000000000001", Resource = GoodGoal(a), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Goal" } },
                new() { Resource = Note(a, "Gewone notitie"), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "DocumentReference" } },
                new() { Resource = badTask, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Task" } },
            ],
        };
        await ShouldRefuse(await mother.PostAsync("/fhir", bundle), "wie het doet");
        var system = api.CreateClient();
        (await system.CountAsync("Goal", $"patient=Patient/{a}")).ShouldBe(0);
        (await system.CountAsync("DocumentReference", $"patient=Patient/{a}")).ShouldBe(0);
        (await system.CountAsync("Task", $"patient=Patient/{a}")).ShouldBe(0);

        // A batch refuses only the bad entry.
        bundle.Type = Bundle.BundleType.Batch;
        bundle.Entry[0].FullUrl = null;
        var batch = await (await mother.PostAsync("/fhir", bundle)).ReadAs<Bundle>();
        batch.Entry.Select(e => e.Response.Status[..3]).ShouldBe(["201", "201", "422"]);
    }
}
