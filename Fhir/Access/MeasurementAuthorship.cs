using Hl7.Fhir.Model;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Rest;

namespace Pgo.Fhir.Access;

/// <summary>
/// W9: a measurement (QuestionnaireResponse, section metingen) is recorded in the recorder's own name, like a note (W7,
/// <see cref="NoteAuthorship"/>). Each respondent answers separately: <c>source</c> is who answered (the client, a parent,
/// a naaste), <c>author</c> who recorded it. A person (1) records only as one of their own identities (<c>author</c>;
/// left empty it becomes theirs), never in someone else's name; a correction (update) by someone who may write metingen
/// may keep the stored recorder (the version history keeps who changed it); (2) answers for themselves with their own record in this
/// dossier as <c>source</c> (left empty, or their Person, it becomes the record they act as here), or records "namens"
/// someone else of the dossier: then the server marks the answer as recorded by proxy. That the respondent belongs to
/// the dossier is a profile rule (<c>ProjectProfiles</c>, the same rule as an agreement's owner). The platform and system
/// clients are not persons (the demo loader records the families' history as it happened).
/// </summary>
public static class MeasurementAuthorship
{
    public static void Apply(CallerContext caller, AccessScope scope, Resource? incoming, Resource? current)
    {
        if (scope.IsUnrestricted || scope.AllPatients || incoming is not QuestionnaireResponse response) return;
        var stored = current as QuestionnaireResponse;

        if (response.Author?.Reference is not { Length: > 0 } author)
        {
            if (caller.FhirUser is { } person) response.Author = new ResourceReference(person) { Display = response.Author?.Display };
        }
        else if (!Mine(scope, author) && author != stored?.Author?.Reference)
            throw FhirException.Forbidden(FhirText.MeasurementOnlyAsYourself);

        var patient = response.Subject?.Reference is { } subject && subject.StartsWith("Patient/", StringComparison.Ordinal) ? subject["Patient/".Length..] : null;
        var acting = patient is not null && scope.ActingAs.TryGetValue(patient, out var records) && records.Count > 0 ? records[0] : null;
        var source = response.Source?.Reference;
        // Answering for oneself: the record one acts as in this dossier (a Person is nobody's record in a dossier).
        if ((source is null || (Mine(scope, source) && source.StartsWith("Person/", StringComparison.Ordinal))) && acting is not null)
            response.Source = new ResourceReference(acting) { Display = response.Source?.Display ?? response.Author?.Display };

        // Recorded for someone else: "namens". A correction that keeps the stored recorder keeps what was recorded.
        if (stored is not null && response.Author?.Reference == stored.Author?.Reference && !Mine(scope, response.Author?.Reference ?? "")) return;
        response.RemoveExtension(PgoCodes.DossierExtensions.Proxy);
        if (response.Source?.Reference is { } respondent && !Mine(scope, respondent))
            response.AddExtension(PgoCodes.DossierExtensions.Proxy, new FhirBoolean(true));
    }

    private static bool Mine(AccessScope scope, string reference) =>
        scope.Identities.Contains(MessageRules.Local(reference) ?? reference, StringComparer.Ordinal);
}
