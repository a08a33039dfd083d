using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hl7.Fhir.Model;
using Pgo.Api.Files;
using Pgo.Api.Files.Export;
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
    public async System.Threading.Tasks.Task An_export_imported_into_an_empty_instance_becomes_a_new_dossier_of_the_importer_with_every_record_and_byte_identical_files()
    {
        FilesHost.Require();
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
        // Only the dossier itself: the accounts and the directory are each instance's own.
        resources.ShouldNotContain(r => r is Person || r is Practitioner || r is Organization || r is PractitionerRole);
        // Documents with a file (logbook notes are DocumentReferences too, with their text inline: no file to compare).
        var documents = resources.OfType<DocumentReference>().Where(d => withFile.Contains(d.Id)).ToList();
        documents.Count.ShouldBeGreaterThanOrEqualTo(3); // two demo documents and the upload

        await using var target = new FilesHost(demoData: false);
        // Only a signed-in person imports (they become its regiehouder): not a system client.
        (await target.Api.CreateClient().PostAsync("/api/dossiers/import", Zip(zipBytes))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var importer = target.As("frank-karin");
        var imported = await importer.PostAsync("/api/dossiers/import", Zip(zipBytes));
        imported.StatusCode.ShouldBe(HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var result = (await imported.Content.ReadFromJsonAsync<DossierExport.ImportResult>())!;
        result.PatientId.ShouldNotBe(Leo);
        result.Files.ShouldBe(withFile.Count);
        // The grants were not carried over, but listed so the family can grant again.
        result.NietOvergenomen.Select(g => g.Toestemming).ShouldBe(resources.OfType<Consent>().Select(c => c.Id), ignoreOrder: true);
        result.Melding.ShouldContain("niet overgenomen");

        // Every record is there under a new id, its references rewritten to the new dossier.
        var system = target.Api.CreateClient();
        var everything = await (await system.GetAsync($"/fhir/Patient/{result.PatientId}/$everything?_count=1000")).ReadAs<Bundle>();
        var copies = everything.Entry.Select(e => e.Resource).ToList();
        foreach (var type in resources.Where(r => r is not Consent).GroupBy(r => r.TypeName))
            copies.Count(r => r.TypeName == type.Key).ShouldBe(type.Count(), type.Key);
        copies.ShouldNotContain(r => r.Id != null && resources.Any(o => o.Id == r.Id));
        var text = FhirJson.Serialize(everything);
        text.ShouldNotContain($"Patient/{Leo}\"");
        var patient = copies.OfType<Patient>().Single();
        FhirJson.Serialize(WithId(patient, Leo)).ShouldBe(FhirJson.Serialize(WithId(resources.OfType<Patient>().Single(), Leo)));

        // The files are byte-identical, each under its new document.
        var byTitle = copies.OfType<DocumentReference>().ToLookup(d => d.Description);
        foreach (var doc in documents)
        {
            var before = await (await karin.GetAsync($"/api/dossiers/{Leo}/documents/{doc.Id}/content")).Content.ReadAsByteArrayAsync();
            var copy = byTitle[doc.Description].Single(d => d.Content[0].Attachment.Hash.SequenceEqual(doc.Content[0].Attachment.Hash));
            var after = await importer.GetAsync($"/api/dossiers/{result.PatientId}/documents/{copy.Id}/content");
            after.StatusCode.ShouldBe(HttpStatusCode.OK, doc.Id);
            (await after.Content.ReadAsByteArrayAsync()).ShouldBe(before);
        }
        // The importer is regiehouder (as when starting a dossier); the co-regiehouder's grant did not come along.
        (await importer.GetAsync($"/api/dossiers/{result.PatientId}/export")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await target.As("frank-ruben").GetAsync($"/api/dossiers/{result.PatientId}/documents")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await target.As("vanassen-paula").GetAsync($"/api/dossiers/{result.PatientId}/documents")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // A second import is a second new dossier: an import never overwrites.
        var again = await importer.PostAsync("/api/dossiers/import", Zip(zipBytes));
        again.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await again.Content.ReadFromJsonAsync<DossierExport.ImportResult>())!.PatientId.ShouldNotBe(result.PatientId);
    }

    [Fact]
    public async System.Threading.Tasks.Task Only_the_regiehouder_may_export_others_get_403_or_404()
    {
        FilesHost.Require();
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
        FilesHost.Require();
        await using var target = new FilesHost(demoData: false);
        var response = await target.As("frank-karin").PostAsync("/api/dossiers/import", Zip("niet een zip"u8.ToArray()));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await target.BlobNamesAsync()).ShouldBeEmpty();
    }

    private static Resource WithId(Resource r, string id)
    {
        var copy = (Resource)r.DeepCopy();
        copy.Id = id;
        copy.Meta = null;
        return copy;
    }

    internal static ByteArrayContent Zip(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }
}
