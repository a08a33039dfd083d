namespace Pgo.Api.TeamSpace.Safety;

/// <summary>A client or family member in a supporter's own caseload, by name.</summary>
public sealed record CaseloadPerson(string GivenName, string FamilyName);

/// <summary>
/// The people in the author's own caseload, whose names must not appear in the team space
/// (DOMAIN.md section 3, rule 7). The seam for the dossier/consent work, which will answer it from FHIR
/// (the Patients and RelatedPersons of the dossiers this member supports); until then
/// <see cref="ConfiguredCaseloadNames"/> answers from configuration and the demo families.
/// </summary>
public interface ICaseloadNames
{
    /// <param name="memberKey">The author's member key (the fhirUser claim, e.g. "Person/bondgenoot-ricardo").</param>
    ValueTask<IReadOnlyList<CaseloadPerson>> ForMemberAsync(string memberKey, CancellationToken ct);
}
