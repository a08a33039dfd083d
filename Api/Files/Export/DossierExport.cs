using System.IO.Compression;
using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Files.Export;

/// <summary>
/// The regiehouder takes the whole dossier along, or brings it into another PGO: one zip with <c>dossier.json</c>
/// (a FHIR Bundle of type collection: the client's <c>Patient/$everything</c> as the regiehouder sees it, i.e. all of it,
/// plus the Persons of the accounts that act in it) and <c>files/{patientId}/{documentId}</c> for every document's bytes.
/// Import restores it into an instance that does not hold that dossier yet: same ids, same content, the same bytes.
/// </summary>
public sealed class DossierExport(FhirRepository repo, FileStorage storage, FilesOptions options)
{
    public const string BundleEntryName = "dossier.json";
    public const string FilesFolder = "files/";

    public async Task<IResult> ExportAsync(HttpContext http, string patientId)
    {
        var ctx = FhirHttp.Context(http);
        var ct = http.RequestAborted;
        var scope = await repo.Access.CompileAsync(ctx.Caller, ct);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview))
            return DocumentService.Problem(HttpStatusCode.NotFound, "Dossier niet gevonden", $"Er is geen dossier Patient/{patientId} dat u kunt zien.");
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.Export))
        {
            await repo.RecordAsync(ctx, "export", 403, "Patient", patientId, scope: scope, ct: ct);
            return DocumentService.Problem(HttpStatusCode.Forbidden, "Geen toegang", "Alleen de regiehouder kan het hele dossier exporteren.");
        }
        if (storage.Blobs is not { } blobs)
            return DocumentService.Problem(HttpStatusCode.ServiceUnavailable, "Bestandsopslag niet ingesteld", "De export kan de documenten nu niet ophalen.");

        var everything = FhirJson.Parse<Bundle>((await repo.EverythingAsync(ctx, patientId, [], ct)).Json!);
        var resources = everything.Entry.Select(e => e.Resource).OfType<Resource>().ToList();
        // The accounts' Persons that act as this family's members: without them nobody could sign in to the imported dossier.
        // A Person that links to a RelatedPerson is in no patient's compartment, so only the platform sees it: looked up
        // as the platform, limited to links to this dossier's own family members and client.
        var actors = resources.Where(r => r is RelatedPerson or Patient).Select(r => $"{r.TypeName}/{r.Id}").ToList();
        if (actors.Count > 0)
        {
            var platform = new FhirContext(CallerContext.System("dossier-export"), ctx.BaseUrl) { RequestId = ctx.RequestId };
            var persons = FhirJson.Parse<Bundle>((await repo.SearchAsync(platform, "Person", [new("link", string.Join(",", actors)), new("_count", "1000")], ct)).Json!);
            resources.AddRange(persons.Entry.Select(e => e.Resource).OfType<Person>().Where(p => resources.All(r => !(r is Person && r.Id == p.Id))));
        }
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Timestamp = DateTimeOffset.UtcNow, Id = Guid.NewGuid().ToString("D") };
        bundle.Entry.AddRange(resources.Select(r => new Bundle.EntryComponent { FullUrl = $"{ctx.BaseUrl}/{r.TypeName}/{r.Id}", Resource = r }));

        // Written to a temporary file, then streamed: the zip (with its files) is never whole in memory.
        var temp = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using (var zip = new ZipArchive(temp, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
            {
                var json = zip.CreateEntry(BundleEntryName, CompressionLevel.Optimal);
                await using (var w = json.Open()) await w.WriteAsync(Encoding.UTF8.GetBytes(FhirJson.Serialize(bundle)), ct);
                foreach (var doc in resources.OfType<DocumentReference>())
                {
                    if (DocumentBlobs.NameFromUrl(doc.Content.FirstOrDefault()?.Attachment?.Url) is not { } name) continue;
                    await using var source = await blobs.OpenReadAsync(name, ct);
                    if (source is null) continue;
                    var entry = zip.CreateEntry(FilesFolder + name, CompressionLevel.NoCompression);
                    await using var target = entry.Open();
                    await source.CopyToAsync(target, ct);
                }
            }
            temp.Position = 0;
        }
        catch
        {
            await temp.DisposeAsync();
            throw;
        }
        await repo.RecordAsync(ctx, "export", 200, "Patient", patientId, scope: scope, ct: ct);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Stream(temp, "application/zip", $"dossier-{patientId}-{DateTime.UtcNow:yyyy-MM-dd}.zip");
    }

    /// <summary>
    /// Imports an export zip. Allowed for the platform (system client) and for a person who is regiehouder in the
    /// imported dossier itself (their fhirUser Person links to an actor of its regie Consent). Refused when this
    /// instance already holds the dossier: an import never overwrites.
    /// </summary>
    public async Task<IResult> ImportAsync(HttpContext http)
    {
        var ctx = FhirHttp.Context(http);
        var ct = http.RequestAborted;
        if (storage.Blobs is not { } blobs)
            return DocumentService.Problem(HttpStatusCode.ServiceUnavailable, "Bestandsopslag niet ingesteld", "De import kan de documenten nu niet opslaan.");
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;

        await using var temp = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var limit = options.MaxImportBytes;
        var buffer = new byte[81920];
        int n;
        while ((n = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
        {
            await temp.WriteAsync(buffer.AsMemory(0, n), ct);
            if (temp.Length > limit)
                return DocumentService.Problem(HttpStatusCode.RequestEntityTooLarge, "Export te groot", $"Een export is hooguit {limit / (1024 * 1024)} MB.");
        }
        temp.Position = 0;

        Bundle bundle;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(temp, ZipArchiveMode.Read, leaveOpen: true);
            var json = zip.GetEntry(BundleEntryName) ?? throw new InvalidDataException("dossier.json ontbreekt");
            using var reader = new StreamReader(json.Open(), Encoding.UTF8);
            bundle = FhirJson.Parse<Bundle>(await reader.ReadToEndAsync(ct));
        }
        catch (Exception e) when (e is InvalidDataException or FhirException)
        {
            return DocumentService.Problem(HttpStatusCode.BadRequest, "Geen geldige export", $"Dit bestand is geen PGO-export ({e.Message}).");
        }
        using (zip)
        {
            var resources = bundle.Entry.Select(e => e.Resource).OfType<Resource>().Where(r => r.Id is not null).ToList();
            var patients = resources.OfType<Patient>().ToList();
            if (bundle.Type != Bundle.BundleType.Collection || patients.Count != 1)
                return DocumentService.Problem(HttpStatusCode.BadRequest, "Geen geldige export", "Een export bevat precies één dossier (één Patient) in een Bundle van het type collection.");
            var patientId = patients[0].Id!;
            if (!await MayImportAsync(ctx, resources, patientId, ct))
            {
                await repo.RecordAsync(ctx, "import", 403, "Patient", patientId, incoming: patients[0], ct: ct);
                return DocumentService.Problem(HttpStatusCode.Forbidden, "Geen toegang", "Alleen de regiehouder van dit dossier (of de beheerder van het platform) kan het importeren.");
            }
            if (await repo.Store.ReadAsync("Patient", patientId, AccessScope.Unrestricted, ct) is { Deleted: false })
                return DocumentService.Problem(HttpStatusCode.Conflict, "Dossier bestaat al", $"Deze omgeving heeft al een dossier Patient/{patientId}; een import overschrijft nooit.");

            // Files first (committed: their DocumentReferences follow in the same request); on failure they are removed again.
            var written = new List<string>();
            try
            {
                foreach (var doc in resources.OfType<DocumentReference>())
                {
                    var attachment = doc.Content.FirstOrDefault()?.Attachment;
                    if (DocumentBlobs.NameFromUrl(attachment?.Url) is not { } name) continue;
                    if (!name.StartsWith(patientId + "/", StringComparison.Ordinal) || zip.GetEntry(FilesFolder + name) is not { } entry) continue;
                    await using var source = entry.Open();
                    await blobs.UploadCommittedAsync(name, source, attachment!.ContentType ?? "application/octet-stream", ct);
                    written.Add(name);
                }
                // Directory resources (practitioners, organisations, accounts) that exist here already are kept as they are.
                var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
                foreach (var r in resources)
                {
                    if (!SectionClassifier.IsDossierType(r.TypeName) && await repo.Store.ReadAsync(r.TypeName, r.Id!, AccessScope.Unrestricted, ct) is { Deleted: false }) continue;
                    r.Meta = null;
                    transaction.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
                }
                var system = new FhirContext(CallerContext.System("dossier-import"), ctx.BaseUrl) { RequestId = ctx.RequestId };
                await repo.ProcessBundleAsync(system, transaction, ct);
                await repo.RecordAsync(ctx, "import", 201, "Patient", patientId, ct: ct);
                return TypedResults.Created($"/fhir/Patient/{patientId}", new ImportResult(patientId, transaction.Entry.Count, written.Count));
            }
            catch (Exception e) when (e is FhirException or InvalidDataException or Azure.RequestFailedException)
            {
                foreach (var name in written) await blobs.DeleteAsync(name, CancellationToken.None);
                var status = e is FhirException f ? f.Status : HttpStatusCode.BadRequest;
                return DocumentService.Problem(status, "Import mislukt", $"Er is niets opgeslagen: {e.Message}");
            }
        }
    }

    public sealed record ImportResult(string PatientId, int Resources, int Files);

    private async Task<bool> MayImportAsync(FhirContext ctx, List<Resource> resources, string patientId, CancellationToken ct)
    {
        if (ctx.Caller.IsSystem) return DossierOperations.AllowsImport(ctx.Caller, new HashSet<string>(), [], patientId);
        if (ctx.Caller.FhirUser?.Split('/') is not ["Person", var personId]) return false;
        var person = resources.OfType<Person>().FirstOrDefault(p => p.Id == personId);
        if (person is null && await repo.Store.ReadAsync("Person", personId, AccessScope.Unrestricted, ct) is { Deleted: false } stored)
            person = FhirJson.Parse<Person>(stored.Json);
        if (person is null) return false;
        var actsAs = person.Link.Select(l => l.Target?.Reference).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return DossierOperations.AllowsImport(ctx.Caller, actsAs, resources.OfType<Consent>().Select(ConsentGrant.Of), patientId);
    }
}
