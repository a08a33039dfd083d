using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DocumentReference = Hl7.Fhir.Model.DocumentReference;

namespace Pgo.Api.Files;

/// <summary>A stored blob as the cleanup sees it.</summary>
public sealed record BlobEntry(string Name, string PatientId, string DocumentId, bool Pending, DateTimeOffset Created);

/// <summary>
/// The bytes of dossier documents in Azure Blob Storage (Azurite locally). Blob names are
/// <c>{patientId}/{documentId}</c>: both generated ids, never a user's file name, and the patient prefix lets a
/// dossier's blobs be listed and removed together. A blob is written with <c>pgo-state=pending</c> before its
/// DocumentReference exists and marked <c>committed</c> after; <see cref="OrphanCleanup"/> removes what a crash left behind.
/// </summary>
public sealed class DocumentBlobs(BlobContainerClient container)
{
    private const string State = "pgostate";
    private const string Pending = "pending";
    private const string Committed = "committed";

    /// <summary>The Azurite development account key (public, documented): never acceptable outside Development.</summary>
    public const string AzuriteDevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public BlobContainerClient Container => container;

    public static string BlobName(string patientId, string documentId) => $"{patientId}/{documentId}";

    public static string UrlOf(string patientId, string documentId) => $"urn:pgo:blob:{BlobName(patientId, documentId)}";

    public const string UrlPrefix = "urn:pgo:blob:";

    /// <summary>The blob name from a DocumentReference's attachment url, or null when it is not one of ours.</summary>
    public static string? NameFromUrl(string? url) =>
        url is not null && url.StartsWith(UrlPrefix, StringComparison.Ordinal) && url.Length > UrlPrefix.Length ? url[UrlPrefix.Length..] : null;

    /// <summary>
    /// The blob of this DocumentReference, or null. A blob belongs to one dossier and one document: its name is
    /// <c>{patientId}/{documentId}</c>, issued by the server for that document. A url naming any other blob (another
    /// family's, another document's) is not this document's file, whatever the DocumentReference says: it is treated
    /// as missing, so nothing is downloaded, exported or deleted through it.
    /// </summary>
    public static string? OwnedName(DocumentReference doc)
    {
        if (doc.Id is not { Length: > 0 } id || PatientOf(doc) is not { } patientId) return null;
        var name = NameFromUrl(doc.Content.FirstOrDefault()?.Attachment?.Url);
        return name == BlobName(patientId, id) ? name : null;
    }

    /// <summary>The patient a DocumentReference is about (<c>subject</c> = <c>Patient/{id}</c>), or null.</summary>
    public static string? PatientOf(DocumentReference doc) =>
        doc.Subject?.Reference is { } r && r.StartsWith("Patient/", StringComparison.Ordinal) && r.Length > 8 && r.IndexOf('/', 8) < 0 ? r[8..] : null;

    /// <summary>Whether <paramref name="url"/> points into the platform's blob storage: our urn, or the storage account's own address.</summary>
    public bool PointsInto(string? url) =>
        url is not null && (url.StartsWith(UrlPrefix, StringComparison.OrdinalIgnoreCase)
            || (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var u) && u.Host.Equals(container.Uri.Host, StringComparison.OrdinalIgnoreCase) && u.Port == container.Uri.Port));

    public static BlobContainerClient Connect(string connectionString, string containerName) =>
        new BlobServiceClient(connectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2025_11_05)).GetBlobContainerClient(containerName);

    private Task? _created;

    /// <summary>Creates the container once per process (a failed attempt is retried next time).</summary>
    public async Task EnsureContainerAsync(CancellationToken ct)
    {
        var created = _created ??= container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        try { await created.WaitAsync(ct); }
        catch when (!ct.IsCancellationRequested) { _created = null; throw; }
    }

    /// <summary>Streams <paramref name="content"/> into a new pending blob; a failure (limit, disconnect) removes what was written.</summary>
    public async Task UploadPendingAsync(string name, Stream content, string contentType, CancellationToken ct)
    {
        await EnsureContainerAsync(ct);
        var blob = container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = new Dictionary<string, string> { [State] = Pending },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferOptions = new Azure.Storage.StorageTransferOptions { InitialTransferSize = 4 * 1024 * 1024, MaximumTransferSize = 4 * 1024 * 1024 },
            }, ct);
        }
        catch
        {
            // Blocks staged but never committed are dropped by the service; a committed blob must go.
            await DeleteAsync(name, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Writes bytes as an already committed blob (import, demo documents); overwrites.</summary>
    public async Task UploadCommittedAsync(string name, Stream content, string contentType, CancellationToken ct)
    {
        await EnsureContainerAsync(ct);
        await container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Metadata = new Dictionary<string, string> { [State] = Committed },
        }, ct);
    }

    public Task MarkCommittedAsync(string name, CancellationToken ct) =>
        container.GetBlobClient(name).SetMetadataAsync(new Dictionary<string, string> { [State] = Committed }, cancellationToken: ct);

    /// <summary>Whether the container answers (readiness, Api/Files/BlobHealthCheck.cs).</summary>
    public async Task<bool> ContainerExistsAsync(CancellationToken ct) => (await container.ExistsAsync(ct)).Value;

    public async Task<bool> ExistsAsync(string name, CancellationToken ct) => (await container.GetBlobClient(name).ExistsAsync(ct)).Value;

    /// <summary>A seekable read stream, or null when the blob is gone.</summary>
    public async Task<Stream?> OpenReadAsync(string name, CancellationToken ct)
    {
        try
        {
            return await container.GetBlobClient(name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken ct) =>
        await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);

    /// <summary>Every blob (optionally of one patient) with its state.</summary>
    public async IAsyncEnumerable<BlobEntry> ListAsync(string? patientId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await EnsureContainerAsync(ct);
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = patientId is null ? null : patientId + "/" }, ct))
        {
            var slash = item.Name.IndexOf('/');
            if (slash <= 0) continue;
            var pending = item.Metadata.TryGetValue(State, out var state) && state == Pending;
            yield return new BlobEntry(item.Name, item.Name[..slash], item.Name[(slash + 1)..], pending, item.Properties.CreatedOn ?? DateTimeOffset.MinValue);
        }
    }
}
