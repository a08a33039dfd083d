using Hl7.Fhir.Model;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Files;

/// <summary>
/// Repairs what a crash between blob and metadata left behind. A blob older than <see cref="FilesOptions.OrphanGrace"/>
/// whose DocumentReference does not exist (or was deleted, or points elsewhere, or is about another patient) is removed; a pending blob whose
/// DocumentReference does exist is marked committed. Younger blobs may be uploads in progress and are left alone.
/// </summary>
public sealed class OrphanCleanup(FhirRepository repo, DocumentBlobs blobs, FilesOptions options, TimeProvider clock, ILogger<OrphanCleanup> logger)
{
    public sealed record Result(int Removed, int Committed);

    public async Task<Result> SweepAsync(CancellationToken ct)
    {
        var removed = 0;
        var committed = 0;
        var cutoff = clock.GetUtcNow() - options.OrphanGrace;
        var old = new List<BlobEntry>();
        await foreach (var blob in blobs.ListAsync(null, ct))
            if (blob.Created <= cutoff) old.Add(blob);
        // Read in batches: the platform read is audited per family, not per file.
        var platform = repo.AsPlatform(PlatformPurpose.FileCleanup);
        foreach (var chunk in old.Chunk(100))
        {
            var docs = await platform.ReadManyAsync(chunk.Select(b => ("DocumentReference", b.DocumentId)).ToList(), ct);
            foreach (var (blob, stored) in chunk.Zip(docs))
            {
                // Kept only while the DocumentReference named by the blob is alive, about the blob's patient, and points at it.
                var owned = stored is { Deleted: false } && DocumentBlobs.OwnedName(FhirJson.Parse<DocumentReference>(stored.Json)) == blob.Name;
                if (!owned)
                {
                    await blobs.DeleteAsync(blob.Name, ct);
                    removed++;
                    logger.LogWarning("Files: removed orphaned blob {Blob} (no DocumentReference)", blob.Name);
                }
                else if (blob.Pending)
                {
                    await blobs.MarkCommittedAsync(blob.Name, ct);
                    committed++;
                }
            }
        }
        return new Result(removed, committed);
    }
}
