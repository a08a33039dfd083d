using System.Net;
using Hl7.Fhir.Model;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Fhir;

/// <summary>Bad input gets a clear OperationOutcome with the right 4xx, never a 500, and nothing is stored.</summary>
public class BadInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, HttpStatusCode> RefusedBodies => new()
    {
        { "malformed JSON", "{\"resourceType\":\"Patient\",", HttpStatusCode.BadRequest },
        { "not an object", "[1,2,3]", HttpStatusCode.BadRequest },
        { "empty body", "", HttpStatusCode.BadRequest },
        { "unknown resourceType", "{\"resourceType\":\"Huisdier\"}", HttpStatusCode.BadRequest },
        { "unknown element", "{\"resourceType\":\"Patient\",\"lievelingskleur\":\"blauw\"}", HttpStatusCode.BadRequest },
        { "invalid code", "{\"resourceType\":\"Patient\",\"gender\":\"m\"}", HttpStatusCode.BadRequest },
        { "invalid date", "{\"resourceType\":\"Patient\",\"birthDate\":\"2015-13-45\"}", HttpStatusCode.BadRequest },
        { "wrong type in body", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}", HttpStatusCode.BadRequest },
        { "missing required element", "{\"resourceType\":\"Patient\",\"link\":[{\"type\":\"seealso\"}]}", HttpStatusCode.BadRequest },
    };

    [Theory, MemberData(nameof(RefusedBodies))]
    public async System.Threading.Tasks.Task A_refused_create_answers_an_operation_outcome_and_stores_nothing(string why, string body, HttpStatusCode expected)
    {
        var before = await Client.CountAsync("Patient");
        var response = await Client.PostAsync("/fhir/Patient", Body(body), Ct);
        response.StatusCode.ShouldBe(expected, why);
        var outcome = await response.Outcome();
        outcome.Issue.ShouldNotBeEmpty();
        outcome.Issue[0].Severity.ShouldBe(OperationOutcome.IssueSeverity.Error);
        (await Client.CountAsync("Patient")).ShouldBe(before);
    }

    [Fact]
    public async System.Threading.Tasks.Task Unknown_resource_type_in_the_url_is_404_with_an_outcome()
    {
        var response = await Client.GetAsync("/fhir/Huisdier/1", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Outcome()).Issue[0].Diagnostics.ShouldContain("Huisdier");
    }

    [Fact]
    public async System.Threading.Tasks.Task Id_in_the_body_differing_from_the_url_is_400()
    {
        var response = await Client.PutAsync("/fhir/Patient/abc", Patient("X", id: "xyz"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Outcome()).Issue[0].Diagnostics.ShouldContain("verschilt");
        (await Client.GetAsync("/fhir/Patient/abc", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async System.Threading.Tasks.Task Invalid_id_in_the_url_is_400()
    {
        var response = await Client.GetAsync("/fhir/Patient/" + new string('x', 65), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await response.Outcome();
    }

    [Fact]
    public async System.Threading.Tasks.Task A_body_over_the_configured_limit_is_413()
    {
        var big = Patient("Groot");
        big.Text = new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + new string('a', 1_100_000) + "</div>" };
        var response = await Client.PostAsync("/fhir/Patient", Body(big), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        await response.Outcome();
    }

    [Fact]
    public async System.Threading.Tasks.Task Xml_and_other_content_types_are_415()
    {
        var xml = await Client.PostAsync("/fhir/Patient", Body("<Patient xmlns=\"http://hl7.org/fhir\"/>", "application/fhir+xml"), Ct);
        xml.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        await xml.Outcome();
        var text = await Client.PostAsync("/fhir/Patient", Body("{}", "text/plain"), Ct);
        text.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_bad_if_match_is_400()
    {
        var p = await (await Client.PostAsync("/fhir/Patient", Patient("Match"))).ReadAs<Patient>();
        var response = await Client.PutAsync($"/fhir/Patient/{p.Id}", p, ifMatch: "gisteren");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_entry_pointing_at_an_unknown_urn_is_400_and_stores_nothing()
    {
        var before = await Client.CountAsync("Goal");
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Goal { LifecycleStatus = Goal.GoalLifecycleStatus.Active, Description = new CodeableConcept { Text = "x" }, Subject = new ResourceReference("urn:uuid:0d6e0a8e-0000-4000-8000-00000000dead") },
            Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Goal" },
        });
        var response = await Client.PostAsync("/fhir", bundle);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Client.CountAsync("Goal")).ShouldBe(before);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_non_bundle_posted_to_the_base_is_400()
    {
        var response = await Client.PostAsync("/fhir", Patient("Verkeerd"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await response.Outcome();
    }

    [Fact]
    public async System.Threading.Tasks.Task Unsupported_interactions_answer_an_outcome_not_an_empty_404()
    {
        var response = await Client.GetAsync("/fhir/Patient/1/_history/1/meer", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await response.Outcome();
    }
}

/// <summary>One Api on SQLite shared by a test class whose tests do not depend on each other's data.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    public HttpClient Client { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
