using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Pgo.Api.Files;

namespace Pgo.Api.Tests.Files;

/// <summary>
/// The Api with the demo families on SQLite and a real Azurite (PGO_TEST_BLOBS, started by ./pgo test), each host in a
/// container of its own. Without PGO_TEST_BLOBS the file tests are skipped, except under ./pgo test or CI where they fail (<see cref="Needs"/>).
/// </summary>
public sealed class FilesHost : IAsyncDisposable
{
    public const long MaxUpload = 200 * 1024;

    public ApiFactory Api { get; }
    public string ContainerName { get; } = "test-" + Guid.NewGuid().ToString("N")[..16];
    public BlobContainerClient Container { get; }
    public MutableClock Clock { get; } = new();

    public FilesHost(bool demoData = true, string provider = "sqlite")
    {
        Api = new ApiFactory(provider, demoData: demoData, clock: Clock, settings: new Dictionary<string, string?>
        {
            ["Storage:Blobs"] = ConnectionString,
            // Like every real instance, also an empty one has the project's code lists and questionnaires (an import needs them).
            ["Pgo:LoadTerminology"] = "true",
            ["Files:Container"] = ContainerName,
            ["Files:MaxUploadBytes"] = MaxUpload.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Container = DocumentBlobs.Connect(ConnectionString!, ContainerName);
        _ = Api.Server; // start: demo data and demo documents load now
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable("PGO_TEST_BLOBS");

    /// <summary>Skips the test when no Azurite is configured outside ./pgo test; fails it where it must run.</summary>
    public static void Require() => Needs.Blobs();

    public HttpClient As(string person) => Api.ClientAs($"Person/{person}");

    public async Task<List<string>> BlobNamesAsync(string? prefix = null)
    {
        var names = new List<string>();
        if (!(await Container.ExistsAsync()).Value) return names;
        await foreach (var b in Container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix })) names.Add(b.Name);
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Container.DeleteIfExistsAsync();
    }
}

public static class Upload
{
    /// <summary>A raw-body upload: the bytes with their declared Content-Type, metadata in the query.</summary>
    public static Task<HttpResponseMessage> RawAsync(this HttpClient client, string patientId, byte[] bytes, string contentType, string fileName,
        string title = "Testdocument", string category = "rapport", string? section = null)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var query = $"?title={Uri.EscapeDataString(title)}&category={category}&fileName={Uri.EscapeDataString(fileName)}" + (section is null ? "" : $"&section={section}");
        return client.PostAsync($"/api/dossiers/{patientId}/documents{query}", content);
    }

    /// <summary>A multipart/form-data upload as a browser form sends it.</summary>
    public static Task<HttpResponseMessage> MultipartAsync(this HttpClient client, string patientId, byte[] bytes, string contentType, string fileName,
        string title = "Testdocument", string category = "rapport")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(title), "title" },
            { new StringContent(category), "category" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", fileName);
        return client.PostAsync($"/api/dossiers/{patientId}/documents", form);
    }

    public static byte[] Pdf(string text = "Verslag") => Pgo.Api.Files.Demo.DemoFiles.Pdf(text, ["Een regel tekst."]);

    public static byte[] Png() => Pgo.Api.Files.Demo.DemoFiles.Png(32, 7);

    public static async Task<DocumentView> ViewAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<DocumentView>())!;

    public static async Task<string> ReadProblemAsync(this HttpResponseMessage response) => await response.Content.ReadAsStringAsync();
}

/// <summary>One Api with the demo families and Azurite for all file tests (loading the demo costs seconds per host).</summary>
public sealed class FilesFixture : IAsyncDisposable
{
    private FilesHost? _host;

    public FilesHost Host => _host ??= new FilesHost();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}

[CollectionDefinition("Files")]
public sealed class FilesCollection : ICollectionFixture<FilesFixture>;
