using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Files;
using Pgo.Api.Files.Demo;
using Shouldly;

namespace Pgo.Api.Tests.Files;

/// <summary>Blob storage by configuration only, and the development shortcuts refused in production.</summary>
[Collection("Files")]
public sealed class StorageConfigurationTests(FilesFixture files)
{
    [Fact]
    public async Task Production_refuses_the_public_Azurite_development_key()
    {
        await using var api = new ApiFactory(environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Storage:Blobs"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DocumentBlobs.AzuriteDevelopmentKey};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
        });
        var e = Should.Throw<InvalidOperationException>(() => api.CreateClient());
        e.Message.ShouldContain("ontwikkelsleutel van Azurite");
    }

    [Fact]
    public async Task Without_blob_storage_the_document_endpoints_answer_503_and_the_Api_still_starts()
    {
        await using var api = new ApiFactory(demoData: true);
        var tessa = api.ClientAs("Person/strikwerda-tessa");
        var response = await tessa.RawAsync("strikwerda-jesse", Upload.Pdf(), "application/pdf", "x.pdf");
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await tessa.GetAsync("/fhir/Patient/strikwerda-jesse")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Demo_documents_are_valid_files_loaded_once_per_family()
    {
        FilesHost.Require();
        var host = files.Host;
        var all = DemoDocuments.All().ToList();
        all.Count.ShouldBe(12);
        foreach (var d in all)
            FileTypes.Sniff(d.Bytes, complete: true).ShouldContain(d.Kind, d.FileName);
        var pdf = all.First(d => d.Kind == FileTypes.Pdf).Bytes;
        System.Text.Encoding.Latin1.GetString(pdf).ShouldEndWith("%%EOF\n");

        var names = await host.BlobNamesAsync("bilic-atilla/");
        names.ShouldContain("bilic-atilla/demo-bilic-atilla-indicatiebesluit");
        names.ShouldContain("bilic-atilla/demo-bilic-atilla-foto");
        // A second start adds nothing: same blobs, version 1 of the DocumentReference.
        await host.Api.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DemoDocuments>().Single().StartAsync(default);
        (await host.BlobNamesAsync("bilic-atilla/")).Count.ShouldBe(names.Count);
        var doc = await host.As("bilic-gulan").GetAsync("/fhir/DocumentReference/demo-bilic-atilla-foto");
        doc.Headers.ETag!.Tag.ShouldBe("\"1\"");
        var bytes = await (await host.As("bilic-gulan").GetAsync("/api/dossiers/bilic-atilla/documents/demo-bilic-atilla-foto/content")).Content.ReadAsByteArrayAsync();
        bytes.ShouldBe(all.Single(d => d.PatientId == "bilic-atilla" && d.Key == "foto").Bytes);
    }
}

/// <summary>The team space's attachment seam over blob storage.</summary>
public sealed class TeamAttachmentBlobTests
{
    [Fact]
    public async Task Team_attachments_live_in_their_own_blob_container_when_blob_storage_is_configured()
    {
        FilesHost.Require();
        var container = "team-" + Guid.NewGuid().ToString("N")[..12];
        await using var api = new ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Storage:Blobs"] = FilesHost.ConnectionString,
            ["Files:Container"] = "files-" + Guid.NewGuid().ToString("N")[..12],
            ["TeamSpace:AttachmentContainer"] = container,
        });
        _ = api.Server;
        var store = api.Services.GetRequiredService<Pgo.Api.TeamSpace.Attachments.ITeamAttachmentStore>();
        store.ShouldBeOfType<Pgo.Api.TeamSpace.Attachments.BlobAttachmentStore>();
        var key = Guid.NewGuid().ToString("N");
        var bytes = Upload.Png();
        await store.WriteAsync(key, new MemoryStream(bytes), default);
        var blobs = DocumentBlobs.Connect(FilesHost.ConnectionString!, container);
        (await blobs.GetBlobClient(key).ExistsAsync()).Value.ShouldBeTrue();
        await using (var read = (await store.OpenReadAsync(key, default))!)
        {
            using var ms = new MemoryStream();
            await read.CopyToAsync(ms);
            ms.ToArray().ShouldBe(bytes);
        }
        await store.DeleteAsync(key, default);
        (await store.OpenReadAsync(key, default)).ShouldBeNull();
        await blobs.DeleteIfExistsAsync();
    }
}
