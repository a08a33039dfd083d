using Pgo.Fhir.Access;
using Pgo.Fhir.Rest;

namespace Pgo.Api.Notifications.Rules;

/// <summary>
/// Who may be told of something in a dossier, for every part that adds notifications (rules, schedule, team): the
/// candidates come from the index (<see cref="PlatformReader.DossierAudienceAsync"/>: the Persons acting as an actor of
/// a live Consent of the client, and the client's own Person); whether a candidate is told is decided with that
/// person's own compiled access, exactly as a read of the item by them would be (<see cref="AccessScope.CanRead"/>).
/// </summary>
public sealed class NotificationAudience(FhirRepository repo)
{
    /// <summary>The Persons (<c>Person/id</c>) who might be told of a change in the dossier; each still needs <see cref="ScopeAsync"/>.</summary>
    public Task<IReadOnlyList<string>> CandidatesAsync(string patientId, CancellationToken ct) =>
        repo.AsPlatform(PlatformPurpose.Notifications).DossierAudienceAsync(patientId, ct);

    /// <summary>The Persons (<c>Person/id</c>) acting as any of the records (a Task's owner, a Consent's actors).</summary>
    public Task<IReadOnlyList<string>> PersonsActingAsAsync(IReadOnlyCollection<string> identities, CancellationToken ct) =>
        identities.Count == 0 ? Task.FromResult<IReadOnlyList<string>>([]) : repo.AsPlatform(PlatformPurpose.Notifications).PersonsActingAsAsync(identities, ct);

    /// <summary>The person's access now, compiled as for a read of theirs in the Portal (<see cref="NotificationRecipient.AsCaller"/>);
    /// nothing for a key without a Person.</summary>
    public async Task<AccessScope> ScopeAsync(string person, CancellationToken ct) =>
        NotificationRecipient.AsCaller(person) is { } caller ? await repo.Access.CompileAsync(caller, ct) : AccessScope.Nothing("no Person");

    /// <summary>Whether <paramref name="person"/> may read the item now (as a read by them would be decided).</summary>
    public async Task<bool> MayReadAsync(string person, string patientId, string type, string id, string? section, IReadOnlyCollection<string>? participants, CancellationToken ct) =>
        (await ScopeAsync(person, ct)).CanRead(type, id, section, [patientId], participants);
}
