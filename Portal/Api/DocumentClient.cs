using System.Net.Http.Headers;
using Pgo.Shared.Codes;
using FM = Hl7.Fhir.Model;

namespace Pgo.Portal.Api;

/// <summary>Documents (/api/dossiers/{id}/documents and DocumentReference under /fhir): the list, uploads, and a file's
/// bytes after the Api's access decision.</summary>
public sealed class DocumentClient(PgoApi api)
{
    /// <summary>Documents of every section the person may see (the agency's "what was shared with us").</summary>
    public Task<List<FM.DocumentReference>> DocumentsAsync(string? patientId, CancellationToken cancel = default) =>
        api.SearchAsync<FM.DocumentReference>(patientId is null ? "DocumentReference?_count=100" : $"DocumentReference?patient=Patient/{PgoApi.Esc(patientId)}&_count=100", cancel);

    /// <summary>One resource by its reference (DocumentReference/123), as the person may see it (404 otherwise).</summary>
    public Task<FM.Resource> ReadAsync(string reference, CancellationToken cancel = default) => api.ReadAsync(reference, cancel);

    /// <summary>Uploads a file as it is read from <paramref name="content"/> (the browser's bytes, streamed on to the Api, never
    /// held whole in memory); <paramref name="sent"/> hears how many bytes went out. The Api checks access, type and size and
    /// stores nothing of a refused upload.</summary>
    /// <param name="section">The section the document is filed under (who can see it); the Api's default documenten when null.</param>
    /// <returns>The new document's id (a court decision is chosen by it right after its upload, on the regie screen).</returns>
    public async Task<string?> UploadDocumentAsync(string patientId, Stream content, long length, string contentType, string fileName, string? title,
        Action<long> sent, string? section = null, CancellationToken cancel = default)
    {
        var query = $"fileName={PgoApi.Esc(fileName)}" + (string.IsNullOrWhiteSpace(title) ? "" : $"&title={PgoApi.Esc(title.Trim())}")
            + (section is null ? "" : $"&section={PgoApi.Esc(section)}");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/dossiers/{PgoApi.Esc(patientId)}/documents?{query}")
        {
            Content = new StreamContent(new Files.ProgressStream(content, sent), 64 * 1024),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentLength = length;
        var body = await api.SendAsync(request, cancel, Files.DocumentFiles.Client);
        return string.IsNullOrEmpty(body) ? null : PgoApi.Parse<UploadedDocument>(body).Id;
    }

    private sealed record UploadedDocument(string? Id);

    /// <summary>Files a document under another section (PUT .../documents/{id}/section): the Api needs write in both the old
    /// and the new one, since a move changes who can see it.</summary>
    public async Task MoveDocumentAsync(string patientId, string documentId, string section, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/dossiers/{PgoApi.Esc(patientId)}/documents/{PgoApi.Esc(documentId)}/section")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { section }),
        };
        await api.SendAsync(request, cancel);
    }

    /// <summary>The file of a document (bytes in blob storage), after the Api's access decision; the download is audited there.</summary>
    public async Task<DocumentFile> DocumentFileAsync(string patientId, string documentId, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/dossiers/{PgoApi.Esc(patientId)}/documents/{PgoApi.Esc(documentId)}/content");
        return await api.SendAsync(request, async response =>
        {
            var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "document";
            return new DocumentFile(name, response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream", await response.Content.ReadAsByteArrayAsync(cancel));
        }, cancel);
    }

    /// <summary>Whether a document's bytes are in the Api's file store (a DocumentReference made by an upload).</summary>
    public static bool HasFile(FM.DocumentReference d) => d.Content.FirstOrDefault()?.Attachment?.Url?.StartsWith("urn:pgo:blob:", StringComparison.Ordinal) == true;

    /// <summary>The section of a document as its category says (the Api's classifier stored it there); documenten when none.</summary>
    public static string SectionOf(FM.DocumentReference d) =>
        d.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == DossierSections.System)?.Code ?? DossierSections.Documenten;
}
