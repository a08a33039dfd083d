using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pgo.Api.Errors;
using Pgo.Api.Tests.TeamSpace;
using Pgo.Fhir;

namespace Pgo.Api.Tests.Errors;

/// <summary>The one error path of /api (Api/Errors/README.md): what the filter answers for each kind of refusal.</summary>
public sealed class ApiErrorsTests
{
    [Fact]
    public async Task An_unexpected_exception_becomes_a_500_ProblemDetails_without_internals()
    {
        var problem = await RunAsync(() => throw new InvalidOperationException("connection string Host=secret;Password=hunter2"));
        problem.StatusCode.ShouldBe(500);
        problem.ProblemDetails.Detail.ShouldBe(ApiText.Unexpected);
        problem.ProblemDetails.Title.ShouldBe(ApiErrors.Title(500));
        problem.ProblemDetails.Detail!.ShouldNotContain("hunter2");
        problem.ProblemDetails.Extensions.Keys.ShouldNotContain("exception");
    }

    [Fact]
    public async Task A_thrown_ApiProblem_answers_its_status_and_detail_with_the_title_of_the_table()
    {
        var problem = await RunAsync(() => throw ApiProblem.BadRequest("Kies een datum."));
        problem.StatusCode.ShouldBe(400);
        problem.ProblemDetails.Detail.ShouldBe("Kies een datum.");
        problem.ProblemDetails.Title.ShouldBe(ApiErrors.Title(400));
    }

    [Fact]
    public async Task A_refusal_of_the_FHIR_engine_passes_through_and_deleted_reads_as_not_found()
    {
        var refused = await RunAsync(() => throw new FhirException(HttpStatusCode.Forbidden, Hl7.Fhir.Model.OperationOutcome.IssueType.Forbidden, "Niet uw dossier."));
        refused.StatusCode.ShouldBe(403);
        refused.ProblemDetails.Detail.ShouldBe("Niet uw dossier.");
        var gone = await RunAsync(() => throw new FhirException(HttpStatusCode.Gone, Hl7.Fhir.Model.OperationOutcome.IssueType.Deleted, "Verwijderd."));
        gone.StatusCode.ShouldBe(404);
    }

    [Fact]
    public void Titles_and_texts_are_Dutch_first_and_English_on_request()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("nl");
            ApiErrors.Title(404).ShouldBe("Niet gevonden");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            ApiErrors.Title(404).ShouldBe("Not found");
            ApiProblem.DossierNotFound("p1").Detail.ShouldBe("This dossier does not exist or is not shared with you (any more). Go back to the overview; if you need it, ask the regiehouder.");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void Every_Dutch_text_has_an_English_one_and_the_same_placeholders()
    {
        static Dictionary<string, string> Read(string file) => XDocument.Load(RepoFiles.Path("Api", "Errors", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
        var nl = Read("ApiText.resx");
        var en = Read("ApiText.en.resx");
        en.Keys.Order().ShouldBe(nl.Keys.Order());
        foreach (var (key, text) in nl)
            Placeholders(en[key]).ShouldBe(Placeholders(text), key);
    }

    private static string[] Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"(?<!\{)\{\d+\}").Select(m => m.Value).Order().ToArray();

    private static async Task<ProblemHttpResult> RunAsync(Func<object?> handler)
    {
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance).BuildServiceProvider(),
        };
        var result = await ApiErrors.HandleErrors(EndpointFilterInvocationContext.Create(http), _ => ValueTask.FromResult(handler()));
        return result.ShouldBeOfType<ProblemHttpResult>();
    }
}
