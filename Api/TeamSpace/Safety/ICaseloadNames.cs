namespace Pgo.Api.TeamSpace.Safety;

/// <summary>A client or family member in a caseload the team serves, by name.</summary>
public sealed record CaseloadPerson(string GivenName, string FamilyName);

/// <summary>
/// The people in every caseload the author's team serves, whose names must not appear in the team space
/// (DOMAIN.md section 3, rule 7): not only the author's own families, since a colleague's client is just as identifiable.
/// Answered from the dossiers by <see cref="FhirCaseloadNames"/>.
/// </summary>
public interface ICaseloadNames
{
    /// <param name="teamId">The team the text is written in: the caseloads of all its members count.</param>
    /// <param name="authorKey">The author's member key (the fhirUser claim, e.g. "Person/bondgenoot-ricardo"); their own caseload counts too.</param>
    ValueTask<IReadOnlyList<CaseloadPerson>> ForTeamAsync(long teamId, string authorKey, CancellationToken ct);
}
