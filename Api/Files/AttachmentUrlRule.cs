using Hl7.Fhir.Model;
using Pgo.Api.Errors;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Serialization;

namespace Pgo.Api.Files;

/// <summary>
/// The server owns attachment urls into its blob storage (docs/adr/0006-files.md). A blob belongs to one dossier and
/// one document: <c>urn:pgo:blob:{patientId}/{documentId}</c>, issued by the upload for that document. A client-written
/// resource may carry such a url only as a DocumentReference's own file (its subject patient and its id), and may not
/// give an existing document a file it did not have; any other url into our storage (another family's blob, another
/// document's, the storage account's address) is refused with 422. External links (https elsewhere) stay allowed.
/// </summary>
public sealed class AttachmentUrlRule(FileStorage storage) : IResourceRule
{
    public ValueTask<IReadOnlyList<string>> CheckAsync(RuleContext context)
    {
        var problems = new List<string>();
        foreach (var attachment in FhirElements.Descendants(context.Incoming).OfType<Attachment>())
        {
            if (!PointsIntoStorage(attachment.Url) || IsOwnFile(context, attachment)) continue;
            var problem = ApiProblem.Text(ApiText.AttachmentForeignBlob, attachment.Url);
            if (!problems.Contains(problem)) problems.Add(problem);
        }
        return ValueTask.FromResult<IReadOnlyList<string>>(problems);
    }

    private bool PointsIntoStorage(string? url) =>
        storage.Blobs is { } blobs ? blobs.PointsInto(url) : url?.StartsWith(DocumentBlobs.UrlPrefix, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>This DocumentReference's own blob, and (when it existed before) a file it already had: a document
    /// cannot be given, or moved to another dossier with, a blob it was not issued.</summary>
    private static bool IsOwnFile(RuleContext context, Attachment attachment)
    {
        if (context.Incoming is not DocumentReference doc || !doc.Content.Any(c => ReferenceEquals(c.Attachment, attachment))) return false;
        if (DocumentBlobs.PatientOf(doc) is not { } patientId || doc.Id is not { Length: > 0 } id) return false;
        if (attachment.Url != DocumentBlobs.UrlOf(patientId, id)) return false;
        return context.Current is not DocumentReference current || current.Content.Any(c => c.Attachment?.Url == attachment.Url);
    }
}
