using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;

namespace Pgo.Api.Realtime.CoWriting;

/// <summary>
/// Gives the writer recorded on a logbook note version (<see cref="MessageRules.WrittenBy"/>, set by the access check from
/// the caller) the writer's name, looked up by the platform in the same transaction: a Person is readable only by its
/// owner, so without it the Portal could not say who changed a note. Refuses nothing.
/// </summary>
public sealed class NoteWriterName : IResourceRule
{
    public async ValueTask<IReadOnlyList<string>> CheckAsync(RuleContext context)
    {
        if (context.Incoming is DocumentReference note && note.GetExtension(MessageRules.WrittenBy)?.Value is ResourceReference { Reference: { } who } writer
            && SectionClassifier.Classify(note) == PgoCodes.Section.Logboek)
            writer.Display = await PersonNames.LookUpAsync(who, context.ReadAsync) ?? writer.Display;
        return [];
    }
}
