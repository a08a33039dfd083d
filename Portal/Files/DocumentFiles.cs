using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Pgo.Portal.Auth;

namespace Pgo.Portal.Files;

/// <summary>
/// Dossier files through the Portal: <c>GET /bestanden/{patientId}/{documentId}</c> streams the Api's
/// <c>/api/dossiers/{id}/documents/{docId}/content</c>, <c>/overdracht/{patientId}</c> its handover page and
/// <c>/export/{patientId}</c> its export of the whole dossier (and <c>/teambestanden/{teamId}/{attachmentId}</c> a team-space attachment), with the signed-in person's token, so that an &lt;img&gt;, an
/// &lt;iframe&gt; or a download link in the page can show the file while the token stays on the server. The Api decides
/// access (and audits the download); this endpoint only passes bytes and the Api's status on.
/// Uploads go through <see cref="Api.DocumentClient.UploadDocumentAsync"/> on a client without the 30-second limit.
/// </summary>
public static class DocumentFiles
{
    /// <summary>The HTTP client for file bytes: no overall timeout (a large upload from a phone takes minutes); the request is
    /// cancelled with the page instead.</summary>
    public const string Client = "PgoApiFiles";

    public static WebApplicationBuilder AddPortalFiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(Client, (sp, http) =>
        {
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<PortalOptions>>().Value.ApiUrl.TrimEnd('/') + "/");
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        return builder;
    }

    public static WebApplication MapPortalFiles(this WebApplication app)
    {
        app.MapGet("/bestanden/{patientId}/{documentId}", (HttpContext http, IHttpClientFactory factory, SessionTokens tokens, string patientId, string documentId, bool? download) =>
            ForwardAsync(http, factory, tokens, $"api/dossiers/{Uri.EscapeDataString(patientId)}/documents/{Uri.EscapeDataString(documentId)}/content", download == true, "document",
                "Meld u opnieuw aan om dit bestand te zien.", page: false));
        // The warm handover: the Api's printable page (what this person may see), shown in a tab of its own or downloaded.
        app.MapGet("/overdracht/{patientId}", (HttpContext http, IHttpClientFactory factory, SessionTokens tokens, string patientId, bool? download) =>
            ForwardAsync(http, factory, tokens, $"api/dossiers/{Uri.EscapeDataString(patientId)}/handover", download == true, $"overdracht-{patientId}.html",
                "Meld u opnieuw aan om de overdracht te zien.", page: true));
        // The export of the whole dossier (a zip): the Api allows it to the regiehouder only and says so otherwise.
        app.MapGet("/export/{patientId}", (HttpContext http, IHttpClientFactory factory, SessionTokens tokens, string patientId) =>
            ForwardAsync(http, factory, tokens, $"api/dossiers/{Uri.EscapeDataString(patientId)}/export", true, $"dossier-{patientId}.zip",
                "Meld u opnieuw aan om het dossier te downloaden.", page: false));
        // An attachment of a team-space post (issue 19): the Api decides who may read its channel.
        app.MapGet("/teambestanden/{teamId:long}/{attachmentId:long}", (HttpContext http, IHttpClientFactory factory, SessionTokens tokens, long teamId, long attachmentId, bool? download) =>
            ForwardAsync(http, factory, tokens, $"api/team/teams/{teamId}/attachments/{attachmentId}", download == true, "bijlage",
                "Meld u opnieuw aan om deze bijlage te zien.", page: false));
        return app;
    }

    /// <summary>GET <paramref name="apiPath"/> with the person's token and pass the bytes on; a refusal becomes a Dutch line of text.
/// <paramref name="page"/>: the Api's own HTML page (the handover), shown inline and framed by the Portal's handover screen.</summary>
    private static async Task ForwardAsync(HttpContext http, IHttpClientFactory factory, SessionTokens tokens, string apiPath, bool download, string defaultName, string signInAgain, bool page)
    {
        var response = http.Response;
        var token = SessionTokens.SessionOf(http.User) is { } session ? await tokens.AccessTokenAsync(session, http.RequestAborted) : null;
        if (token is null)
        {
            await PlainAsync(response, HttpStatusCode.Unauthorized, "U bent afgemeld. " + signInAgain);
            return;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, apiPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage answer;
        try
        {
            answer = await factory.CreateClient(Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
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
            var type = answer.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
            var fileName = answer.Content.Headers.ContentDisposition?.FileNameStar ?? answer.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? defaultName;
            response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? type;
            if (answer.Content.Headers.ContentLength is { } length) response.ContentLength = length;
            // Inline only for what the page previews (images, PDF) and the handover page; everything else is always a download.
            var html = page && type == "text/html";
            var inline = !download && (html || type.StartsWith("image/", StringComparison.Ordinal) || type == "application/pdf");
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment") { FileNameStar = fileName }.ToString();
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.CacheControl = "private, no-store";
            // A PDF needs the browser's own viewer (which a sandbox blocks); nothing else may run or load anything. The
            // handover runs no script either, but is not sandboxed: the Portal's handover screen frames it and prints it.
            if (html) response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'self'";
            else if (type != "application/pdf") response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
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

/// <summary>Reports how many bytes were read from the inner stream: the bytes that went on to the Api.</summary>
public sealed class ProgressStream(Stream inner, Action<long> progress) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        progress(_read);
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
