using System.Net;
using System.Net.Http.Json;
using Pgo.Shared.Contracts;
using System.Text.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Tests.Access;
using Pgo.Api.Dossier;
using Pgo.Fhir.Access;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Dossier;

public sealed class MeasurementsOnSqlite(SqliteDemoFamilies f) : MeasurementTests(f), IClassFixture<SqliteDemoFamilies>;
public sealed class MeasurementsOnPostgres(PostgresDemoFamilies f) : MeasurementTests(f), IClassFixture<PostgresDemoFamilies>;

/// <summary>
/// Issue 20, measurements per respondent: each QuestionnaireResponse names who answered (<c>source</c>: someone of this
/// dossier, the profile rule an agreement's owner has too) and who recorded it (<c>author</c>: the recorder's own record,
/// W9). The supporter records "namens" a parent; the overview shows each respondent's own change. On the Strikwerda
/// demo dossier: Ricardo is the supporter, Tessa the mother (regiehouder), Cheryl a daughter in the network.
/// </summary>
public abstract class MeasurementTests(DemoFamilies demo)
{
    private const string Jesse = "strikwerda-jesse";

    private HttpClient As(string person) => demo.Api.ClientAs($"Person/{person}");

    private static QuestionnaireResponse Quality(string moment, int grade, ResourceReference? source = null, ResourceReference? author = null)
    {
        var response = new QuestionnaireResponse
        {
            Questionnaire = ProjectQuestionnaires.Canonical(ProjectQuestionnaires.KwaliteitVanLeven),
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference($"Patient/{Jesse}"),
            Authored = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            Source = source,
            Author = author,
            Item = new[] { "rust", "gezondheid", "regie", "zorg-geregeld", "netwerk", "toekomst" }.Select(l => new QuestionnaireResponse.ItemComponent
            {
                LinkId = l,
                Answer = [new QuestionnaireResponse.AnswerComponent { Value = new Integer(grade) }],
            }).ToList(),
        };
        response.AddExtension(PgoCodes.DossierExtensions.MeasurementMoment, new Coding(PgoCodes.MeasurementMoment.System, moment));
        return response;
    }

    private async Task<long> Count() => await demo.Api.CreateClient().CountAsync("QuestionnaireResponse", $"patient=Patient/{Jesse}");

    private async Task<JsonElement[]> QualityViews(HttpClient reader) =>
        (await reader.GetJsonAsync($"/api/dossiers/{Jesse}/overview")).GetProperty("measurements").EnumerateArray()
            .Where(m => m.GetProperty("questionnaire").GetString()!.EndsWith(ProjectQuestionnaires.KwaliteitVanLeven, StringComparison.Ordinal)).ToArray();

