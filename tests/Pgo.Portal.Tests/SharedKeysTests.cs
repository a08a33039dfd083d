using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Portal.Auth;
using Pgo.Portal.Hosting;
using Pgo.Tests;

namespace Pgo.Portal.Tests;

/// <summary>Issue 23: in Azure the Portal keeps its data-protection keys in blob storage through a SAS for its own
/// container only (infra/azure/main.bicep: <c>listServiceSas</c>, permissions read, create, list; never the account
/// key, which opens every family's documents). Against Azurite (PGO_TEST_BLOBS): the container made with the account
/// key as the deployment does, then two Portal instances wired as Program.cs wires them, given only a
/// <c>BlobEndpoint=...;SharedAccessSignature=...</c> connection string. In process, no browser.</summary>
public class SharedKeysTests
{
    [Fact]
    public async Task Two_instances_share_one_key_through_a_container_scoped_sas_that_opens_no_other_container()
    {
        var account = new BlobServiceClient(Needs.Blobs());
        var ct = TestContext.Current.CancellationToken;
        var keys = account.GetBlobContainerClient("pgo-portal-keys-" + Guid.NewGuid().ToString("N")[..12]);
        var documents = account.GetBlobContainerClient("documents-" + Guid.NewGuid().ToString("N")[..12]);
        await keys.CreateAsync(cancellationToken: ct);
        await documents.CreateAsync(cancellationToken: ct);
        try
        {
            await documents.GetBlobClient("family.pdf").UploadAsync(BinaryData.FromString("a family's document"), ct);
            var sas = keys.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.Create | BlobContainerSasPermissions.List,
                DateTimeOffset.UtcNow.AddHours(1));
            var connection = $"BlobEndpoint={account.Uri};SharedAccessSignature={sas.Query.TrimStart('?')}";

            await using var first = Instance(connection, keys.Name);
            await using var second = Instance(connection, keys.Name);
            var protectedByFirst = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("signed in");
            second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(protectedByFirst)
                .ShouldBe("signed in");

            var blobs = new List<string>();
            await foreach (var blob in keys.GetBlobsAsync(cancellationToken: ct)) blobs.Add(blob.Name);
            blobs.ShouldHaveSingleItem().ShouldStartWith("key-");

            var throughSas = new BlobServiceClient(connection);
            Should.Throw<RequestFailedException>(() => throughSas.GetBlobContainerClient(documents.Name).GetBlobClient("family.pdf").DownloadContent(ct))
                .Status.ShouldBe(403);
            Should.Throw<RequestFailedException>(() => throughSas.GetBlobContainerClient(documents.Name).GetBlobs(cancellationToken: ct).ToList())
                .Status.ShouldBe(403);
            // Create, not write: a key blob is never overwritten, not even by the Portal.
            Should.Throw<RequestFailedException>(() => throughSas.GetBlobContainerClient(keys.Name).GetBlobClient(blobs[0])
                .Upload(BinaryData.FromString("<key/>"), overwrite: true, ct)).Status.ShouldBeOneOf(403, 409);
        }
        finally
        {
            await keys.DeleteIfExistsAsync(cancellationToken: ct);
            await documents.DeleteIfExistsAsync(cancellationToken: ct);
        }
    }

    /// <summary>A Portal instance as Program.cs builds it (settings validated, key ring loaded at start), in cluster mode.</summary>
    private static WebApplication Instance(string blobs, string container)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pgo:ClientSecret"] = "a-secret-for-this-test-only-" + Guid.NewGuid().ToString("N"),
            ["Pgo:Cluster:Enabled"] = "true",
            ["Pgo:DataProtectionBlobs"] = blobs,
            ["Pgo:DataProtectionContainer"] = container,
        });
        builder.AddPortalAuthentication();
        builder.AddSharedKeys();
        var app = builder.Build();
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortalOptions>>().Value.Cluster.ShouldBeTrue();
        return app.LoadSharedKeys();
    }
}
