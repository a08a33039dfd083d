using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Tests.Fhir;

/// <summary>Small helpers so the REST tests read as requests and expectations.</summary>
internal static class FhirClientHelpers
{
    public const string FhirJsonMediaType = "application/fhir+json";

    public static StringContent Body(Resource resource) => Body(Pgo.Fhir.Serialization.FhirJson.Serialize(resource));

    public static StringContent Body(string json, string mediaType = FhirJsonMediaType) =>
        new(json, Encoding.UTF8, mediaType);

    public static async Task<T> ReadAs<T>(this HttpResponseMessage response) where T : Resource
    {
        var text = await response.Content.ReadAsStringAsync();
        return Pgo.Fhir.Serialization.FhirJson.Parse<T>(text);
    }

    public static async Task<OperationOutcome> Outcome(this HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.ShouldBe(FhirJsonMediaType);
        return await response.ReadAs<OperationOutcome>();
    }

    public static Task<HttpResponseMessage> PutAsync(this HttpClient client, string url, Resource resource, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = Body(resource) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string url, Resource resource, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Body(resource) };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return client.SendAsync(request);
    }

    public static async Task<long> CountAsync(this HttpClient client, string type, string query = "")
    {
        var bundle = await (await client.GetAsync($"/fhir/{type}?_summary=count{(query.Length > 0 ? "&" + query : "")}")).ReadAs<Bundle>();
        return bundle.Total ?? -1;
    }

    public static Patient Patient(string family, string given = "Anna", string? id = null) => new()
    {
        Id = id,
        Name = [new HumanName { Family = family, Given = [given] }],
        Gender = AdministrativeGender.Female,
        BirthDate = "2015-03-08",
    };

    public static MediaTypeHeaderValue Json => new(FhirJsonMediaType);
}