    [Fact]
    public async System.Threading.Tasks.Task A_respondent_outside_the_dossier_is_refused_through_fhir_and_nothing_is_stored()
    {
        var ricardo = As("bondgenoot-ricardo");
        var before = await Count();
        // Another family's naaste and supporter, and a record that does not exist, are refused alike (no hint whether it exists).
        foreach (var outsider in new[] { "RelatedPerson/bilic-gulan", "Practitioner/bondgenoot-khadija", "RelatedPerson/bestaat-niet", "Patient/bilic-atilla" })
        {
            var refused = await ricardo.PostAsync("/fhir/QuestionnaireResponse", Quality("0-meting", 5, new ResourceReference(outsider, "Iemand")));
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, outsider);
            string.Join(" ", (await refused.Outcome()).Issue.Select(i => i.Diagnostics)).ShouldContain("niet bij dit dossier hoort");
        }
        (await Count()).ShouldBe(before);
    }

    [Fact]
    public async System.Threading.Tasks.Task Recording_an_answer_in_someone_elses_name_as_author_is_refused()
    {
        var ricardo = As("bondgenoot-ricardo");
        var before = await Count();
        var tessa = new ResourceReference("RelatedPerson/strikwerda-tessa", "Tessa Strikwerda");
        var refused = await ricardo.PostAsync("/fhir/QuestionnaireResponse", Quality("1-meting", 9, source: tessa, author: tessa));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        string.Join(" ", (await refused.Outcome()).Issue.Select(i => i.Diagnostics)).ShouldContain("in uw eigen naam");
        // Inside a transaction the same: the Bundle is refused whole.
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = Quality("1-meting", 9, source: tessa), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "QuestionnaireResponse" } });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = Quality("1-meting", 9, source: tessa, author: tessa), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "QuestionnaireResponse" } });
        (await ricardo.PostAsync("/fhir", bundle)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Count()).ShouldBe(before);
        // Someone who may not write metingen here records nothing either (the new rule widens nothing).
        var gemeente = await As("gemeente-wmo-degroot").PostAsync("/fhir/QuestionnaireResponse", Quality("1-meting", 9));
        ((int)gemeente.StatusCode).ShouldBeOneOf(403, 404);
        (await Count()).ShouldBe(before);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_supporter_records_namens_a_daughter_and_the_overview_shows_her_change_apart_from_her_mother()
    {
        var ricardo = As("bondgenoot-ricardo");
        var cheryl = new ResourceReference("RelatedPerson/strikwerda-cheryl", "Cheryl Strikwerda");
        var me = new ResourceReference("Person/bondgenoot-ricardo", "Ricardo");
        var zero = await ricardo.PostAsync("/fhir/QuestionnaireResponse", Quality("0-meting", 4, cheryl, me));
        zero.StatusCode.ShouldBe(HttpStatusCode.Created, await zero.Content.ReadAsStringAsync());
        var stored = await zero.ReadAs<QuestionnaireResponse>();
        stored.Source.Reference.ShouldBe("RelatedPerson/strikwerda-cheryl");
        stored.Author.Reference.ShouldBe("Person/bondgenoot-ricardo");
        stored.GetBoolExtension(PgoCodes.DossierExtensions.Proxy).ShouldBe(true);
        // Left empty, the author becomes the recorder's own record.
        var one = await ricardo.PostAsync("/fhir/QuestionnaireResponse", Quality("1-meting", 6, cheryl));
        one.StatusCode.ShouldBe(HttpStatusCode.Created, await one.Content.ReadAsStringAsync());
        (await one.ReadAs<QuestionnaireResponse>()).Author.Reference.ShouldBe("Person/bondgenoot-ricardo");

        var views = await QualityViews(As("strikwerda-tessa"));
        var hers = views.Single(v => v.GetProperty("respondent").GetString() == "Cheryl Strikwerda");
        hers.GetProperty("moments").EnumerateArray().Select(m => m.GetProperty("score").GetInt32()).ShouldBe([24, 36]);
        hers.GetProperty("moments").EnumerateArray().ShouldAllBe(m => m.GetProperty("proxy").GetBoolean());
        hers.GetProperty("moments")[0].GetProperty("author").GetString().ShouldBe("Ricardo");
        hers.GetProperty("changeFromStart").GetInt32().ShouldBe(12);
        hers.GetProperty("changeFromPrevious").GetInt32().ShouldBe(12);
        // The mother's own answers (the demo's 23 and 33) keep their own change.
        var mother = views.Single(v => v.GetProperty("respondent").GetString() == "Tessa");
        mother.GetProperty("changeFromStart").GetInt32().ShouldBe(10);
        // Names in words, never a reference.
        views.SelectMany(v => v.GetProperty("moments").EnumerateArray()).Select(m => m.GetProperty("source").GetString() ?? "")
            .ShouldAllBe(s => !s.Contains('/'));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_parent_answering_for_herself_is_recorded_as_her_own_record_in_the_dossier_without_proxy()
    {
        var tessa = As("strikwerda-tessa");
        var veerkracht = new QuestionnaireResponse
        {
            Questionnaire = ProjectQuestionnaires.Canonical(ProjectQuestionnaires.Veerkracht),
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference($"Patient/{Jesse}"),
            Source = new ResourceReference("Person/strikwerda-tessa", "Tessa Strikwerda"),
            Item = [new QuestionnaireResponse.ItemComponent { LinkId = "grip", Answer = [new QuestionnaireResponse.AnswerComponent { Value = new Coding(PgoCodes.Agreement5.System, "4") }] }],
        };
        var created = await tessa.PostAsync("/fhir/QuestionnaireResponse", veerkracht);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var stored = await created.ReadAs<QuestionnaireResponse>();
        stored.Source.Reference.ShouldBe("RelatedPerson/strikwerda-tessa");
        stored.Author.Reference.ShouldBe("Person/strikwerda-tessa");
        stored.GetBoolExtension(PgoCodes.DossierExtensions.Proxy).ShouldBeNull();
        // The pilots' lists are there beside the two project lists, with their own answer options.
        veerkracht.Item[0].Answer[0].Value = new Coding(PgoCodes.Agreement5.System, "6");
        (await tessa.PostAsync("/fhir/QuestionnaireResponse", veerkracht)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await tessa.GetAsync($"/fhir/Questionnaire/{ProjectQuestionnaires.Capabilities}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_coach_adds_an_instrument_a_parent_answers_it_and_a_retired_one_leaves_the_list()
    {
        var coach = As("coach-smit");
        var request = new InstrumentRequest("Rust in huis", "Hoe rustig is het thuis?", "ja-nee", ["Slaapt iedereen door?", "Zijn er vaste eettijden?"]);
        var created = await coach.PostAsJsonAsync("/api/instruments", request);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var instrument = (await created.Content.ReadFromJsonAsync<InstrumentView>())!;
        instrument.Scale.ShouldBe("ja-nee");
        instrument.Project.ShouldBeFalse();

        // Families pick from the active list: the project's lists and the new one.
        var tessa = As("strikwerda-tessa");
        var listed = (await tessa.GetFromJsonAsync<InstrumentView[]>("/api/instruments"))!;
        listed.Select(i => i.Id).ShouldContain(instrument.Id);
        listed.Select(i => i.Id).ShouldContain(ProjectQuestionnaires.Capabilities);
        listed.Select(i => i.Id).ShouldContain(ProjectQuestionnaires.Veerkracht);
        var answer = new QuestionnaireResponse
        {
            Questionnaire = ProjectQuestionnaires.Canonical(instrument.Id),
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference($"Patient/{Jesse}"),
            Item = [new QuestionnaireResponse.ItemComponent { LinkId = "vraag-1", Answer = [new QuestionnaireResponse.AnswerComponent { Value = new Coding(PgoCodes.YesNo.System, "1") }] }],
        };
        var answered = await tessa.PostAsync("/fhir/QuestionnaireResponse", answer);
        answered.StatusCode.ShouldBe(HttpStatusCode.Created, await answered.Content.ReadAsStringAsync());
        answer.Item[0].Answer[0].Value = new Coding(PgoCodes.YesNo.System, "2");
        (await tessa.PostAsync("/fhir/QuestionnaireResponse", answer)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        // Others may not add or retire; the platform's own lists are not retired.
        (await As("bondgenoot-ricardo").PostAsJsonAsync("/api/instruments", request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await tessa.PostAsJsonAsync("/api/instruments", request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await tessa.PostAsync($"/api/instruments/{instrument.Id}/retire", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await coach.PostAsync($"/api/instruments/{ProjectQuestionnaires.KwaliteitVanLeven}/retire", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await coach.PostAsync($"/api/instruments/{instrument.Id}/retire", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await tessa.GetFromJsonAsync<InstrumentView[]>("/api/instruments"))!.Select(i => i.Id).ShouldNotContain(instrument.Id);
        // The answer given stays readable.
        (await tessa.GetAsync($"/fhir/Questionnaire/{instrument.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("", "cijfer", "Een vraag")]
    [InlineData("Titel", "schaal", "Een vraag")]
    [InlineData("Titel", "likert", "")]
    [InlineData("<b>Titel</b>", "likert", "Een vraag")]
    [InlineData("Titel", "likert", "<script>alert(1)</script>")]
    public async System.Threading.Tasks.Task A_bad_instrument_is_refused_with_400_and_nothing_is_stored(string title, string scale, string item)
    {
        var coach = As("coach-smit");
        var before = (await coach.GetFromJsonAsync<InstrumentView[]>("/api/instruments"))!.Length;
        var refused = await coach.PostAsJsonAsync("/api/instruments", new InstrumentRequest(title, null, scale, [item]));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await coach.GetFromJsonAsync<InstrumentView[]>("/api/instruments"))!.Length.ShouldBe(before);
    }

    [Fact]
    public void An_old_answer_without_respondent_reads_as_its_author_or_onbekend()
    {
        QuestionnaireResponse Old(string id, ResourceReference? author, int grade) => new()
        {
            Id = id,
            Questionnaire = "Questionnaire/x",
            Authored = $"2025-0{grade}-01",
            Author = author,
            Item = [new QuestionnaireResponse.ItemComponent { LinkId = "a", Answer = [new QuestionnaireResponse.AnswerComponent { Value = new Integer(grade) }] }],
        };
        var views = DossierViews.Measurements(
            [Old("1", new ResourceReference("Person/p", "Petra"), 2), Old("2", new ResourceReference("Person/p", "Petra"), 5), Old("3", null, 3)],
            new Dictionary<string, Questionnaire>());
        views.Select(v => v.Respondent).ShouldBe(["Petra", "onbekend"]);
        views[0].ChangeFromStart.ShouldBe(3);
        views[1].ChangeFromStart.ShouldBeNull();
    }
}
