using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Files;

public sealed record DocumentView(string Id, string Title, string? Category, string Section, string ContentType, long Size, string? Sha256,
    string FileName, DateTimeOffset? Date, string ContentUrl);

/// <summary>
/// Dossier documents: bytes in blob storage, metadata as a DocumentReference in the client's dossier written through
/// <see cref="FhirRepository"/> with the caller's access. Order of an upload: access decided → type checked on the first
/// bytes → bytes streamed into a pending blob (size limit, hashes) → DocumentReference written → blob marked committed.
/// Any refusal before the DocumentReference is stored removes the blob; a crash in between is repaired by <see cref="OrphanCleanup"/>.
/// Refusals are thrown as <see cref="ApiProblem"/> (or the FHIR engine's <see cref="FhirException"/>) and answered by Api/Errors.
/// </summary>
public sealed class DocumentService(FhirRepository repo, FileStorage storage, FilesOptions options, TimeProvider clock)
{
    private readonly DocumentBlobs? blobs = storage.Blobs;

    public sealed record Metadata(string? Title, string? Category, string? Section, string? FileName);

    public async Task<Created<DocumentView>> UploadAsync(HttpContext http, string patientId)
    {
        if (blobs is null) throw Unavailable();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature) sizeFeature.MaxRequestBodySize = null; // our own limit below
        if (http.Request.ContentLength > options.MaxUploadBytes + 64 * 1024) throw TooLarge();
        var ctx = FhirHttp.Context(http);
        var ct = http.RequestAborted;
        var query = http.Request.Query;
        var meta = new Metadata(query["title"], query["category"], query["section"], query["fileName"]);

