using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Pgo.Portal.Auth;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Api;

/// <summary>
/// The wire to Pgo.Api and Identity's invitation API, with the signed-in person's access token: token, language,
/// 401 handling, error translation, JSON and FHIR (de)serialization. It knows no feature: the clients per area
/// (<see cref="DossierClient"/>, <see cref="AccessClient"/>, <see cref="InvitationClient"/>, <see cref="TeamClient"/>,
/// <see cref="TimeClient"/>, <see cref="DocumentClient"/>) know the URLs and shapes, and pages inject the one they need.
/// One instance per circuit (scoped); its named HttpClient is registered in Hosting/PortalHost.cs.
/// </summary>
public sealed class PgoApi(IHttpClientFactory factory, AuthenticationStateProvider auth, SessionTokens tokens, IOptions<PortalOptions> options)
{
    private static readonly FhirJsonDeserializer Reader = FhirJsonDeserializer.OSTRICH;
    private static readonly FhirJsonSerializer Writer = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Identity's base URL (invitations live there, not in the Api).</summary>
    public string IdentityUrl => options.Value.Authority.TrimEnd('/');

    public async Task<ClaimsPrincipal> UserAsync() => (await auth.GetAuthenticationStateAsync()).User;

    /// <summary>The person's access token, for the live connection to the dossier hub (refreshed when needed).</summary>
    public async Task<string?> AccessTokenAsync()
    {
        var state = await auth.GetAuthenticationStateAsync();
        return SessionTokens.SessionOf(state.User) is { } session ? await tokens.AccessTokenAsync(session, CancellationToken.None) : null;
    }

    // ---------------------------------------------------------------- JSON under /api

    public async Task<T> GetJsonAsync<T>(string url, CancellationToken cancel) => Parse<T>(await GetAsync(url, cancel));

    public async Task<T> SendJsonAsync<T>(HttpMethod method, string url, object body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body, options: Json) };
        return Parse<T>(await SendAsync(request, cancel));
    }

    public async Task DeleteAsync(string url, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, url);
        await SendAsync(request, cancel);
    }

    public static T Parse<T>(string body) => JsonSerializer.Deserialize<T>(body, Json) ?? throw new ApiException(HttpStatusCode.BadGateway, "Er ging iets mis", "Een leeg antwoord van de dienst.");

    // ---------------------------------------------------------------- FHIR under /fhir

    public async Task<List<T>> SearchAsync<T>(string query, CancellationToken cancel) where T : FM.Resource
    {
        var bundle = (FM.Bundle)Reader.DeserializeResource(await GetAsync($"fhir/{query}", cancel));
        return bundle.Entry.Where(e => e.Search?.Mode is null or FM.Bundle.SearchEntryMode.Match).Select(e => e.Resource).OfType<T>().ToList();
    }

    /// <summary>One resource by its reference (DocumentReference/123), as the person may see it (404 otherwise).</summary>
    public async Task<FM.Resource> ReadAsync(string reference, CancellationToken cancel = default) =>
        Reader.DeserializeResource(await GetAsync($"fhir/{reference}", cancel));

    /// <summary>Creates (no id) or updates (with the version it was read at: a stale one is refused with 412, never overwritten).</summary>
    public async Task<T> SaveAsync<T>(T resource, CancellationToken cancel = default) where T : FM.Resource
    {
        using var request = new HttpRequestMessage(resource.Id is null ? HttpMethod.Post : HttpMethod.Put,
            resource.Id is null ? $"fhir/{resource.TypeName}" : $"fhir/{resource.TypeName}/{resource.Id}")
        {
            Content = new StringContent(Writer.SerializeToString(resource), Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Add("Prefer", "return=representation");
        if (resource.Id is not null && resource.Meta?.VersionId is { } version) request.Headers.TryAddWithoutValidation("If-Match", $"W/\"{version}\"");
        var body = await SendAsync(request, cancel);
        return (T)Reader.DeserializeResource(body);
    }

    /// <summary>Sends a transaction Bundle to /fhir: every entry is stored, or none (a refusal of one entry refuses all).</summary>
    public async Task<FM.Bundle> TransactionAsync(FM.Bundle bundle, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "fhir")
        {
            Content = new StringContent(Writer.SerializeToString(bundle), Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Add("Prefer", "return=representation");
        return (FM.Bundle)Reader.DeserializeResource(await SendAsync(request, cancel));
    }

    /// <summary>A deep copy through the wire format: the shown resource stays as it was if a save of the copy fails.</summary>
    public static T Copy<T>(T resource) where T : FM.Resource => (T)Reader.DeserializeResource(Writer.SerializeToString(resource));

    // ---------------------------------------------------------------- HTTP

    public async Task<string> GetAsync(string url, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, cancel);
    }

    /// <summary>Sends with the person's token; an error answer becomes an <see cref="ApiException"/> (Dutch, ready to show),
    /// a 401 ends the session (<see cref="SignInRequiredException"/>).</summary>
    public Task<string> SendAsync(HttpRequestMessage request, CancellationToken cancel, string client = nameof(PgoApi)) =>
        SendAsync(request, response => response.Content.ReadAsStringAsync(cancel), cancel, client);

    /// <summary>As <see cref="SendAsync(HttpRequestMessage, CancellationToken, string)"/>, reading a successful answer with <paramref name="read"/> (headers, bytes).</summary>
    public async Task<T> SendAsync<T>(HttpRequestMessage request, Func<HttpResponseMessage, Task<T>> read, CancellationToken cancel, string client = nameof(PgoApi))
    {
        var state = await auth.GetAuthenticationStateAsync();
        var session = SessionTokens.SessionOf(state.User) ?? throw new SignInRequiredException();
        var token = await tokens.AccessTokenAsync(session, cancel) ?? throw new SignInRequiredException();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName));
        HttpResponseMessage response;
        try
        {
            response = await factory.CreateClient(client).SendAsync(request, cancel);
        }
        catch (HttpRequestException) { throw ApiException.Unreachable(); }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized) { tokens.End(session); throw new SignInRequiredException(); }
            if (!response.IsSuccessStatusCode) throw ApiException.From(response.StatusCode, await response.Content.ReadAsStringAsync(cancel));
            return await read(response);
        }
    }

    public static string Esc(string value) => Uri.EscapeDataString(value);
}
