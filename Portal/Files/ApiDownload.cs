using System.Net;
using System.Net.Http.Headers;
using Pgo.Portal.Auth;

namespace Pgo.Portal.Files;

/// <summary>
/// A download the Api makes (a CSV export) streamed through the Portal with the signed-in person's token, which never
/// reaches the browser. The Api decides who may have it and names the file; the Portal answers a refusal or an outage in
/// plain Dutch text, and sends the file as an attachment that the browser does not sniff, cache or run.
/// </summary>
public static class ApiDownload
{
    /// <param name="apiPath">The Api's path, relative to its base address (escaped by the caller).</param>
    /// <param name="signedOut">What a person who is signed out reads (Dutch).</param>
    /// <param name="fallbackName">The file name when the Api names none.</param>
    public static async Task StreamAsync(HttpContext http, IHttpClientFactory factory, SessionTokens tokens, string apiPath, string signedOut, string fallbackName)
    {
        var response = http.Response;
        var token = SessionTokens.SessionOf(http.User) is { } session ? await tokens.AccessTokenAsync(session, http.RequestAborted) : null;
        if (token is null)
        {
            await PlainAsync(response, HttpStatusCode.Unauthorized, signedOut);
            return;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, apiPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage answer;
        try
        {
            answer = await factory.CreateClient(DocumentFiles.Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        }
        catch (HttpRequestException)
        {
            await PlainAsync(response, HttpStatusCode.ServiceUnavailable, "De dienst is nu niet bereikbaar. Probeer het zo nog eens.");
            return;
        }
        using (answer)
        {
            if (!answer.IsSuccessStatusCode)
            {
                var why = Api.ApiException.From(answer.StatusCode, await answer.Content.ReadAsStringAsync(http.RequestAborted));
                await PlainAsync(response, answer.StatusCode, $"{why.Title}. {why.Detail}");
                return;
            }
            var fileName = answer.Content.Headers.ContentDisposition?.FileNameStar ?? answer.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? fallbackName;
            response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "text/csv; charset=utf-8";
            if (answer.Content.Headers.ContentLength is { } length) response.ContentLength = length;
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName }.ToString();
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.CacheControl = "private, no-store";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            await using var body = await answer.Content.ReadAsStreamAsync(http.RequestAborted);
            await body.CopyToAsync(response.Body, http.RequestAborted);
        }
    }

    private static Task PlainAsync(HttpResponse response, HttpStatusCode status, string text)
    {
        response.StatusCode = (int)status;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(text);
    }
}
