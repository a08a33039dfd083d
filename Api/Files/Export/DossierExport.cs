using System.IO.Compression;
using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Pgo.Api.Errors;
using Pgo.Api.Fhir;
using Pgo.Fhir;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Search.Indexing;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Files.Export;

/// <summary>
/// The regiehouder takes the whole dossier along, or brings it into another PGO: one zip with <c>dossier.json</c>
/// (a FHIR Bundle of type collection: every resource of the client's own dossier, i.e. in that Patient's compartment
/// only) and <c>files/{patientId}/{documentId}</c> for every document's own bytes. Import starts a NEW dossier from it
/// for the caller, who becomes its regiehouder: fresh ids, the same content and bytes, no grants (docs/adr/0006-files.md).
/// </summary>
public sealed class DossierExport(FhirRepository repo, FileStorage storage, FilesOptions options, ISearchIndexer indexer, TimeProvider clock)
{
    public const string BundleEntryName = "dossier.json";
    public const string FilesFolder = "files/";

    /// <summary>On the exported Bundle's meta: the exporter's own record in the dossier (the import's default for who the importer is there).</summary>
    public const string ExportedByExtension = PgoCodes.Base + "/StructureDefinition/dossier-exported-by";

    public async Task<FileStreamHttpResult> ExportAsync(HttpContext http, string patientId)
    {
        var ctx = FhirHttp.Context(http);
        var ct = http.RequestAborted;
        var scope = await repo.Access.CompileAsync(ctx.Caller, ct);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.ReadOverview))
            throw ApiProblem.DossierNotFound(patientId);
        if (!DossierOperations.Allows(scope, patientId, DossierOperation.Export))
        {
            await repo.RecordAsync(ctx, "export", 403, "Patient", patientId, scope: scope, ct: ct);
            throw ApiProblem.Forbidden(ApiText.ExportOnlyRegiehouder);
        }
        if (storage.Blobs is not { } blobs)
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, ApiText.ExportStorageUnavailable);

        var everything = FhirJson.Parse<Bundle>((await repo.EverythingAsync(ctx, patientId, [], ct)).Json!);
        // Only this dossier's own records: not the directory (practitioners, organisations), not the accounts' Persons
        // (the receiving PGO has its own), not a record that also sits in another family's dossier.
        var resources = everything.Entry.Select(e => e.Resource).OfType<Resource>()
            .Where(r => r is Patient p ? p.Id == patientId : indexer.Extract(r).PatientCompartment is [var only] && only == patientId).ToList();
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Timestamp = clock.GetUtcNow(), Id = Guid.NewGuid().ToString("D") };
        var dossierActors = resources.Where(r => r is RelatedPerson or Patient).Select(r => $"{r.TypeName}/{r.Id}").ToHashSet(StringComparer.Ordinal);
        if (scope.Identities.FirstOrDefault(dossierActors.Contains) is { } exporter)
            bundle.Meta = new Meta { Extension = [new Extension(ExportedByExtension, new ResourceReference(exporter))] };
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
                    // Only each document's own blob: a url naming another family's blob exports nothing.
                    if (DocumentBlobs.OwnedName(doc) is not { } name) continue;
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
        return TypedResults.Stream(temp, "application/zip", $"dossier-{patientId}-{clock.GetUtcNow():yyyy-MM-dd}.zip");
    }

    /// <summary>
    /// Imports an export zip as a NEW dossier of the caller (a signed-in person, who becomes its regiehouder, as when
    /// starting a dossier). The zip is validated whole first (<see cref="ImportPlan"/>): anything that names another
    /// dossier, an identity or directory record, or a file that is not its document's own refuses the import (422, with
    /// the list); then the files go to new blobs and every resource, under fresh ids, goes in one transaction written by
    /// the platform on the caller's behalf. Nothing outside the new dossier is written but the caller's own Person link.
    /// Query: <c>as</c> (the importer's own RelatedPerson in the export), or <c>relationship</c> (zelf or a network role)
    /// and <c>legalBasis</c> (mentor/curator); by default the exporter's record.
    /// </summary>
    public async Task<Created<ImportResult>> ImportAsync(HttpContext http)
    {
        var ctx = FhirHttp.Context(http);
        var ct = http.RequestAborted;
        // The decision (one spot): importing is starting a dossier of one's own.
        if (ImportRefusal(ctx.Caller) is { } refusal)
            throw ApiProblem.Forbidden(refusal);
        var personId = ctx.Caller.FhirUser!["Person/".Length..];
        if (storage.Blobs is not { } blobs)
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, ApiText.ImportStorageUnavailable);
        var query = http.Request.Query;
        string? asRecord = query["as"], relationship = query["relationship"], legalBasis = query["legalBasis"];
        if (relationship is { } rel && rel != "zelf" && !PgoCodes.NetworkRole.Display.ContainsKey(rel))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.RelationshipUnknown, string.Join(", ", PgoCodes.NetworkRole.Display.Keys)));
        if (legalBasis is { } basis && !PgoCodes.LegalRepresentation.All.Contains(basis))
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.LegalBasisUnknown, string.Join(ApiText.Or, PgoCodes.LegalRepresentation.All)));
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;

        await using var temp = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var limit = options.MaxImportBytes;
        var buffer = new byte[81920];
        int n;
        while ((n = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
        {
            await temp.WriteAsync(buffer.AsMemory(0, n), ct);
            if (temp.Length > limit)
                throw new ApiProblem(StatusCodes.Status413PayloadTooLarge, ApiProblem.Text(ApiText.ExportTooLarge, limit / (1024 * 1024)));
        }
        temp.Position = 0;

        Bundle bundle;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(temp, ZipArchiveMode.Read, leaveOpen: true);
            var json = zip.GetEntry(BundleEntryName) ?? throw new InvalidDataException(ApiText.ImportBundleMissing);
            // The declared size bounds what is unpacked (a small zip must not unfold into gigabytes).
            if (json.Length > limit) throw new InvalidDataException(ApiText.ImportBundleTooLarge);
            using var reader = new StreamReader(json.Open(), Encoding.UTF8);
            bundle = FhirJson.Parse<Bundle>(await reader.ReadToEndAsync(ct));
        }
        catch (Exception e) when (e is InvalidDataException or FhirException)
        {
            throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.ImportNotAnExport, e.Message));
        }
        using (zip)
        {
            if (bundle.Type != Bundle.BundleType.Collection)
                throw ApiProblem.BadRequest(ApiText.ImportNotCollection);
            var exportedBy = (bundle.Meta?.GetExtensionValue<ResourceReference>(ExportedByExtension))?.Reference;
            var plan = ImportPlan.Build(bundle, indexer, blobs.PointsInto, name => zip.GetEntry(name) is not null);
            foreach (var file in plan.Files.Where(f => zip.GetEntry(f.ZipEntry)!.Length > options.MaxUploadBytes))
                plan.Problems.Add(ApiProblem.Text(ApiText.ImportFileTooLarge, file.ZipEntry, options.MaxUploadBytes / (1024 * 1024)));
            if (plan.Problems.Count > 0)
            {
                await repo.RecordAsync(ctx, "import", 422, "Patient", plan.OldPatientId is { Length: > 0 } old ? old : "onbekend", ct: ct);
                throw Refused(plan.Problems);
            }
            var patientId = plan.Client.Id!;

            // Who the importer is in the new dossier: their own record from the export, themselves, or a new family member.
            string actor;
            var entries = new List<Resource>(plan.Resources);
            var chosen = asRecord ?? (relationship is null ? exportedBy : null);
            if (chosen is not null)
            {
                if (!chosen.StartsWith("RelatedPerson/", StringComparison.Ordinal) && chosen != $"Patient/{plan.OldPatientId}" || plan.NewReference(chosen) is not { } mapped)
                    throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.ImportUnknownPerson, chosen));
                actor = mapped;
            }
            else if (relationship == "zelf") actor = $"Patient/{patientId}";
            else if (relationship is { } role)
            {
                var related = new RelatedPerson
                {
                    Id = Guid.NewGuid().ToString("D"),
                    Active = true,
                    Patient = new ResourceReference($"Patient/{patientId}"),
                    Relationship = [new CodeableConcept(PgoCodes.NetworkRole.System, role, PgoCodes.NetworkRole.Display[role], null)],
                };
                entries.Add(related);
                actor = $"RelatedPerson/{related.Id}";
            }
            else
                throw ApiProblem.BadRequest(ApiProblem.Text(ApiText.ImportWhoAreYou));
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var born = DateOnly.TryParseExact(plan.Client.BirthDate, "yyyy-MM-dd", out var b) ? b : (DateOnly?)null;
            if (!actor.StartsWith("Patient/", StringComparison.Ordinal) && AgeRules.StageOf(born, today) == AgeStage.Adult && legalBasis is null)
                throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, ApiText.ImportAdultClient, ApiText.AdultClientTitle);

            var consent = Grants.Regie(Guid.NewGuid().ToString("D"), patientId, [actor], legalBasis, clock.GetUtcNow());
            entries.Add(consent);
            var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
            foreach (var r in entries)
                transaction.Entry.Add(new Bundle.EntryComponent { Resource = r, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{r.TypeName}/{r.Id}" } });
            var existing = await repo.AsPlatform(PlatformPurpose.AccountLink, ctx).ReadAsync("Person", personId, ct);
            var person = existing is { Deleted: false } ? FhirJson.Parse<Person>(existing.Json) : new Person { Id = personId, Active = true };
            if (person.Name.Count == 0 && http.User.FindFirst("name")?.Value is { Length: > 0 } accountName)
                person.Name = [new HumanName { Use = HumanName.NameUse.Usual, Text = accountName }];
            person.Link.Add(new Person.LinkComponent { Target = new ResourceReference(actor), Assurance = Person.IdentityAssuranceLevel.Level2 });
            transaction.Entry.Add(new Bundle.EntryComponent
            {
                Resource = person,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Person/{personId}", IfMatch = existing is null ? null : $"W/\"{existing.Version}\"" },
            });

            // Files first, as new pending blobs (never overwriting: fresh names); removed again if anything fails.
            var written = new List<string>();
            try
            {
                foreach (var file in plan.Files)
                {
                    await using var source = zip.GetEntry(file.ZipEntry)!.Open();
                    written.Add(file.BlobName);
                    await blobs.UploadPendingAsync(file.BlobName, source, file.ContentType, ct);
                }
                // The platform writes on the person's behalf, after everything was checked: no scopes (the project's
                // profiles and rules apply), the person's sub and fhirUser in the audit log; one transaction.
                var onBehalf = new FhirContext(new CallerContext(ctx.Caller.Subject, ctx.Caller.FhirUser, [], IsSystem: true, ctx.Caller.ClientId, ctx.Caller.Roles),
                    ctx.BaseUrl) { RequestId = ctx.RequestId };
                await repo.ProcessBundleAsync(onBehalf, transaction, ct);
            }
            catch (Exception e) when (e is FhirException or InvalidDataException or IOException or Azure.RequestFailedException)
            {
                foreach (var name in written) await blobs.DeleteAsync(name, CancellationToken.None);
                var status = e is FhirException f ? f.Status : HttpStatusCode.BadRequest;
                await repo.RecordAsync(ctx, "import", (int)status, "Patient", patientId, ct: ct);
                throw new ApiProblem((int)status, ApiProblem.Text(ApiText.ImportFailed, e.Message));
            }
            foreach (var name in written)
                try { await blobs.MarkCommittedAsync(name, CancellationToken.None); } catch (Azure.RequestFailedException) { } // else the cleanup commits it
            await repo.RecordAsync(ctx, "import", 201, "Patient", patientId, ct: ct);
            return TypedResults.Created($"/api/dossiers/{patientId}/overview",
                new ImportResult(patientId, actor, consent.Id!, plan.Resources.Count, written.Count, plan.NotImported.ToArray(),
                    plan.NotImported.Count == 0 ? ApiText.ImportDone
                        : ApiProblem.Text(ApiText.ImportDoneGrantsDropped, plan.NotImported.Count)));
        }
    }

    /// <param name="NietOvergenomen">The grants of the export that were not carried over (grant them again).</param>
    public sealed record ImportResult(string PatientId, string Regiehouder, string ConsentId, int Resources, int Files,
        GrantNotImported[] NietOvergenomen, string Melding);

    /// <summary>Who may import: whoever may start a dossier (a signed-in person whose token may create a Patient),
    /// decided by the named operation. Null when allowed.</summary>
    private static string? ImportRefusal(CallerContext caller) => DossierOperations.StartDossierRefusal(caller);

    private static ApiProblem Refused(List<string> problems) => new(StatusCodes.Status422UnprocessableEntity,
        ApiProblem.Text(ApiText.ImportRefused, string.Join(" ", problems)), extensions: new Dictionary<string, object?> { ["problemen"] = problems });
}
