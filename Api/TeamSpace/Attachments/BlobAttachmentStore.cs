using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Pgo.Api.TeamSpace.Attachments;

/// <summary>
/// Team-space attachments in blob storage (the same account as dossier documents, <c>Storage:Blobs</c>, in a container
/// of their own so that team knowledge and family data never share a namespace). Used instead of
/// <see cref="LocalDiskAttachmentStore"/> whenever blob storage is configured.
/// </summary>
public sealed class BlobAttachmentStore(BlobContainerClient container) : ITeamAttachmentStore
{
    private Task? _created;

    private async Task<BlobClient> BlobAsync(string key, CancellationToken ct)
    {
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) throw new ArgumentException("Ongeldige sleutel.", nameof(key));
        var created = _created ??= container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        try { await created.WaitAsync(ct); }
        catch when (!ct.IsCancellationRequested) { _created = null; throw; }
        return container.GetBlobClient(key);
    }

    public async Task WriteAsync(string key, Stream content, CancellationToken ct) =>
        await (await BlobAsync(key, ct)).UploadAsync(content, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        try
        {
            return await (await BlobAsync(key, ct)).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct) => await (await BlobAsync(key, ct)).DeleteIfExistsAsync(cancellationToken: ct);
}
