using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using static Pgo.Api.Tests.Fhir.FhirClientHelpers;

namespace Pgo.Api.Tests.Fhir.Fuzz;

/// <summary>
/// One test per class of fault the fuzz run (<see cref="FuzzTests"/>) found: each was a 500 and is now a 4xx OperationOutcome
/// with nothing stored, on SQLite and on PostgreSQL.
/// </summary>
public class HostileInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static IEnumerable<TheoryDataRow<string, string>> CrashingBodies() =>
        from provider in new[] { "sqlite", "postgres" }
        from body in new[]
        {
            // a key of a single underscore: the SDK's deserializer indexed past its end (IndexOutOfRangeException)
            """{"resourceType":"Patient","_":"x"}""",
            // contained as an object instead of a list: the SDK's own validation threw CodedValidationException
            """{"resourceType":"CodeSystem","status":"draft","content":"complete","contained":{"resourceType":"Patient","id":"p"}}""",
        }
        select new TheoryDataRow<string, string>(provider, body);

    [Theory, MemberData(nameof(CrashingBodies))]
    public async System.Threading.Tasks.Task A_body_that_crashes_the_sdk_parser_is_400_and_stores_nothing(string provider, string body)
    {
        await using var api = Api(provider);
        var client = api.CreateClient();
        var type = body.Contains("CodeSystem", StringComparison.Ordinal) ? "CodeSystem" : "Patient";

        var response = await client.PostAsync($"/fhir/{type}", Body(body), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Outcome()).Issue[0].Severity.ShouldBe(OperationOutcome.IssueSeverity.Error);
        (await client.CountAsync(type)).ShouldBe(0);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_control_character_in_a_resource_text_is_refused_and_stores_nothing(string provider)
    {
        await using var api = Api(provider);
        var client = api.CreateClient();

        foreach (var family in new[] { "a\\u0000b", "a\\u0001b", "a\\u001fb" })
        {
            var response = await client.PostAsync("/fhir/Patient", Body($$"""{"resourceType":"Patient","name":[{"family":"{{family}}"}]}"""), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, family);
            await response.Outcome();
        }
        (await client.CountAsync("Patient")).ShouldBe(0);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_control_character_in_a_search_is_400_wherever_the_search_comes_from(string provider)
    {
        await using var api = Api(provider);
        var client = api.CreateClient();

        // PostgreSQL refused the NUL as a query parameter (22021), which surfaced as a 500.
        var get = await client.GetAsync("/fhir/Patient?name=a%00b", Ct);
        get.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await get.Outcome()).Issue[0].Diagnostics.ShouldContain("stuurteken");

        var post = await client.PostAsync("/fhir/Patient/_search", new FormUrlEncodedContent([new("family\u0001", "x")]), Ct);
        post.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var conditional = await client.PostAsync("/fhir/Patient", Patient("Nul"), ("If-None-Exist", "name=a%00b"));
        conditional.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await conditional.Outcome();

        var conditionalUpdate = await client.PutAsync("/fhir/Patient?name=%00", Body(Patient("Nul")), Ct);
        conditionalUpdate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
        transaction.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:7c0e8f4e-0000-4000-8000-000000000001",
            Resource = Patient("Nul"),
            Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient", IfNoneExist = "name=a%00b" },
        });
        var bundle = await client.PostAsync("/fhir", transaction);
        bundle.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await client.CountAsync("Patient")).ShouldBe(0);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_search_body_must_be_a_url_encoded_form_within_the_form_limits(string provider)
    {
        await using var api = Api(provider);
        var client = api.CreateClient();
        (await client.PostAsync("/fhir/Patient", Patient("Formulier"))).StatusCode.ShouldBe(HttpStatusCode.Created);

        // multipart (with or without a boundary) was read as a form and threw InvalidDataException / IOException
        foreach (var contentType in new[] { "multipart/form-data", "multipart/form-data; boundary=y" })
        {
            var multipart = await client.PostAsync("/fhir/Patient/_search", Raw("--x\r\nContent-Disposition: form-data; name=\"family\"\r\n\r\nFormulier\r\n--x--", contentType), Ct);
            multipart.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType, contentType);
            await multipart.Outcome();
        }

        // the form reader's limits (1024 fields, 2 kB keys) threw InvalidDataException
        var tooMany = await client.PostAsync("/fhir/Patient/_search", Raw(string.Join("&", Enumerable.Range(0, 2000).Select(i => $"p{i}=v")), "application/x-www-form-urlencoded"), Ct);
        tooMany.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooMany.Outcome()).Issue[0].Diagnostics.ShouldContain("zoekparameters");
        var longKey = await client.PostAsync("/fhir/Patient/_search", Raw(new string('k', 3000) + "=v", "application/x-www-form-urlencoded"), Ct);
        longKey.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await longKey.Outcome();

        // an ordinary form still searches, and an empty body is a search without parameters
        var form = await client.PostAsync("/fhir/Patient/_search", new FormUrlEncodedContent([new("family", "Formulier")]), Ct);
        (await form.ReadAs<Bundle>()).Total.ShouldBe(1);
        var empty = await client.PostAsync("/fhir/Patient/_search", null, Ct);
        (await empty.ReadAs<Bundle>()).Total.ShouldBe(1);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task An_outcome_quoting_a_control_character_is_still_valid_fhir(string provider)
    {
        await using var api = Api(provider);
        var client = api.CreateClient();

        // The diagnostic quotes the id or the value; with the control character in it the outcome was not valid FHIR.
        foreach (var url in new[] { "/fhir/Patient/%01", "/fhir/_history?_count=%00" })
        {
            var response = await client.GetAsync(url, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, url);
            (await response.Outcome()).Issue[0].Diagnostics.ShouldContain("'?'", customMessage: url);
        }
    }

    private static ByteArrayContent Raw(string text, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static ApiFactory Api(string provider)
    {
        if (provider == "postgres" && ApiFactory.PostgresConnectionString is null)
        {
            if (Environment.GetEnvironmentVariable("PGO_REQUIRE_POSTGRES") == "1") throw new InvalidOperationException("PGO_TEST_POSTGRES is not set.");
            Assert.Skip("PGO_TEST_POSTGRES not set (./pgo test starts PostgreSQL).");
        }
        return new ApiFactory(provider);
    }
}
