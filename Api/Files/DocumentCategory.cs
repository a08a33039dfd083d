using Hl7.Fhir.Model;
using Pgo.Fhir.Access;

namespace Pgo.Api.Files;

/// <summary>What kind of document a family keeps (DocumentReference.category, next to the dossier section).</summary>
public static class DocumentCategory
{
    public const string System = PgoCodes.Base + "/CodeSystem/document-category";

    public static readonly IReadOnlyDictionary<string, string> Display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["indicatiebesluit"] = "Indicatiebesluit",
        ["rapport"] = "Rapport",
        ["aanvraag"] = "Aanvraag",
        ["bezwaarschrift"] = "Bezwaarschrift",
        ["foto"] = "Foto",
        ["brief"] = "Brief",
        ["overig"] = "Overig",
    };

    /// <summary>Extension on the attachment: the SHA-256 of the stored bytes, hex (FHIR R4's Attachment.hash is SHA-1).</summary>
    public const string Sha256Extension = PgoCodes.Base + "/StructureDefinition/attachment-sha256";

    /// <summary>Extension on the attachment: the size in bytes (used instead of Attachment.size, see DocumentService).</summary>
    public const string SizeExtension = PgoCodes.Base + "/StructureDefinition/attachment-size";

    public static long SizeOf(Hl7.Fhir.Model.Attachment? a) => a?.GetExtension(SizeExtension)?.Value switch
    {
        Hl7.Fhir.Model.FhirDecimal d => (long)(d.Value ?? 0),
        _ => 0,
    };
}
