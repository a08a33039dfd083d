using Hl7.Fhir.Model;
using Pgo.Fhir.Messages;
using Pgo.Fhir.Profiles;
using Pgo.Fhir.Rest;

namespace Pgo.Fhir.Access;

/// <summary>
/// W8: a change of intensity (issue 20, <see cref="IntensityChange"/>) is the supporter's call made with the family, in the
/// supporter's own name, and the history does not change afterwards. The Api's <c>/intensity</c> endpoint asks
/// <see cref="DossierOperation.SetIntensity"/> first; this rule holds the same line on every other write path (<c>/fhir</c>,
/// a Bundle, an import), so nobody who merely writes the plan (a parent, a professional) records a change, nor one in the
/// supporter's name. A person (1) creates a change only when <see cref="DossierOperation.SetIntensity"/> allows it for the
/// change's client and names one of their own identities as its author, and (2) never updates or deletes one: a correction
/// is a new change. The platform and system clients are not persons.
/// </summary>
public static class IntensityAuthorship
{
    public static void Apply(AccessScope scope, Resource? incoming, Resource? current)
    {
        if (scope.IsUnrestricted || scope.AllPatients) return;
        if (current is Basic stored && IntensityChange.IsChange(stored))
            throw FhirException.Forbidden(FhirText.IntensityHistoryFixed);
        if (incoming is not Basic change || !IntensityChange.IsChange(change)) return;

        var patient = change.Subject?.Reference is { } subject && subject.StartsWith("Patient/", StringComparison.Ordinal) ? subject["Patient/".Length..] : null;
        if (patient is null || !DossierOperations.Allows(scope, patient, DossierOperation.SetIntensity))
            throw FhirException.Forbidden(FhirText.OperationSetIntensity);
        if (change.Author?.Reference is not { } author || !scope.Identities.Contains(author, StringComparer.Ordinal))
            throw FhirException.Forbidden(FhirText.IntensityOnlyAsYourself);
    }
}