        var mediaType = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var parsed) ? parsed : null;
        var multipart = mediaType?.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        if (!multipart)
        {
            var disposition = ContentDispositionHeaderValue.TryParse(http.Request.Headers.ContentDisposition.ToString(), out var cd) ? cd : null;
            meta = meta with { FileName = meta.FileName ?? disposition?.FileNameStar.Value ?? disposition?.FileName.Value?.Trim('"') };
            return await StoreAsync(http, ctx, patientId, meta, http.Request.ContentType, http.Request.Body, () => System.Threading.Tasks.Task.FromResult(meta));
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType!.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw ApiProblem.BadRequest(ApiText.UploadNoBoundary);
        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            if (disposition.FileName.HasValue || disposition.FileNameStar.HasValue)
            {
                var fileName = disposition.FileNameStar.Value ?? disposition.FileName.Value?.Trim('"');
                var soFar = Merge(meta, fields, fileName);
                // Fields after the file are read once the bytes are stored (the upload never waits for the whole body in memory).
                async Task<Metadata> Rest()
                {
                    MultipartSection? next;
                    while ((next = await reader.ReadNextSectionAsync(ct)) is not null)
                        if (ContentDispositionHeaderValue.TryParse(next.ContentDisposition, out var d) && !d.FileName.HasValue && !d.FileNameStar.HasValue)
                            fields[d.Name.Value?.Trim('"') ?? ""] = await ReadFieldAsync(next, ct);
                    return Merge(meta, fields, fileName);
                }
                return await StoreAsync(http, ctx, patientId, soFar, section.ContentType, section.Body, Rest);
            }
            fields[disposition.Name.Value?.Trim('"') ?? ""] = await ReadFieldAsync(section, ct);
        }
        throw ApiProblem.BadRequest(ApiText.UploadNoFile);
    }

    private static Metadata Merge(Metadata query, Dictionary<string, string> fields, string? fileName) => new(
        fields.GetValueOrDefault("title") ?? query.Title, fields.GetValueOrDefault("category") ?? query.Category,
        fields.GetValueOrDefault("section") ?? query.Section, fields.GetValueOrDefault("fileName") ?? query.FileName ?? fileName);

    private static async Task<string> ReadFieldAsync(MultipartSection section, CancellationToken ct)
    {
        var buffer = await UploadStream.ReadHeadAsync(section.Body, 4097, ct);
        if (buffer.Length > 4096) throw ApiProblem.BadRequest(ApiText.FormFieldTooLong);
        return System.Text.Encoding.UTF8.GetString(buffer);
    }

    private async Task<Created<DocumentView>> StoreAsync(HttpContext http, FhirContext ctx, string patientId, Metadata meta, string? declaredType, Stream body, Func<Task<Metadata>> complete)
    {
        var ct = http.RequestAborted;
        Validate(meta);
        var section = meta.Section ?? PgoCodes.Section.Documenten;
        var documentId = Guid.NewGuid().ToString("D");

        // 1. The access decision, before a single byte is read: write access to the section in this dossier.
        var scope = await repo.Access.CompileAsync(ctx.Caller, ct);
        var draft = Draft(patientId, documentId, meta, section, FileTypes.Pdf, 0, "", [], null);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.UploadDocument, section))
        {
            var status = DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            await repo.RecordAsync(ctx, "upload", (int)status, "DocumentReference", documentId, incoming: draft, scope: scope, ct: ct);
            throw status == HttpStatusCode.NotFound
                ? ApiProblem.DossierNotFound(patientId)
                : ApiProblem.Forbidden(ApiProblem.Text(ApiText.UploadSectionRefused, PgoCodes.Section.Display[section]));
        }

        // 2. The type: what the first bytes are must be allowed and be what the client said it is.
        var declared = FileTypes.Declared(declaredType);
        if (declared is null)
            throw UnsupportedType(ApiProblem.Text(ApiText.FileTypeDeclaredRefused, FileTypes.AllowedNames));
        byte[] head;
        try { head = await UploadStream.ReadHeadAsync(body, FileTypes.HeaderLength, ct); }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException) { throw Aborted(); }
        if (head.Length == 0) throw ApiProblem.BadRequest(ApiText.FileEmpty);
        var kinds = FileTypes.Sniff(head, complete: head.Length < FileTypes.HeaderLength);
        if (kinds.Count == 0)
            throw UnsupportedType(ApiProblem.Text(ApiText.FileContentRefused, FileTypes.AllowedNames));
        if (!kinds.Contains(declared))
            throw UnsupportedType(ApiProblem.Text(ApiText.FileContentMismatch, declared.Name, kinds[0].Name));

        // 3. The bytes, streamed into a pending blob through the size limit and the hashes.
        var blobName = DocumentBlobs.BlobName(patientId, documentId);
        using var upload = new UploadStream(head, body, options.MaxUploadBytes);
        try
        {
            await blobs!.UploadPendingAsync(blobName, upload, declared.ContentType, ct);
        }
        catch (FileTooLargeException) { throw TooLarge(); }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException) { throw Aborted(); }

        try
        {
            if (declared == FileTypes.Docx || declared == FileTypes.Xlsx)
            {
                await using var zip = await blobs.OpenReadAsync(blobName, ct);
                if (zip is null || FileTypes.CheckOffice(zip, declared) is { } notOffice)
                    throw UnsupportedType(ApiProblem.Text(ApiText.FileNotOffice, declared.Name));
            }
            meta = await complete();
            Validate(meta);

            // 4. The metadata, through the repository with the caller's access (checked again there, and audited).
            var sha256 = upload.Sha256Hex();
            var doc = Draft(patientId, documentId, meta, meta.Section ?? section, declared, upload.Length64, sha256, upload.Sha1(), clock.GetUtcNow());
            var stored = await repo.CreateWithServerIdAsync(ctx, doc, ct); // documentId is the server's new GUID (persons cannot create by PUT)
            // 5. Committed. Should this fail, the cleanup sees the DocumentReference and marks the blob itself.
            try { await blobs.MarkCommittedAsync(blobName, CancellationToken.None); } catch (Azure.RequestFailedException) { }
            var view = View(FhirJson.Parse<DocumentReference>(stored.Stored!.Json), patientId);
            return TypedResults.Created(view.ContentUrl.Replace("/content", "", StringComparison.Ordinal), view);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            await blobs.DeleteAsync(blobName, CancellationToken.None);
            throw Aborted();
        }
        catch (Exception e) when (e is ApiProblem or FhirException)
        {
            // Refused after the bytes were stored (not really that type, bad late metadata, the repository's refusal): the blob goes.
            await blobs.DeleteAsync(blobName, CancellationToken.None);
            throw;
        }
    }

    private static void Validate(Metadata meta)
    {
        if (meta.Title is { Length: > 200 }) throw ApiProblem.BadRequest(ApiText.DocumentTitleTooLong);
        if (meta.Category is { } c && !DocumentCategory.Display.ContainsKey(c))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.ChooseOneOf, string.Join(", ", DocumentCategory.Display.Keys)));
        if (meta.Section is { } s && !PgoCodes.Section.Dossier.Contains(s))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.SectionUnknown, s));
    }

    private static DocumentReference Draft(string patientId, string id, Metadata meta, string section, FileKind kind, long size, string sha256, byte[] sha1, DateTimeOffset? when)
    {
        var fileName = FileTypes.SafeFileName(meta.FileName, kind, "document");
        var attachment = new Attachment
        {
            ContentType = kind.ContentType,
            Url = DocumentBlobs.UrlOf(patientId, id),
            Hash = sha1,
            Title = fileName,
            Creation = when?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        };
        if (sha256.Length > 0) attachment.SetStringExtension(DocumentCategory.Sha256Extension, sha256);
        // Not Attachment.size: the SDK (6.8) writes it as a JSON string, which its own R4 parser then refuses.
        attachment.SetExtension(DocumentCategory.SizeExtension, new FhirDecimal(size));
        var doc = new DocumentReference
        {
            Id = id,
            Status = DocumentReferenceStatus.Current,
            Subject = new ResourceReference($"Patient/{patientId}"),
            Description = string.IsNullOrWhiteSpace(meta.Title) ? Path.GetFileNameWithoutExtension(fileName) : meta.Title.Trim(),
            Date = when,
            Content = [new DocumentReference.ContentComponent { Attachment = attachment }],
        };
        doc.Category.Add(new CodeableConcept(PgoCodes.Section.System, section, PgoCodes.Section.Display[section]));
        var category = meta.Category ?? "overig";
        doc.Category.Add(new CodeableConcept(DocumentCategory.System, category, DocumentCategory.Display[category]));
        return doc;
    }

    public static DocumentView View(DocumentReference doc, string patientId)
    {
        var a = doc.Content.FirstOrDefault()?.Attachment;
        var codes = doc.Category.SelectMany(c => c.Coding).ToList();
        return new DocumentView(doc.Id ?? "", doc.Description ?? a?.Title ?? "", codes.FirstOrDefault(c => c.System == DocumentCategory.System)?.Code,
            codes.FirstOrDefault(c => c.System == PgoCodes.Section.System)?.Code ?? PgoCodes.Section.Documenten,
            a?.ContentType ?? "application/octet-stream", DocumentCategory.SizeOf(a), a?.GetStringExtension(DocumentCategory.Sha256Extension), a?.Title ?? "document",
            doc.Date, $"/api/dossiers/{patientId}/documents/{doc.Id}/content");
    }

    // ---------------------------------------------------------------- list, download, delete

    public async Task<Ok<DocumentView[]>> ListAsync(HttpContext http, string patientId)
    {
        var ctx = FhirHttp.Context(http);
        var scope = await repo.Access.CompileAsync(ctx.Caller, http.RequestAborted);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview)) throw ApiProblem.DossierNotFound(patientId);
        var response = await repo.SearchAsync(ctx, "DocumentReference", [new("subject", $"Patient/{patientId}"), new("_count", "1000"), new("_sort", "-date")], http.RequestAborted);
        var bundle = FhirJson.Parse<Bundle>(response.Json!);
        return TypedResults.Ok(bundle.Entry.Select(e => e.Resource).OfType<DocumentReference>()
            .Where(d => DocumentBlobs.OwnedName(d) is not null)
            .Select(d => View(d, patientId)).ToArray());
    }

    /// <summary>The bytes, only after the caller could read the DocumentReference (the access decision, audited), as an attachment.</summary>
    public async Task<FileStreamHttpResult> DownloadAsync(HttpContext http, string patientId, string documentId)
    {
        if (blobs is null) throw Unavailable();
        var ctx = FhirHttp.Context(http);
        var doc = await ReadAsync(ctx, patientId, documentId, http.RequestAborted);
        var attachment = doc.Content.FirstOrDefault()?.Attachment;
        // Only the blob the server issued for this very document: a url naming another dossier's or document's blob is "missing".
        var stream = DocumentBlobs.OwnedName(doc) is { } name ? await blobs.OpenReadAsync(name, http.RequestAborted) : null;
        if (stream is null) throw ApiProblem.NotFound(ApiText.FileMissing);
        await repo.RecordAsync(ctx, "download", 200, "DocumentReference", documentId, int.TryParse(doc.Meta?.VersionId, out var v) ? v : null, ct: http.RequestAborted);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var kind = FileTypes.Declared(attachment!.ContentType) ?? FileTypes.Text;
        return TypedResults.Stream(stream, kind.ContentType, FileTypes.SafeFileName(attachment.Title, kind, "document"));
    }

    /// <summary>Deletes the DocumentReference (write access to its section), then its blob.</summary>
    public async Task<NoContent> DeleteAsync(HttpContext http, string patientId, string documentId)
    {
        if (blobs is null) throw Unavailable();
        var ctx = FhirHttp.Context(http);
        var doc = await ReadAsync(ctx, patientId, documentId, http.RequestAborted);
        await repo.DeleteAsync(ctx, "DocumentReference", documentId, null, http.RequestAborted);
        // The DocumentReference was the caller's to delete; a blob goes with it only when it is this document's own.
        if (DocumentBlobs.OwnedName(doc) is { } name)
        {
            // Should this fail, the cleanup removes the blob of a deleted DocumentReference later.
            try { await blobs.DeleteAsync(name, CancellationToken.None); } catch (Azure.RequestFailedException) { }
        }
        return TypedResults.NoContent();
    }

    /// <summary>The body of a move: the section the document goes to.</summary>
    public sealed record MoveRequest(string? Section);

    /// <summary>
    /// Files a document under another section. Moving changes who can see it, so the caller needs write in the section it
    /// leaves and in the one it enters (WriteDecision W2/W3 say the same; asked here first for a plain Dutch refusal, and
    /// again by the repository, which audits the update). Only documents with a file are moved: notes and the paspoort
    /// stay where their screens look for them.
    /// </summary>
    public async Task<Ok<DocumentView>> MoveAsync(HttpContext http, string patientId, string documentId, MoveRequest? body)
    {
        var ctx = FhirHttp.Context(http);
        var ct = http.RequestAborted;
        var target = body?.Section;
        if (target is null || !PgoCodes.Section.Dossier.Contains(target)) throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.SectionUnknown, target));
        var doc = await ReadAsync(ctx, patientId, documentId, ct);
        if (DocumentBlobs.OwnedName(doc) is null) throw ApiProblem.BadRequest(ApiText.DocumentMoveOnlyFiles);
        var from = SectionClassifier.Classify(doc) ?? PgoCodes.Section.Documenten;
        if (from == target) return TypedResults.Ok(View(doc, patientId));

        var scope = await repo.Access.CompileAsync(ctx.Caller, ct);
        if (!scope.CanWrite('u', "DocumentReference", documentId, from, [patientId]) || !scope.CanWrite('u', "DocumentReference", documentId, target, [patientId]))
            throw ApiProblem.Forbidden(ApiProblem.Text(ApiText.DocumentMoveRefused, PgoCodes.Section.Display[from], PgoCodes.Section.Display[target]));

        // The category files the document; a section label (written through /fhir) would outrank it, so it goes too.
        doc.Category.RemoveAll(c => c.Coding.Any(x => x.System == PgoCodes.Section.System));
        doc.Category.Insert(0, new CodeableConcept(PgoCodes.Section.System, target, PgoCodes.Section.Display[target]));
        doc.Meta?.Security.RemoveAll(c => c.System == PgoCodes.Section.System);
        var version = doc.Meta?.VersionId;
        var stored = await repo.UpdateAsync(ctx, "DocumentReference", documentId, doc, version is null ? null : $"W/\"{version}\"", ct);
        return TypedResults.Ok(View(FhirJson.Parse<DocumentReference>(stored.Stored!.Json), patientId));
    }

    /// <summary>The DocumentReference as the caller may read it. Missing, deleted, another dossier's or an invalid id are
    /// all the same "not found" (hidden = missing); the policy's other refusals pass through the error path.</summary>
    private async Task<DocumentReference> ReadAsync(FhirContext ctx, string patientId, string documentId, CancellationToken ct)
    {
        FhirResponse response;
        try
        {
            response = await repo.ReadAsync(ctx, "DocumentReference", documentId, ct);
        }
        catch (FhirException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.BadRequest)
        {
            throw DocumentNotFound();
        }
        var doc = FhirJson.Parse<DocumentReference>(response.Stored!.Json);
        return doc.Subject?.Reference == $"Patient/{patientId}" ? doc : throw DocumentNotFound();
    }

    private static ApiProblem DocumentNotFound() => ApiProblem.NotFound(ApiText.DocumentNotFound);

    private ApiProblem TooLarge() => new(StatusCodes.Status413PayloadTooLarge,
        ApiProblem.Text(ApiText.FileTooLarge, (options.MaxUploadBytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.CurrentCulture)));

    private static ApiProblem UnsupportedType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, detail);

    private static ApiProblem Aborted() => ApiProblem.BadRequest(ApiText.UploadAborted);

    private static ApiProblem Unavailable() => new(StatusCodes.Status503ServiceUnavailable, ApiText.StorageUnavailable);
}
