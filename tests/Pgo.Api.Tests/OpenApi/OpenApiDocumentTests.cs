using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Pgo.Api.Tests.OpenApi;

/// <summary>The OpenAPI document of /api (Api/OpenApi/ApiReference.cs): complete, without /fhir and the hubs, and only in Development.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Every_mapped_api_route_is_in_the_OpenAPI_document_and_nothing_outside_api_is()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject()
            .ToDictionary(p => Normalize(p.Name), p => p.Value.EnumerateObject().Select(m => m.Name.ToUpperInvariant()).ToHashSet(), StringComparer.Ordinal);

        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .Select(e => (Path: PathOf(e.RoutePattern), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods))
            .Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal))
            .ToList();
        routes.Count.ShouldBeGreaterThan(60);
        var missing = routes.SelectMany(r => r.Methods.Select(m => $"{m} {r.Path}"))
            .Where(route => !(paths.TryGetValue(route[(route.IndexOf(' ') + 1)..], out var methods) && methods.Contains(route[..route.IndexOf(' ')])))
            .ToList();
        missing.ShouldBeEmpty();
        paths.Keys.ShouldAllBe(p => p.StartsWith("/api/"));
    }

    [Fact]
    public async Task The_OpenAPI_document_and_reference_page_are_not_served_in_Production()
    {
        await using var api = new ApiFactory(environment: "Production");
        var client = api.CreateClient();
        (await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/scalar", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_reference_page_is_served_in_Development()
    {
        await using var api = new ApiFactory();
        var page = await api.CreateClient().GetAsync("/scalar", TestContext.Current.CancellationToken);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>The route as OpenAPI writes it: parameters by name only, without constraints or a trailing slash.</summary>
    private static string PathOf(RoutePattern pattern) =>
        Normalize("/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternParameterPart q => "{" + q.Name + "}",
            RoutePatternSeparatorPart sep => sep.Content,
            _ => "",
        })))));

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
