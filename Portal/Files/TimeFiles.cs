using System.Net;
using System.Net.Http.Headers;
using Pgo.Portal.Auth;

namespace Pgo.Portal.Files;

/// <summary>
/// A supporter's own time of one month as CSV: <c>GET /tijd/csv/{yyyy-MM}</c> streams the Api's
/// <c>/api/time/export?month=</c> (UTF-8 with BOM, <c>;</c> for Dutch Excel) with the signed-in person's token, which never
/// reaches the browser. The Api decides (only the caller's own entries) and names the file.
/// </summary>
public static class TimeFiles
{
    public static WebApplication MapTimeFiles(this WebApplication app)
    {
        app.MapGet("/tijd/csv/{month:regex(^\\d{{4}}-\\d{{2}}$)}", ExportAsync);
        return app;
    }

    private static async Task ExportAsync(HttpContext http, IHttpClientFactory factory, SessionTokens tokens, string month)
    {
        var response = http.Response;
        var token = SessionTokens.SessionOf(http.User) is { } session ? await tokens.AccessTokenAsync(session, http.RequestAborted) : null;
        if (token is null)
        {
            await PlainAsync(response, HttpStatusCode.Unauthorized, "U bent afgemeld. Meld u opnieuw aan om uw tijd te downloaden.");
            return;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/time/export?month={Uri.EscapeDataString(month)}");
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
            var fileName = answer.Content.Headers.ContentDisposition?.FileNameStar ?? answer.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? $"tijd-{month}.csv";
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
