using System.Net.Http.Json;
using System.Text.Json;

namespace Pgo.Api.Tests.Dossier;

/// <summary>Calls of the dossier API, as the Portal makes them.</summary>
internal static class DossierClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> NewDossierAsync(this HttpClient client, string given, string family, string relationship = "ouder",
        string? birthDate = "2016-05-01", string? legalBasis = null) =>
        client.PostAsJsonAsync("/api/dossiers", new { given, family, birthDate, relationship, legalBasis }, Json);

    public static async Task<string> CreatedPatientIdAsync(this HttpResponseMessage response)
    {
        (await response.Content.ReadAsStringAsync()).ShouldNotBeNull();
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("patientId").GetString()!;
    }

    public static bool IsNull(this JsonElement e, string property) => e.GetProperty(property).ValueKind == JsonValueKind.Null;

    public static IEnumerable<string> Ids(this JsonElement array) => array.EnumerateArray().Select(x => x.GetProperty("id").GetString()!);
}
