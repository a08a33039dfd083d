using Hl7.Fhir.Model;
using static Pgo.Fhir.Access.PgoCodes;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Access;

/// <summary>
/// Messages and notes (docs/adr/0003-consent-model.md, "Berichten: alleen voor deelnemers"). A message (Communication,
/// CommunicationRequest: section berichten) reaches its participants only: holding the berichten section gives the right
/// to take part in conversations, not to read those of others, for regiehouders too. The read side lives in
/// <see cref="AccessScope"/> (the SQL predicate and <see cref="AccessScope.CanRead"/>); this class holds who the
/// participants are and the write rules: a person writes a message only as its sender, and every version of a
/// logbook note records who wrote it.
/// </summary>
public static class MessageRules
{
    /// <summary>The search parameters (idx_reference.param) that name a message's participants.</summary>
    public static readonly IReadOnlyList<string> ParticipantParams = ["sender", "recipient", "requester"];

    /// <summary>The extension on a logbook note (DocumentReference) naming the Person who wrote this version; set by the server.</summary>
    public const string WrittenBy = PgoCodes.Base + "/StructureDefinition/written-by";

    public static bool IsMessage(string type) => type is "Communication" or "CommunicationRequest";

    /// <summary>Whether the participant rule applies to an item of <paramref name="section"/>.</summary>
    public static bool ForParticipantsOnly(string? section) => section == Section.Berichten;

    /// <summary>The participants of a message as <c>Type/id</c> (sender, recipients, requester); empty for other resources.</summary>
    public static IReadOnlyList<string> Participants(Resource? resource)
    {
        IEnumerable<ResourceReference?> refs = resource switch
        {
            Communication c => c.Recipient.Prepend(c.Sender),
            CommunicationRequest r => r.Recipient.Prepend(r.Sender).Prepend(r.Requester),
            _ => [],
        };
        return refs.Select(r => Local(r?.Reference)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Who wrote the message: the sender of a Communication, the requester of a CommunicationRequest.</summary>
    public static string? Author(Resource? resource) => resource switch
    {
        Communication c => Local(c.Sender?.Reference),
        CommunicationRequest r => Local(r.Requester?.Reference),
        _ => null,
    };

    /// <summary>
    /// Runs in the write check once the stored version is known to be visible and writable: a person writes a message
    /// only as its author (incoming and stored version alike: a recipient cannot rewrite or withdraw another's message),
    /// and the writer of a logbook note version is recorded on it. The platform (and system clients) are not persons.
    /// <paramref name="patients"/> are the incoming version's dossiers: in a dossier the caller cannot see, the answer
    /// stays "not found".
    /// </summary>
    public static void Apply(CallerContext caller, AccessScope scope, string type, Resource? incoming, Resource? current, IReadOnlyCollection<string> patients)
    {
        if (scope.IsUnrestricted || scope.AllPatients) return;
        if (IsMessage(type))
        {
            var role = type == "Communication" ? FhirText.MessageRoleSender : FhirText.MessageRoleRequester;
            if (current is not null && !Mine(scope, Author(current)))
                throw FhirException.Forbidden(Text.Format(FhirText.MessageOnlyParty, role));
            if (incoming is not null && !Mine(scope, Author(incoming)) && current is null && patients.Count > 0 && !patients.Any(scope.HasAnyAccessTo))
                throw FhirException.NotFound(Text.Format(FhirText.PatientNotFound, patients.First()));
            if (incoming is not null && !Mine(scope, Author(incoming)))
                throw FhirException.Forbidden(Text.Format(FhirText.MessageOnlyAsYourself, role));
        }
        if (incoming is DocumentReference note && SectionClassifier.Classify(note) == Section.Logboek)
            StampWriter(note, caller);
    }

    /// <summary>Records the caller's Person as the writer of this version, whatever the client sent. Each stored version
    /// keeps its own, so the history names every writer (DocumentReference.author cannot hold a Person, and is the client's).</summary>
    public static void StampWriter(DocumentReference note, CallerContext caller)
    {
        if (caller.FhirUser is not { } person) return;
        note.Extension.RemoveAll(e => e.Url == WrittenBy);
        note.Extension.Add(new Extension(WrittenBy, new ResourceReference(person)));
    }

    /// <summary>The writer recorded on a note version (<c>Person/id</c>), or null.</summary>
    public static string? WriterOf(DocumentReference note) =>
        (note.GetExtension(WrittenBy)?.Value as ResourceReference)?.Reference;

    private static bool Mine(AccessScope scope, string? author) => author is not null && scope.Identities.Contains(author, StringComparer.Ordinal);

    /// <summary><c>Type/id</c> of a literal reference (relative or absolute, history suffix dropped); null for others.</summary>
    public static string? Local(string? reference)
    {
        if (string.IsNullOrEmpty(reference) || reference.StartsWith('#') || reference.StartsWith("urn:", StringComparison.Ordinal)) return null;
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var h = Array.IndexOf(parts, "_history");
        if (h >= 0) parts = parts[..h];
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : null;
    }
}
