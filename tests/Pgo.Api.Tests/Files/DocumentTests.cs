using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Files;
using Shouldly;

namespace Pgo.Api.Tests.Files;

/// <summary>Dossier documents against a real Azurite: who may upload and download, and what is refused with nothing stored.</summary>
[Collection("Files")]
public sealed class DocumentTests(FilesFixture files)
{
    private const string Jesse = "strikwerda-jesse";

    [Fact]
    public async Task A_file_uploaded_by_the_regiehouder_is_downloadable_by_a_permitted_reader_and_refused_to_the_rest()
    {
        FilesHost.Require();
        var host = files.Host;
        var pdf = Upload.Pdf("Indicatiebesluit");
        var created = await host.As("strikwerda-tessa").MultipartAsync(Jesse, pdf, "application/pdf", "../../Indicatie besluit?.pdf", "Indicatiebesluit Wlz", "indicatiebesluit");
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.ReadProblemAsync());
        var doc = await created.ViewAsync();
        doc.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(pdf)));
        doc.Size.ShouldBe(pdf.Length);
        doc.FileName.ShouldBe("Indicatie besluit.pdf");
        (await host.BlobNamesAsync($"{Jesse}/")).ShouldContain($"{Jesse}/{doc.Id}");

        // The dementia case manager reads the documents section: same bytes, as an attachment, never sniffed.
        var download = await host.As("casemanager-dementie-bos").GetAsync(doc.ContentUrl);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(pdf);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        download.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);

        // The bondgenoot's grant has no documents section; Paula has nothing in this dossier; the municipality only its one item.
        (await host.As("bondgenoot-ricardo").GetAsync(doc.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.As("vanassen-paula").GetAsync(doc.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.As("gemeente-wmo-degroot").GetAsync(doc.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Asking through another dossier's URL does not help.
        (await host.As("strikwerda-tessa").GetAsync($"/api/dossiers/vanassen-luc/documents/{doc.Id}/content")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Downloads and refusals are in the audit trail.
        await host.Api.Services.GetRequiredService<Pgo.Fhir.Rest.FhirRepository>().Audit.FlushAsync();
        var audit = await (await host.As("strikwerda-tessa").GetAsync($"/api/dossiers/{Jesse}/audit?format=csv")).Content.ReadAsStringAsync();
        audit.ShouldContain(";downloadde;DocumentReference/" + doc.Id);
    }

    [Fact]
    public async Task Upload_needs_write_access_to_the_section_and_a_refusal_stores_nothing()
    {
        FilesHost.Require();
        var host = files.Host;
        var before = await host.BlobNamesAsync();
        // Ricardo writes the logbook but not the documents section; the case manager only reads; Paula sees nothing.
        var ricardo = await host.As("bondgenoot-ricardo").RawAsync(Jesse, Upload.Pdf(), "application/pdf", "verslag.pdf");
        ricardo.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ricardo.ReadProblemAsync()).ShouldContain("Geen toegang");
        (await host.As("casemanager-dementie-bos").RawAsync(Jesse, Upload.Pdf(), "application/pdf", "verslag.pdf")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.As("vanassen-paula").RawAsync(Jesse, Upload.Pdf(), "application/pdf", "verslag.pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.BlobNamesAsync()).ShouldBe(before);
        // In the logbook section Ricardo may add a file.
        var log = await host.As("bondgenoot-ricardo").RawAsync(Jesse, Upload.Png(), "image/png", "whiteboard.png", "Foto van het weekschema", "foto", "logboek");
        log.StatusCode.ShouldBe(HttpStatusCode.Created, await log.ReadProblemAsync());
        (await log.ViewAsync()).Section.ShouldBe("logboek");
    }

    [Fact]
    public async Task An_oversized_upload_is_refused_with_413_and_leaves_no_blob_and_no_metadata()
    {
        FilesHost.Require();
        var host = files.Host;
        var tessa = host.As("strikwerda-tessa");
        var before = await host.BlobNamesAsync();
        var documentsBefore = (await (await tessa.GetAsync($"/api/dossiers/{Jesse}/documents")).Content.ReadFromJsonAsync<DocumentView[]>())!.Length;
        var big = new byte[FilesHost.MaxUpload + 10_000];
        "%PDF-1.4\n"u8.CopyTo(big);
        big.AsSpan(9).Fill((byte)'a');

        var raw = await tessa.RawAsync(Jesse, big, "application/pdf", "groot.pdf");
        raw.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await raw.ReadProblemAsync()).ShouldContain("Bestand te groot");
        // Without Content-Length the limit is found while streaming.
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new("application/pdf");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/dossiers/{Jesse}/documents?fileName=groot.pdf") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        (await tessa.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await tessa.MultipartAsync(Jesse, big, "application/pdf", "groot.pdf")).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        (await host.BlobNamesAsync()).ShouldBe(before);
        (await (await tessa.GetAsync($"/api/dossiers/{Jesse}/documents")).Content.ReadFromJsonAsync<DocumentView[]>())!.Length.ShouldBe(documentsBefore);
    }

    [Theory]
    [InlineData("exe", "application/pdf", "rapport.pdf")]
    [InlineData("html", "application/pdf", "rapport.pdf")]
    [InlineData("html", "text/plain", "notitie.txt")]
    [InlineData("png", "application/pdf", "scan.pdf")]
    [InlineData("zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "brief.docx")]
    [InlineData("pdf", "text/html", "pagina.html")]
    public async Task A_disguised_file_is_refused_and_nothing_is_stored(string actual, string declared, string fileName)
    {
        FilesHost.Require();
        var host = files.Host;
        var bytes = actual switch
        {
            "exe" => [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0],
            "html" => "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"u8.ToArray(),
            "png" => Upload.Png(),
            "zip" => PlainZip(),
            _ => Upload.Pdf(),
        };
        var before = await host.BlobNamesAsync();
        var response = await host.As("strikwerda-tessa").RawAsync(Jesse, bytes, declared, fileName);
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType, await response.ReadProblemAsync());
        (await response.ReadProblemAsync()).ShouldMatch("(niet toegestaan|past niet)");
        (await host.BlobNamesAsync()).ShouldBe(before);
    }

    private static byte[] PlainZip()
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        using (var w = new StreamWriter(zip.CreateEntry("payload.js").Open())) w.Write("alert(1)");
        return ms.ToArray();
    }

    [Fact]
    public async Task Allowed_kinds_pass_when_content_and_declared_type_agree()
    {
        FilesHost.Require();
        var host = files.Host;
        var tessa = host.As("strikwerda-tessa");
        (await tessa.RawAsync(Jesse, "Boodschappenlijst: brood, melk, één appel\n"u8.ToArray(), "text/plain; charset=utf-8", "lijst.txt")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await tessa.RawAsync(Jesse, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0], "image/jpeg", "foto.jpg")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await tessa.RawAsync(Jesse, [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c', 0, 0, 0, 0], "image/heic", "foto.heic")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var docx = await tessa.RawAsync(Jesse, Docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "brief.docx");
        docx.StatusCode.ShouldBe(HttpStatusCode.Created, await docx.ReadProblemAsync());
    }

    private static byte[] Docx()
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open())) w.Write("<Types/>");
            using (var w = new StreamWriter(zip.CreateEntry("word/document.xml").Open())) w.Write("<document/>");
        }
        return ms.ToArray();
    }

    [Fact]
    public async Task Deleting_a_document_removes_its_metadata_and_its_blob_and_needs_write_access()
    {
        FilesHost.Require();
        var host = files.Host;
        var tessa = host.As("strikwerda-tessa");
        var doc = await (await tessa.RawAsync(Jesse, Upload.Pdf(), "application/pdf", "weg.pdf")).ViewAsync();
        (await host.As("casemanager-dementie-bos").DeleteAsync($"/api/dossiers/{Jesse}/documents/{doc.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.BlobNamesAsync()).ShouldContain($"{Jesse}/{doc.Id}");

        (await tessa.DeleteAsync($"/api/dossiers/{Jesse}/documents/{doc.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.BlobNamesAsync()).ShouldNotContain($"{Jesse}/{doc.Id}");
        (await tessa.GetAsync(doc.ContentUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_upload_that_breaks_off_midway_leaves_no_blob()
    {
        FilesHost.Require();
        var host = files.Host;
        var blobs = host.Api.Services.GetRequiredService<DocumentBlobs>();
        var name = DocumentBlobs.BlobName(Jesse, Guid.NewGuid().ToString("D"));
        // 6 MB, so the client stages blocks before the body breaks off (a disconnect surfaces as an IOException).
        var body = new BreaksOff(new byte[6 * 1024 * 1024], breakAt: 5 * 1024 * 1024);
        await Should.ThrowAsync<IOException>(() => blobs.UploadPendingAsync(name, new UploadStream(Array.Empty<byte>(), body, long.MaxValue), "application/pdf", default));
        (await blobs.ExistsAsync(name, default)).ShouldBeFalse();
        // Past the size limit while streaming: the same.
        await Should.ThrowAsync<FileTooLargeException>(() => blobs.UploadPendingAsync(name, new UploadStream(Array.Empty<byte>(), new MemoryStream(new byte[6 * 1024 * 1024]), 5 * 1024 * 1024), "application/pdf", default));
        (await blobs.ExistsAsync(name, default)).ShouldBeFalse();
    }

    private sealed class BreaksOff(byte[] data, int breakAt) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position >= breakAt ? throw new IOException("De verbinding is verbroken.") : base.Read(buffer, offset, Math.Min(count, breakAt - (int)Position));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (Position >= breakAt) throw new IOException("De verbinding is verbroken.");
            var n = Math.Min(buffer.Length, breakAt - (int)Position);
            return base.ReadAsync(buffer[..n], ct);
        }
    }

    [Fact]
    public async Task A_crash_between_blob_and_metadata_is_repaired_by_the_cleanup()
    {
        FilesHost.Require();
        var host = files.Host;
        host.Clock.Set(DateTimeOffset.UtcNow);
        var blobs = host.Api.Services.GetRequiredService<DocumentBlobs>();
        var cleanup = host.Api.Services.GetRequiredService<OrphanCleanup>();
        // Crash 1: the bytes were stored (pending), the process died before the DocumentReference was written.
        var orphan = DocumentBlobs.BlobName(Jesse, Guid.NewGuid().ToString("D"));
        await blobs.UploadPendingAsync(orphan, new MemoryStream(Upload.Pdf()), "application/pdf", default);
        // Crash 2: the DocumentReference was written, the process died before the blob was marked committed.
        var tessa = host.As("strikwerda-tessa");
        var kept = await (await tessa.RawAsync(Jesse, Upload.Pdf(), "application/pdf", "bewaard.pdf")).ViewAsync();
        await blobs.UploadPendingAsync(DocumentBlobs.BlobName(Jesse, kept.Id) + "-ignored", new MemoryStream([1]), "application/pdf", default); // a second orphan
        await host.Container.GetBlobClient(DocumentBlobs.BlobName(Jesse, kept.Id)).SetMetadataAsync(new Dictionary<string, string> { ["pgostate"] = "pending" });

        // Within the grace period an upload may still be in progress: nothing is touched.
        (await cleanup.SweepAsync(default)).Removed.ShouldBe(0);
        (await host.BlobNamesAsync()).ShouldContain(orphan);

        host.Clock.Advance(TimeSpan.FromHours(2));
        var result = await cleanup.SweepAsync(default);
        result.Removed.ShouldBe(2);
        result.Committed.ShouldBe(1);
        var names = await host.BlobNamesAsync();
        names.ShouldNotContain(orphan);
        names.ShouldContain(DocumentBlobs.BlobName(Jesse, kept.Id));
        (await (await tessa.GetAsync(kept.ContentUrl)).Content.ReadAsByteArrayAsync()).ShouldBe(Upload.Pdf());
        // The demo documents are committed and owned: a sweep leaves them alone.
        names.ShouldContain(DocumentBlobs.BlobName(Jesse, "demo-strikwerda-jesse-indicatiebesluit"));
    }
}
