using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Pgo.Portal.Auth;

namespace Pgo.Portal.Hosting;

/// <summary>
/// The Portal's data-protection keys (its sign-in cookie, antiforgery tokens, Blazor circuit state). One machine: the
/// framework's default key folder. Several instances (<c>Pgo:DataProtectionBlobs</c>): one blob per key in a container
/// every instance reads, so a cookie one instance wrote is read by the next (docs/adr/0014-cluster.md: why blobs).
/// </summary>
public static class SharedKeys
{
    public static WebApplicationBuilder AddSharedKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName("Pgo.Portal");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>, BlobKeysSetup>();
        return builder;
    }

    /// <summary>Loads (or, on the very first start, creates) the key ring now, so instances started one after the other
    /// all use the first one's key rather than each making one at its first request.</summary>
    public static WebApplication LoadSharedKeys(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.DataProtectionBlobs is { Length: > 0 })
            app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Pgo.Portal.Start").Protect("start");
        return app;
    }

    private sealed class BlobKeysSetup(IOptions<PortalOptions> portal) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options)
        {
            if (portal.Value.DataProtectionBlobs is not { Length: > 0 } blobs) return;
            var container = new BlobServiceClient(blobs, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2025_11_05))
                .GetBlobContainerClient(portal.Value.DataProtectionContainer);
            options.XmlRepository = new BlobXmlRepository(container);
        }
    }
}

/// <summary>Data-protection keys as blobs, one per key (<c>key-&lt;id&gt;.xml</c>, never overwritten). The framework
/// calls it rarely (start, key ring refresh, a new key every 90 days), so the synchronous calls are fine. What it needs
/// of the storage: list, read and create blobs in its one container; with an account key it also creates the
/// container, with a container-scoped SAS (Azure: infra/azure/main.bicep, permissions <c>rcl</c>) the container is
/// made by the deployment and the SAS may not create it.</summary>
public sealed class BlobXmlRepository(BlobContainerClient container) : IXmlRepository
{
    private bool _created;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureContainer();
        var elements = new List<XElement>();
        foreach (var blob in container.GetBlobs())
            elements.Add(XElement.Parse(container.GetBlobClient(blob.Name).DownloadContent().Value.Content.ToString()));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        EnsureContainer();
        container.GetBlobClient($"{friendlyName}.xml").Upload(BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting)), overwrite: false);
    }

    private void EnsureContainer()
    {
        if (_created) return;
        try
        {
            container.CreateIfNotExists();
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            // A SAS for this container only (no right to create containers): the container is the deployment's to
            // create. Should it be missing after all, the list or upload that follows fails with ContainerNotFound.
        }
        _created = true;
    }
}
