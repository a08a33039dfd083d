using System.Net.Http.Json;
using System.Text.Json;

namespace Pgo.Api.Tests.Access;

/// <summary>Calls of the task-shaped access API, as the Portal makes them.</summary>
internal static class AccessApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<HttpResponseMessage> GrantAsync(this HttpClient client, string patient, object grant) =>
        client.PostAsJsonAsync($"/api/dossiers/{patient}/access/grants", grant, Json);

    public static async Task<string> GrantIdAsync(this HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<string> ProblemTitleAsync(this HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("title").GetString()!;
    }
}
