using Hl7.Fhir.Model;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Rest;

namespace Pgo.Fhir.Access;

/// <summary>
/// W7: notes on a plan or a goal (an evaluation, a progress note: <c>CarePlan.note</c>, <c>Goal.note</c>) are written in
/// the writer's own name. The Portal saves them by rewriting the whole CarePlan or Goal, so without this rule anyone who
/// may write the section could put words in someone else's mouth or change a note another person wrote. A person
/// (1) adds a note only as one of their own identities (a note without an author gets theirs), and (2) changes or
/// removes only notes they wrote themselves. The platform and system clients are not persons.
/// </summary>
public static class NoteAuthorship
{
    public static void Apply(CallerContext caller, AccessScope scope, Resource? incoming, Resource? current)
    {
        if (scope.IsUnrestricted || scope.AllPatients) return;
        var before = NotesOf(current);
        var after = NotesOf(incoming);
        if (before is null && after is null) return;
        before ??= [];
        after ??= [];

        // Changed or removed: a note of the stored version that is not in the new one exactly as it was.
        foreach (var old in before.Where(o => !after.Any(n => n.IsExactly(o))))
            if (!Mine(scope, AuthorOf(old)))
                throw FhirException.Forbidden(FhirText.NoteOnlyYourOwn);

        // Added (or the new text of a changed note): in the writer's own name.
        foreach (var added in after.Where(n => !before.Any(o => o.IsExactly(n))))
        {
            if (added.Author is null && caller.FhirUser is { } person)
                added.Author = new ResourceReference(person);
            else if (!Mine(scope, AuthorOf(added)))
                throw FhirException.Forbidden(FhirText.NoteOnlyAsYourself);
        }
    }

    private static List<Annotation>? NotesOf(Resource? resource) => resource switch
    {
        CarePlan plan => plan.Note,
        Goal goal => goal.Note,
        _ => null,
    };

    private static string? AuthorOf(Annotation note) => MessageRules.Local((note.Author as ResourceReference)?.Reference);

    private static bool Mine(AccessScope scope, string? author) => author is not null && scope.Identities.Contains(author, StringComparer.Ordinal);
}
