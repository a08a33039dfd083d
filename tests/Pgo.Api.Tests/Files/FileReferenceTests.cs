using System.IO.Compression;
using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Files;
using Pgo.Api.Tests.Fhir;
using Shouldly;

namespace Pgo.Api.Tests.Files;

/// <summary>
/// A blob belongs to one dossier and one document (issue 13, invariant 3): a DocumentReference in family A whose
/// attachment names family B's blob reaches nothing through the documents endpoints, and clients cannot write one.
/// </summary>
public sealed class FileReferenceTests
{
    private const string Jesse = "strikwerda-jesse";   // family A: Tessa is regiehouder
    private const string Leo = "frank-leo";            // family B: Karin is regiehouder

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_document_pointing_at_another_familys_blob_cannot_download_export_or_delete_it(string provider)
    {
        FilesHost.Require();
        await using var host = new FilesHost(provider: provider);
        var secret = Upload.Pdf("Financieel overzicht Frank");
        var theirs = await (await host.As("frank-karin").RawAsync(Leo, secret, "application/pdf", "financien.pdf")).ViewAsync();
        var theirBlob = DocumentBlobs.BlobName(Leo, theirs.Id);

        // Such a reference can only be planted by a trusted integration (system/ scopes skip the project rules).
        var planted = Document(Jesse, "geleend", DocumentBlobs.UrlOf(Leo, theirs.Id));
        (await host.Api.CreateClient().PutAsync("/fhir/DocumentReference/geleend", planted)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var tessa = host.As("strikwerda-tessa");

        (await tessa.GetAsync($"/api/dossiers/{Jesse}/documents/geleend/content")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await tessa.GetAsync($"/api/dossiers/{Jesse}/documents")).Content.ReadAsStringAsync()).ShouldNotContain("geleend");
        var export = await tessa.GetAsync($"/api/dossiers/{Jesse}/export");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var zip = new ZipArchive(new MemoryStream(await export.Content.ReadAsByteArrayAsync())))
            zip.Entries.ShouldNotContain(e => e.FullName.Contains(Leo, StringComparison.Ordinal));
        // Deleting her own record is Tessa's right; the other family's bytes stay where they are.
        (await tessa.DeleteAsync($"/api/dossiers/{Jesse}/documents/geleend")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.BlobNamesAsync()).ShouldContain(theirBlob);

        // The cleanup judges by the blob's owner: the planted record never keeps (or removes) another family's blob.
        host.Clock.Set(DateTimeOffset.UtcNow.AddHours(3));
        await host.Api.Services.GetRequiredService<OrphanCleanup>().SweepAsync(default);
        host.Clock.Set(DateTimeOffset.UtcNow);
        var download = await host.As("frank-karin").GetAsync(theirs.ContentUrl);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(secret);

        // Deleting family A's whole dossier removes its own blobs only, whatever its records point at.
        (await host.Api.CreateClient().PutAsync("/fhir/DocumentReference/geleend-2", Document(Jesse, "geleend-2", DocumentBlobs.UrlOf(Leo, theirs.Id))))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await tessa.PostAsync($"/api/dossiers/{Jesse}/deletion", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        host.Clock.Advance(TimeSpan.FromDays(31));
        try { (await host.Api.Services.GetRequiredService<DossierDeletion>().CarryOutDueAsync(default)).ShouldBe([Jesse]); }
        finally { host.Clock.Set(DateTimeOffset.UtcNow); }
        (await host.BlobNamesAsync($"{Jesse}/")).ShouldBeEmpty();
        (await host.BlobNamesAsync()).ShouldContain(theirBlob);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async System.Threading.Tasks.Task A_client_cannot_write_a_document_whose_attachment_is_a_blob_the_server_did_not_issue_for_it(string provider)
    {
        FilesHost.Require();
        await using var host = new FilesHost(provider: provider);
        var theirs = await (await host.As("frank-karin").RawAsync(Leo, Upload.Pdf(), "application/pdf", "brief.pdf")).ViewAsync();
        var own = await (await host.As("strikwerda-tessa").RawAsync(Jesse, Upload.Pdf(), "application/pdf", "eigen.pdf")).ViewAsync();
        var tessa = host.As("strikwerda-tessa");

        // Another family's blob, by our urn, with different case, or by the storage account's own address: 422, in Dutch.
        var storageUrl = host.Container.GetBlobClient(DocumentBlobs.BlobName(Leo, theirs.Id)).Uri.ToString();
        foreach (var url in new[] { DocumentBlobs.UrlOf(Leo, theirs.Id), DocumentBlobs.UrlOf(Leo, theirs.Id).ToUpperInvariant(), storageUrl })
        {
            var refused = await tessa.PostAsync("/fhir/DocumentReference", Document(Jesse, null, url));
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, url);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("opslag van het platform");
        }
        // Her own family's other document's blob is not this document's file either.
        (await tessa.PostAsync("/fhir/DocumentReference", Document(Jesse, null, DocumentBlobs.UrlOf(Jesse, own.Id)))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        // Nor can an existing document of hers be re-pointed at it.
        var note = await (await tessa.PostAsync("/fhir/DocumentReference", Document(Jesse, null, "https://example.org/folder.pdf"))).ReadAs<DocumentReference>();
        note.Content[0].Attachment.Url = DocumentBlobs.UrlOf(Leo, theirs.Id);
        (await tessa.PutAsync($"/fhir/DocumentReference/{note.Id}", note)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        // Nor is the blob url allowed in another resource type's attachment.
        var message = new Communication
        {
            Status = EventStatus.Completed,
            Subject = new ResourceReference($"Patient/{Jesse}"),
            Payload = [new Communication.PayloadComponent { Content = new Attachment { ContentType = "application/pdf", Url = DocumentBlobs.UrlOf(Leo, theirs.Id) } }],
        };
        (await tessa.PostAsync("/fhir/Communication", message)).StatusCode.ShouldNotBe(HttpStatusCode.Created);

        // Editing her uploaded document's title keeps its own file; an external link stays allowed.
        var stored = await (await tessa.GetAsync($"/fhir/DocumentReference/{own.Id}")).ReadAs<DocumentReference>();
        stored.Description = "Nieuwe titel";
        (await tessa.PutAsync($"/fhir/DocumentReference/{own.Id}", stored)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await tessa.GetAsync(own.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static DocumentReference Document(string patientId, string? id, string url)
    {
        var doc = new DocumentReference
        {
            Id = id,
            Status = DocumentReferenceStatus.Current,
            Subject = new ResourceReference($"Patient/{patientId}"),
            Description = "Brief",
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "application/pdf", Url = url, Title = "brief.pdf" } }],
        };
        doc.Category.Add(new CodeableConcept(Pgo.Fhir.Access.PgoCodes.Section.System, "documenten", "Documenten"));
        return doc;
    }
}
