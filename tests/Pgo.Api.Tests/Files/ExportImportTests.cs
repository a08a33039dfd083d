using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Files;
using Pgo.Api.Tests.Fhir;
using Pgo.Fhir.Serialization;
using Shouldly;

namespace Pgo.Api.Tests.Files;

/// <summary>The regiehouder's export re-imports into an empty instance (its own database and blob container) with nothing lost.</summary>
[Collection("Files")]
public sealed class ExportImportTests(FilesFixture files)
{
    private const string Leo = "frank-leo";

    [Fact]
    public async System.Threading.Tasks.Task An_export_imported_into_an_empty_instance_restores_every_resource_and_byte_identical_files()
    {
        if (!FilesHost.Available()) return;
        var source = files.Host;
        var karin = source.As("frank-karin");
        var uploaded = await (await karin.RawAsync(Leo, Upload.Png(), "image/png", "tekening.png", "Tekening van Leo", "foto")).ViewAsync();

        var export = await karin.GetAsync($"/api/dossiers/{Leo}/export");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        var zipBytes = await export.Content.ReadAsByteArrayAsync();
        Bundle exported;
        HashSet<string> withFile;
        using (var zip = new ZipArchive(new MemoryStream(zipBytes)))
        {
            using var reader = new StreamReader(zip.GetEntry("dossier.json")!.Open());
            exported = FhirJson.Parse<Bundle>(await reader.ReadToEndAsync());
            zip.GetEntry($"files/{Leo}/{uploaded.Id}").ShouldNotBeNull();
            withFile = zip.Entries.Where(e => e.FullName.StartsWith($"files/{Leo}/", StringComparison.Ordinal)).Select(e => e.Name).ToHashSet();
        }
        exported.Type.ShouldBe(Bundle.BundleType.Collection);
        var resources = exported.Entry.Select(e => e.Resource).ToList();
        resources.ShouldContain(r => r is Patient && r.Id == Leo);
        resources.ShouldContain(r => r is Consent && r.Id == "regie-frank");
        resources.ShouldContain(r => r is Person && r.Id == "frank-karin");
        // Documents with a file (logbook notes are DocumentReferences too, with their text inline: no file to compare).
        var documents = resources.OfType<DocumentReference>().Where(d => withFile.Contains(d.Id)).ToList();
        documents.Count.ShouldBeGreaterThanOrEqualTo(3); // two demo documents and the upload

        await using var target = new FilesHost(demoData: false);
        var importer = target.As("frank-karin");
        // Someone who is not regiehouder in the dossier may not bring it in.
        (await target.As("bondgenoot-hans").PostAsync("/api/dossiers/import", Zip(zipBytes))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var imported = await importer.PostAsync("/api/dossiers/import", Zip(zipBytes));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());

        var system = target.Api.CreateClient();
        foreach (var original in resources)
        {
            var copy = await (await system.GetAsync($"/fhir/{original.TypeName}/{original.Id}")).ReadAs<Resource>();
            WithoutMeta(copy).ShouldBe(WithoutMeta(original), $"{original.TypeName}/{original.Id}");
        }
        foreach (var doc in documents)
        {
            var url = $"/api/dossiers/{Leo}/documents/{doc.Id}/content";
            var before = await (await karin.GetAsync(url)).Content.ReadAsByteArrayAsync();
            var after = await importer.GetAsync(url);
            after.StatusCode.ShouldBe(HttpStatusCode.OK, doc.Id);
            (await after.Content.ReadAsByteArrayAsync()).ShouldBe(before);
        }
        // The grants and the family's accounts came along: the co-regiehouder has his access there too. (A professional's
        // account is not part of the family's dossier: the receiving PGO has its own.)
        (await target.As("frank-ruben").GetAsync($"/api/dossiers/{Leo}/documents")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await target.As("vanassen-paula").GetAsync($"/api/dossiers/{Leo}/documents")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await importer.GetAsync($"/api/dossiers/{Leo}/export")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // An import never overwrites.
        (await importer.PostAsync("/api/dossiers/import", Zip(zipBytes))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async System.Threading.Tasks.Task Only_the_regiehouder_may_export_others_get_403_or_404()
    {
        if (!FilesHost.Available()) return;
        var host = files.Host;
        var refused = await host.As("bondgenoot-hans").GetAsync($"/api/dossiers/{Leo}/export");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await host.As("vanassen-paula").GetAsync($"/api/dossiers/{Leo}/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.As("frank-ruben").GetAsync($"/api/dossiers/{Leo}/export")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_import_of_something_that_is_not_an_export_stores_nothing()
    {
        if (!FilesHost.Available()) return;
        await using var target = new FilesHost(demoData: false);
        var response = await target.Api.CreateClient().PostAsync("/api/dossiers/import", Zip("niet een zip"u8.ToArray()));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await target.BlobNamesAsync()).ShouldBeEmpty();
    }

    private static ByteArrayContent Zip(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    private static string WithoutMeta(Resource r)
    {
        var copy = (Resource)r.DeepCopy();
        copy.Meta = null;
        return FhirJson.Serialize(copy);
    }
}
